"""The facet tally also counts where a word is, on PostgreSQL (issue 30): under `^` and the
term, the products whose name holds it, per (category, kecamatan, halal), and how many of
them are in stock.

RELEVANCE reads a word's matches tier by tier, the name's tiers first
(`resolvers.search.relevance`). With a filter, a tier may hold none of the filtered matches
although the word's other tiers do ("tanah" halal: 27,310 names at 1,000,000 products, no
halal one), and PostgreSQL walked each such tier to its end to find that (228 and 314 ms).
From these rows a filtered search knows which tiers hold its matches, and reads only those.

The name's terms are those of the tiers' index (0042): `to_tsvector('simple', name_terms)`.
Kept by the facet tally's statement trigger in the writing transaction, like the rest of the
tally (0040), whose guard (0047) now also watches `name_terms`. SQLite keeps no such rows:
its tiers read the word's own FTS5 rows, which bound what an empty tier costs. Backfilled
from the index as it is.
"""

import importlib

from tortoise import migrations
from tortoise.migrations import operations as ops

facets = importlib.import_module("models.migrations.0019_search_facets")
stock = importlib.import_module("models.migrations.0040_search_stock_tally")
prices = importlib.import_module("models.migrations.0041_search_price_tally")
sale_path = importlib.import_module("models.migrations.0047_search_sale_path")

# A row's name's terms, each after a mark that no term holds (terms are [a-z0-9]+).
NAME_TERMS = "unnest(tsvector_to_array(to_tsvector('simple', name_terms)))"
NAMES = f"array(SELECT '^' || n FROM {NAME_TERMS} n)"
FUNCTION = sale_path.replaced(
    facets.pg_count(prices.pg_queues(stock.pg_pairs(f"{stock.TERMS} || {NAMES}"))),
    f"{sale_path.FACET_FACTS}, name_terms",
)
POSTGRES = (
    FUNCTION
    + "\n"
    + stock.TALLY.format(
        rows="'^' || t, category_id, kecamatan, is_halal, COUNT(*), COUNT(*) FILTER (WHERE in_stock)"
        f" FROM search_product, {NAME_TERMS} t GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    )
)
POSTGRES_DROP = (
    sale_path.replaced(sale_path.FACETS, sale_path.FACET_FACTS)
    + "\nDELETE FROM search_facet WHERE term LIKE '^%';"
)


async def count_names(apps, schema_editor) -> None:
    await facets.run(schema_editor.client, POSTGRES, "")


async def uncount_names(apps, schema_editor) -> None:
    await facets.run(schema_editor.client, POSTGRES_DROP, "")


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0047_search_sale_path")]

    initial = False

    operations = [ops.RunPython(count_names, uncount_names)]
