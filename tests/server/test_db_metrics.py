"""/metrics reports database statement latency by kind (never by SQL text) and the
database's size: per table on PostgreSQL, the file on SQLite."""

import re

from server.db_metrics import statement_kind

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
