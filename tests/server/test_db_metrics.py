"""/metrics reports database statement latency by kind (never by SQL text) and the
database's size: per table on PostgreSQL, the file on SQLite, at most once per interval."""

import re

from server.db_metrics import database_sizes, statement_kind
from server.metrics import Metrics
from server.settings import Settings
from tests.conftest import TEST_SECRET

STATEMENTS = re.compile(
    r'^satupintu_db_statement_seconds_count\{database="([^"]*)",kind="([^"]*)"\} (\S+)$',
    re.MULTILINE,
)


def gauge(text: str, name: str, labels: str = "") -> float | None:
    found = re.search(rf"^{name}{re.escape(labels)} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else None


def test_statement_kinds():
    assert statement_kind("SELECT 1") == "select"
    assert statement_kind("  insert into x values (1)") == "insert"
    assert statement_kind('UPDATE "product" SET stock=1') == "update"
    assert statement_kind("DELETE FROM cart_line") == "delete"
    assert statement_kind("WITH a AS (SELECT 1) SELECT * FROM a") == "select"
    assert statement_kind("CREATE TABLE t (id int)") == "other"
    assert statement_kind("") == "other"


async def test_statement_latency_by_kind(client):
    await client.post(
        "/graphql", json={"query": '{ products(query: "x", first: 1) { totalCount } }'}
    )
    text = (await client.get("/metrics")).text
    counts = {(db, kind): float(n) for db, kind, n in STATEMENTS.findall(text)}
    assert counts.get(("primary", "select"), 0) > 0, text[:2000]
    assert {kind for _, kind in counts} <= {"select", "insert", "update", "delete", "other"}
    assert {db for db, _ in counts} <= {"primary", "replica"}
    assert (
        'satupintu_db_statement_seconds_bucket{database="primary",kind="select",le="0.01"}' in text
    )


async def test_database_size(client, database_url):
    text = (await client.get("/metrics")).text
    size = gauge(text, "satupintu_db_size_bytes")
    assert size is not None
    assert size > 0
    if database_url.startswith("sqlite"):
        assert "satupintu_db_table_rows{" not in text
        return
    assert (gauge(text, "satupintu_db_table_bytes", '{table="product"}') or 0) > 0
    assert gauge(text, "satupintu_db_table_rows", '{table="product"}') is not None
    assert gauge(text, "satupintu_db_table_rows", '{table="user"}') is not None


def size_in(metrics: Metrics) -> float | None:
    return metrics.registry.get_sample_value("satupintu_db_size_bytes")


async def test_database_size_is_measured_at_most_once_per_interval(live, database_url):
    moment = [1000.0]
    measure = database_sizes(database_url, 60, clock=lambda: moment[0])
    metrics = Metrics()
    await measure(metrics)
    first = size_in(metrics)
    assert first > 0
    metrics.database_size(-1)  # what a measurement would overwrite
    moment[0] += 59.9
    await measure(metrics)
    assert size_in(metrics) == -1  # the last figure stands
    moment[0] += 0.1
    await measure(metrics)
    assert size_in(metrics) > 0


def test_the_interval_is_a_setting():
    assert Settings.from_env({"SECRET_KEY": TEST_SECRET}).db_size_interval == 60
    chosen = Settings.from_env({"SECRET_KEY": TEST_SECRET, "DB_SIZE_INTERVAL": "300"})
    assert chosen.db_size_interval == 300
