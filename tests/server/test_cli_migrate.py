"""`satupintu migrate` on an empty SQLite file builds everything, search index included, and
`reindex` rebuilds the index of what is there."""

import os
import sqlite3
import subprocess
import sys


def satupintu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "server.cli", *args]
    return subprocess.run(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120
    )


def test_migrate_then_reindex_on_an_empty_database(tmp_path):
    database = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite://{database}", "SATUPINTU_VAR_DIR": str(tmp_path)}

    migrated = satupintu("migrate", env=env)
    assert migrated.returncode == 0, migrated.stdout
    assert "applied satupintu.0007_search" in migrated.stdout
    assert "Search index rebuilt." in migrated.stdout

    again = satupintu("migrate", env=env)
    assert "applied" not in again.stdout
    assert "Search index rebuilt." not in again.stdout

    reindexed = satupintu("reindex", env=env)
    assert reindexed.returncode == 0, reindexed.stdout
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"search_product", "search_shop", "product", "membership"} <= tables
