"""Where a term's matches start and end in price (issue 30): per term, a price at or below
its cheapest active product's and one at or above its dearest's.

A one-word search sorted by price reads `search_product_price` from the term's bound on
(`resolvers.search.walks`) instead of from the catalogue's cheapest (or dearest) product:
the products before the bound cannot hold the term. So the bound only has to be safe, not
exact: writes only widen it (a product with the term priced or worded outside it), which
a write that stays inside it does not touch, and `resolvers.search.index.rebuild` sets it
exact again. Stock and sales are not read: checkouts leave the bounds alone. Backfilled
exact from the index as it is.
"""

import importlib

from tortoise import migrations
from tortoise.migrations import operations as ops

facets = importlib.import_module("models.migrations.0019_search_facets")

TABLE = """
CREATE TABLE search_walk_bound (
    term TEXT NOT NULL PRIMARY KEY,
    low BIGINT NOT NULL,
    high BIGINT NOT NULL
){options};
"""
# Widens the bounds of the (term, low, high) rows of `{rows}` (SQLite; one writer at a time).
SQLITE_WIDEN = """INSERT INTO search_walk_bound (term, low, high)
    SELECT {rows}
    ON CONFLICT (term) DO UPDATE SET low = min(low, excluded.low), high = max(high, excluded.high)
    WHERE excluded.low < low OR excluded.high > high;"""


def _prices(sign: int, facts: str) -> str:
    return f"{facts}.price, {facts}.price"


def _sqlite_words(facts: str, text: str, join: str) -> str:
    return facets._sqlite_terms(1, facts, text, join, SQLITE_WIDEN, _prices)


FACTS_OF = "(SELECT * FROM search_product f WHERE f.product_id = new.product_id) f"
TEXT_OF = "(SELECT * FROM search_product_text x WHERE x.product_id = new.product_id) x"
SQLITE = f"""
{TABLE.format(options=" WITHOUT ROWID")}
CREATE TRIGGER search_walk_added AFTER INSERT ON search_product BEGIN
    {_sqlite_words("new", "x", TEXT_OF)}
END;
CREATE TRIGGER search_walk_priced AFTER UPDATE OF price ON search_product
WHEN old.price IS NOT new.price BEGIN
    {_sqlite_words("new", "x", TEXT_OF)}
END;
CREATE TRIGGER search_walk_words_added AFTER INSERT ON search_product_text BEGIN
    {_sqlite_words("f", "new", FACTS_OF)}
END;
CREATE TRIGGER search_walk_words_changed AFTER UPDATE OF name_terms, more_terms
ON search_product_text WHEN {facets.TERMS_CHANGED} BEGIN
    {_sqlite_words("f", "new", FACTS_OF)}
END;
"""
# The exact bounds of the index as it is (SQLite).
SQLITE_EXACT = f"""INSERT INTO search_walk_bound (term, low, high)
    SELECT t.value, MIN(sp.price), MAX(sp.price)
    FROM search_product sp JOIN search_product_text x ON x.product_id = sp.product_id,
    {facets.TERMS_OF.format(row="x")} WHERE t.value <> '' GROUP BY t.value"""
SQLITE_DROP = """
DROP TRIGGER search_walk_added;
DROP TRIGGER search_walk_priced;
DROP TRIGGER search_walk_words_added;
DROP TRIGGER search_walk_words_changed;
DROP TABLE search_walk_bound;
"""

# PostgreSQL: the terms of the rows `{rows}` whose bounds they widen, in term order (so
# that writers lock bound rows in one order); a write inside the bounds locks none.
PG_WIDEN = """INSERT INTO search_walk_bound (term, low, high)
        SELECT c.term, c.low, c.high FROM (
            SELECT t AS term, min(price) AS low, max(price) AS high
            FROM {rows}, unnest(tsvector_to_array(document)) t GROUP BY t
        ) c WHERE NOT EXISTS (SELECT 1 FROM search_walk_bound b
            WHERE b.term = c.term AND b.low <= c.low AND b.high >= c.high)
        ORDER BY c.term
        ON CONFLICT (term) DO UPDATE SET low = least(search_walk_bound.low, excluded.low),
            high = greatest(search_walk_bound.high, excluded.high);"""
# An update's rows whose price or words changed (checkouts change neither).
CHANGED = """(SELECT n.price, n.document FROM new_rows n JOIN old_rows o
            ON o.product_id = n.product_id
            WHERE n.price <> o.price OR n.document IS DISTINCT FROM o.document) changed"""
# Widens the bounds by the terms of the changed rows: the function of the statement triggers.
FUNCTION = f"""CREATE FUNCTION search_walk_widen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {PG_WIDEN.format(rows="new_rows")}
    ELSE
        {PG_WIDEN.format(rows=CHANGED)}
    END IF;
    RETURN NULL;
END $$;
"""
POSTGRES = f"""
{TABLE.format(options="")}
{FUNCTION}CREATE TRIGGER search_walk_added AFTER INSERT ON search_product
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_walk_widen();
CREATE TRIGGER search_walk_changed AFTER UPDATE ON search_product
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_walk_widen();
"""
# The exact bounds of the index as it is (PostgreSQL).
POSTGRES_EXACT = """INSERT INTO search_walk_bound (term, low, high)
    SELECT t, min(price), max(price) FROM search_product,
    unnest(tsvector_to_array(document)) t GROUP BY t"""
POSTGRES_DROP = """
DROP TRIGGER search_walk_added ON search_product;
DROP TRIGGER search_walk_changed ON search_product;
DROP FUNCTION search_walk_widen();
DROP TABLE search_walk_bound;
"""


async def create_bounds(apps, schema_editor) -> None:
    await facets.run(
        schema_editor.client, POSTGRES + POSTGRES_EXACT + ";", SQLITE + SQLITE_EXACT + ";"
    )


async def drop_bounds(apps, schema_editor) -> None:
    await facets.run(schema_editor.client, POSTGRES_DROP, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0042_search_name_index")]

    initial = False

    operations = [ops.RunPython(create_bounds, drop_bounds)]
