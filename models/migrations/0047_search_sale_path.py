"""A sale's short path through the search index on PostgreSQL (issue 30: checkouts must not
be slower for the search tallies).

A checkout changes a product's stock and units sold. The product's row trigger (0007)
wrote that into `search_product` with an upsert, and an upsert fires the statement triggers
of an insert as well as of an update: the vocabulary, the rating, the facet and price
tallies, the walk bounds and the term prices, nine in all, each unnesting the row's terms
to find that nothing it counts had changed.
- The row trigger now updates just the stock and sales when a product that stays active
  keeps its shop, category, price and halal mark; the upsert is left for the rest (and for
  a product whose row is missing).
- Each update trigger returns at once when the updated rows hold, as a multiset, the same
  facts it counts as before (the same tuples of those columns: then every count and bound
  it keeps is unchanged).
SQLite's row triggers already fire only on the columns they count (`WHEN` clauses).
"""

import importlib

from tortoise import migrations
from tortoise.migrations import operations as ops

search = importlib.import_module("models.migrations.0007_search")
facets = importlib.import_module("models.migrations.0019_search_facets")
prices = importlib.import_module("models.migrations.0041_search_price_tally")
walks = importlib.import_module("models.migrations.0043_search_walk_bounds")
term_prices = importlib.import_module("models.migrations.0046_search_term_price")

SALE = """
    IF TG_OP = 'UPDATE' AND OLD.status = 'ACTIVE' AND NEW.shop_id = OLD.shop_id
        AND NEW.category_id IS NOT DISTINCT FROM OLD.category_id AND NEW.price = OLD.price
        AND NEW.is_halal = OLD.is_halal THEN
        UPDATE search_product SET in_stock = NEW.stock > 0, units_sold = NEW.units_sold
        WHERE product_id = NEW.id;
        IF FOUND THEN
            RETURN NULL;
        END IF;
    END IF;"""
# An update trigger's early return: nothing it counts (the columns `{facts}`) has changed.
UNCHANGED = """
    IF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (SELECT {facts} FROM new_rows EXCEPT ALL SELECT {facts} FROM old_rows) THEN
            RETURN NULL;
        END IF;
    END IF;"""
FACETS = facets.pg_count(prices.pg_queues(), create="CREATE OR REPLACE")
FACET_FACTS = "document, category_id, kecamatan, is_halal, in_stock, price"
# Each statement trigger's function, and the facts of `search_product` its counts are made of.
COUNTED = (
    (search.TERM_COUNT, "document"),
    (FACETS, FACET_FACTS),
    (walks.FUNCTION, "document, price"),
    (term_prices.FUNCTION, "document, price"),
)


def replaced(function: str, facts: str | None = None) -> str:
    """`function` as CREATE OR REPLACE, returning early when none of `facts` changed."""
    replacing = function.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
    if facts is None:
        return replacing
    return replacing.replace("BEGIN", "BEGIN" + UNCHANGED.format(facts=facts), 1)


POSTGRES = search.PRODUCT_SYNC.format(create="CREATE OR REPLACE", sale=SALE) + "".join(
    replaced(function, facts) for function, facts in COUNTED
)
POSTGRES_DROP = search.PRODUCT_SYNC.format(create="CREATE OR REPLACE", sale="") + "".join(
    replaced(function) for function, _ in COUNTED
)


async def shorten(apps, schema_editor) -> None:
    await facets.run(schema_editor.client, POSTGRES, "")


async def lengthen(apps, schema_editor) -> None:
    await facets.run(schema_editor.client, POSTGRES_DROP, "")


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0046_search_term_price")]

    initial = False

    operations = [ops.RunPython(shorten, lengthen)]
