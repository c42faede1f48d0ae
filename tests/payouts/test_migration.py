"""Migration 0033 on a migrated database: the platform's journal is append-only like the
cooperatives', whose triggers (0012's append-only, 0030's closed years) are all still there."""

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError, OperationalError

from models.payouts import PlatformEntry, PlatformLine
from tests.payouts.helpers import completed_sale

JOURNAL_TRIGGERS = {
    "sqlite": {"journal_entry_no_update", "journal_entry_no_delete", "journal_line_no_update",
               "journal_line_no_delete", "journal_entry_closed_year", "journal_line_closed_year",
               "platform_entry_no_update", "platform_entry_no_delete", "platform_line_no_update",
               "platform_line_no_delete"},
    "postgres": {"journal_entry_append_only", "journal_line_append_only",
                 "journal_entry_closed_year", "journal_line_closed_year",
                 "platform_entry_append_only", "platform_line_append_only"},
}  # fmt: skip


async def _triggers() -> tuple[str, set[str]]:
    client = connections.get("default")
    dialect = client.capabilities.dialect
    if dialect == "postgres":
        rows = await client.execute_query_dict("SELECT tgname AS name FROM pg_trigger")
    else:
        rows = await client.execute_query_dict(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        )
    return dialect, {row["name"] for row in rows}


async def test_every_journal_keeps_its_triggers(live):
    dialect, found = await _triggers()
    assert JOURNAL_TRIGGERS[dialect] <= found


async def test_the_platform_journal_is_append_only(gql, client, live):
    await completed_sale(gql, client, live)
    entry = await PlatformEntry.all().order_by("-id").first()
    assert entry is not None
    with pytest.raises((IntegrityError, OperationalError)):
        await PlatformLine.filter(entry_id=entry.id).update(debit=1)
    with pytest.raises((IntegrityError, OperationalError)):
        await PlatformEntry.filter(id=entry.id).delete()
