"""Upkeep of the database itself."""

from tortoise import connections


async def refresh_statistics() -> None:
    """Give the query planner statistics after a bulk load, as autovacuum would in time;
    without them PostgreSQL scans whole tables for lookups by a few keys."""
    await connections.get("default").execute_script("ANALYZE")
