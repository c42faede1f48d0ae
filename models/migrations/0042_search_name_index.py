"""Indexes of a product's words by where they are: its name's terms, and the others (its
category's, shop's and description's, which the indexer keeps apart from the name's), so
that RELEVANCE reads "the name holds the word" from an index instead of checking it on
every match (issue 30).

RELEVANCE orders a one-word search tier by tier (`resolvers.search.relevance`): the
matches whose name holds the word, then those whose other words hold it, each split by
verified and in stock. Each tier is read newest first from its own index: a walk of the
newest rows when the tier is most of them, its few rows when it is rare ("tangerang",
in every description of a city's products and few names), never every match sorted.

- PostgreSQL: GIN indexes of `to_tsvector('simple', name_terms)` and of `more_terms`.
- SQLite: an FTS5 table of each column of `search_product_text` (the full-text table
  indexes both together with `detail='none'`, which cannot tell the columns apart).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

COLUMNS = {"name_terms": "names", "more_terms": "more"}

POSTGRES = "".join(
    f"CREATE INDEX search_product_{table} ON search_product"
    f" USING GIN (to_tsvector('simple', {column}));"
    for column, table in COLUMNS.items()
)
POSTGRES_DROP = "DROP INDEX search_product_names; DROP INDEX search_product_more;"

# An FTS5 table of one column `{column}` of `search_product_text`, kept by triggers.
SQLITE_TABLE = """
CREATE VIRTUAL TABLE search_product_{table} USING fts5(
    {column}, content='search_product_text', content_rowid='product_id', detail='none'
);
CREATE TRIGGER search_product_{table}_indexed AFTER INSERT ON search_product_text BEGIN
    INSERT INTO search_product_{table} (rowid, {column}) VALUES (new.product_id, new.{column});
END;
CREATE TRIGGER search_product_{table}_unindexed AFTER DELETE ON search_product_text BEGIN
    INSERT INTO search_product_{table} (search_product_{table}, rowid, {column})
        VALUES ('delete', old.product_id, old.{column});
END;
CREATE TRIGGER search_product_{table}_reindexed AFTER UPDATE ON search_product_text BEGIN
    INSERT INTO search_product_{table} (search_product_{table}, rowid, {column})
        VALUES ('delete', old.product_id, old.{column});
    INSERT INTO search_product_{table} (rowid, {column}) VALUES (new.product_id, new.{column});
END;
INSERT INTO search_product_{table} (search_product_{table}) VALUES ('rebuild');
"""
SQLITE_DROP_TABLE = """
DROP TRIGGER search_product_{table}_reindexed;
DROP TRIGGER search_product_{table}_unindexed;
DROP TRIGGER search_product_{table}_indexed;
DROP TABLE search_product_{table};
"""
SQLITE = "".join(SQLITE_TABLE.format(column=c, table=t) for c, t in COLUMNS.items())
SQLITE_DROP = "".join(SQLITE_DROP_TABLE.format(table=t) for t in COLUMNS.values())


async def add_index(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(POSTGRES if postgres else SQLITE)


async def drop_index(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(POSTGRES_DROP if postgres else SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0041_search_price_tally")]

    initial = False

    operations = [ops.RunPython(add_index, drop_index)]
