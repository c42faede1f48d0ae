"""Running a migration script (a module with `main(url)`) in a process of its own, against a
fresh SQLite file, or a fresh PostgreSQL database when the tests run there."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
from tortoise import Tortoise
from tortoise.migrations.api import migrate

from server.database import prepare, tortoise_config


async def run_in_fresh_database(module: str, tmp_path: Path) -> str:
    """The script's last line of output; the script must exit 0 within two minutes."""
    server = os.environ.get("TEST_POSTGRES_URL")
    url = f"sqlite://{tmp_path / 'before.sqlite3'}"
    if server:
        name = f"satupintu_mig_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(server.rstrip("/") + "/postgres")
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{server.rstrip('/')}/{name}"
    try:
        command = await asyncio.create_subprocess_exec(
            sys.executable, "-m", module, url, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        out, err = await asyncio.wait_for(command.communicate(), 120)
        assert command.returncode == 0, err.decode()
    finally:
        if server:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()
    return out.decode().strip().splitlines()[-1]


async def upgraded(url: str, before: str, rows: list[str], after: str, now: str) -> str:
    """For a migration script: the database at migration `before` with `rows` (each formatted
    with `now`), migrated to the newest; the row `after` selects, as JSON of integers."""
    prepare(url)
    config = tortoise_config(url)
    await migrate(config=config, target=f"satupintu.{before}")
    await Tortoise.init(config=config)
    connection = Tortoise.get_connection("default")
    for row in rows:
        await connection.execute_script(row.format(now=now))
    await Tortoise.close_connections()
    await migrate(config=config)
    await Tortoise.init(config=config)
    (found,) = await Tortoise.get_connection("default").execute_query_dict(after)
    await Tortoise.close_connections()
    return json.dumps({key: int(value) for key, value in found.items()})
