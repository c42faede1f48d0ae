"""An expand-style change to the busiest tables, applied by `Topology.upgrade` under load: a
column with a constant default on `savings_account` (every withdrawal and bill payment from
SUKARELA updates a row of it; PostgreSQL adds such a column without rewriting the table, but
holds its strongest lock while it does) and an index built concurrently on `journal_entry`
(every money movement inserts a row; writes go on while it is built). The old build ignores
both; nothing is dropped or renamed.

The topology's own database only: the API's startup check reads the `satupintu` app's
migrations, so the hosts serve with this one pending, as an old build serves a schema it
does not know yet."""

from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    initial = True
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    operations = [
        ops.RunSQL(
            "SET lock_timeout = '5s'; ALTER TABLE savings_account "
            "ADD COLUMN topology_label VARCHAR(40) NOT NULL DEFAULT ''"
        ),
        ops.RunSQL(
            "CREATE INDEX CONCURRENTLY topology_entry_kind_created "
            "ON journal_entry (kind, created_at)"
        ),
    ]
