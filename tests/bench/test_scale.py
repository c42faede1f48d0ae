"""`satupintu bench --scale`: its COPY seed writes the rows the ORM's seed writes (and so the
same search rows and tallies), and a tiny run reports every kind of search at every size."""

import asyncio
import json
import os
import subprocess
import sys
import uuid

import asyncpg
import pytest

from bench.search_kinds import HEAVY

POSTGRES = os.environ.get("TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not POSTGRES, reason="the scale run is PostgreSQL's")


def test_the_copy_seed_writes_what_the_orm_seed_writes():
    script = subprocess.run(
        [sys.executable, "-m", "tests.bench.copy_seed", str(POSTGRES)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert script.returncode == 0, script.stderr
    found = json.loads(script.stdout.strip().splitlines()[-1])
    for table, rows in found["orm"].items():
        assert rows, table  # every table has rows to compare
        assert found["copy"][table] == rows, table


def test_a_tiny_scale_run_times_and_explains_every_kind(tmp_path):
    plans = tmp_path / "plans.txt"
    bench = subprocess.run(
        [sys.executable, "-m", "bench.search", "--scale", "--postgres", str(POSTGRES),
         "--sizes", "150,300", "--per-kind", "3", "--scale-target", "0", "--plans", str(plans)],
        env={**os.environ, "COLUMNS": "200"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=900,
    )  # fmt: skip
    assert bench.returncode == 0, bench.stdout
    rows = {
        cells[0].strip(): [c.strip() for c in cells[1:]]
        for cells in (line.strip("│").split("│") for line in bench.stdout.splitlines())
        if len(cells) == 5
    }
    for kind in ("one common word", "typo", "no match", *HEAVY):
        small, large, growth, over = rows[kind]
        assert float(small.split()[0]) > 0, kind
        assert float(large.split()[0]) > 0, kind
        assert growth.endswith("x"), kind
        assert over == "over", kind  # every kind is over a target of 0
    explained = plans.read_text()
    assert explained.count("## ") == len(rows) - 1  # every kind: all rows but the seed's
    assert "Execution Time" in explained
    assert "(300 products)" in explained


def _scale_run(*more: str) -> dict[str, list[str]]:
    bench = subprocess.run(
        [sys.executable, "-m", "bench.search", "--scale", "--postgres", str(POSTGRES),
         "--per-kind", "2", *more],
        env={**os.environ, "COLUMNS": "200"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=900,
    )  # fmt: skip
    assert bench.returncode == 0, bench.stdout
    return {
        cells[0].strip(): [c.strip() for c in cells[1:]]
        for cells in (line.strip("│").split("│") for line in bench.stdout.splitlines())
        if len(cells) >= 3
    }


async def _admin(sql: str) -> None:
    admin = await asyncpg.connect(f"{str(POSTGRES).rstrip('/')}/postgres")
    try:
        await admin.execute(sql)
    finally:
        await admin.close()


def test_a_kept_catalogue_is_seeded_once_and_again_when_its_seed_did_not_finish():
    prefix = f"satupintu_keep_{uuid.uuid4().hex[:8]}"
    name = f"{prefix}_150"
    try:
        first = _scale_run("--keep", prefix, "--sizes", "150")
        assert first["seed seconds"][0].isdigit()
        again = _scale_run("--keep", prefix, "--sizes", "150")
        assert again["seed seconds"][0] == "kept"
        assert float(again["one common word"][0].split()[0]) > 0
        # A seed cut short leaves no mark: the next run seeds again.
        asyncio.run(_admin(f'COMMENT ON DATABASE "{name}" IS NULL'))
        third = _scale_run("--keep", prefix, "--sizes", "150")
        assert third["seed seconds"][0].isdigit()
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
