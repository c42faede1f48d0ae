"""Search over a price range: its facets and total counted from an index alone.

A price range without words (or with any filter the facet tally cannot answer) counts its
matches per (category, kecamatan, halal). `search_product_price` orders the page, but the
count then looked every match up in the table (about 26,000 rows for a quarter of 100,000
products); `search_product_priced_facets` holds the grouped columns after the price, so the
range is counted from the index alone (issue 30: on SQLite about 5x faster).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

INDEX = (
    "CREATE INDEX search_product_priced_facets"
    " ON search_product (price, category_id, kecamatan, is_halal, in_stock);"
)


async def add_index(apps, schema_editor) -> None:
    await schema_editor.client.execute_script(INDEX)


async def drop_index(apps, schema_editor) -> None:
    await schema_editor.client.execute_script("DROP INDEX search_product_priced_facets;")


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0034_time_deposits")]

    initial = False

    operations = [ops.RunPython(add_index, drop_index)]
