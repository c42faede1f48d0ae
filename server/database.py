"""Tortoise configuration built from the settings."""

import os
from pathlib import Path
from typing import Any

from tortoise import connections
from tortoise.migrations.executor import MigrationExecutor

import models
from resolvers.platform import ReplicaRouter


def tortoise_config(database_url: str, *, replica: bool = False) -> dict[str, Any]:
    """The configuration; with `replica`, reads are routed (`resolvers.platform.replica`)."""
    return {
        "connections": {"default": database_url},
        "apps": {
            models.APP_LABEL: {
                "models": models.MODULES,
                "default_connection": "default",
                "migrations": "models.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
        **({"routers": [ReplicaRouter]} if replica else {}),
    }


# For `python -m tortoise makemigrations` (see pyproject's [tool.tortoise]).
MIGRATION_CONFIG = tortoise_config("sqlite://:memory:")


def prepare(database_url: str) -> None:
    """Create the folder of a SQLite file, which SQLite will not do itself, and the file
    itself readable by its owner only (SQLite gives its journals the file's mode). An existing
    file is left unopened: closing any descriptor of it would drop the locks this process's
    connections hold on it, and another process closing the database last would then take
    the write-ahead log away from under them."""
    if database_url.startswith("sqlite://"):
        path = database_url.removeprefix("sqlite://")
        if path and path != ":memory:" and not Path(path).exists():
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


async def unapplied_migrations(database_url: str) -> list[str]:
    """The migrations this database still lacks; raises when the database does not answer."""
    connection = connections.get("default")
    await connection.execute_query("SELECT 1")  # the recorder reads an outage as "none applied"
    executor = MigrationExecutor(connection, tortoise_config(database_url)["apps"])
    steps = await executor.plan()
    return [f"{s.migration.app_label}.{s.migration.name}" for s in steps if not s.backward]
