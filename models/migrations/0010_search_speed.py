"""Search at 100,000 products: indexes that let counts and pages skip the rows they need not read.

- `search_product_facets` also holds `in_stock`, so facets of a browse filtered on stock
  (with or without halal, category, kecamatan) are counted from the index alone.
- `search_product_best` (PostgreSQL) lists, newest first, the verified products in stock:
  RELEVANCE's best rows are read down it and stop at a page, rather than every match sorted
  (SQLite reads them newest first from the FTS5 match list instead).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

FACETS = "CREATE INDEX search_product_facets ON search_product ({columns});"
BEFORE = "category_id, kecamatan, is_halal"
AFTER = "category_id, kecamatan, is_halal, in_stock"
BEST = (
    "CREATE INDEX search_product_best ON search_product (product_id) WHERE verified AND in_stock;"
)


async def speed_up(apps, schema_editor) -> None:
    client = schema_editor.client
    script = "DROP INDEX search_product_facets;" + FACETS.format(columns=AFTER)
    if client.capabilities.dialect == "postgres":
        script += BEST
    await client.execute_script(script)


async def slow_down(apps, schema_editor) -> None:
    client = schema_editor.client
    await client.execute_script(
        "DROP INDEX IF EXISTS search_product_best; DROP INDEX search_product_facets;"
        + FACETS.format(columns=BEFORE)
    )


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0009_lookup_indexes")]

    initial = False

    operations = [ops.RunPython(speed_up, slow_down)]
