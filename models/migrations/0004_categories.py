"""Loads the category tree."""

from tortoise import migrations
from tortoise.migrations import operations as ops

from models.catalog.categories import CATEGORIES


async def load_categories(apps, schema_editor) -> None:
    client = schema_editor.client
    marks = "$1, $2, $3, $4, $5" if client.capabilities.dialect == "postgres" else "?, ?, ?, ?, ?"
    insert = f"INSERT INTO category (id, slug, name, parent_id, position) VALUES ({marks})"
    rows = []
    next_id = 1
    for position, (slug, name, children) in enumerate(CATEGORIES):
        parent_id = next_id
        rows.append([parent_id, slug, name, None, position])
        next_id += 1
        for child_position, (child_slug, child_name) in enumerate(children):
            rows.append([next_id, child_slug, child_name, parent_id, child_position])
            next_id += 1
    await client.execute_many(insert, rows)
    if client.capabilities.dialect == "postgres":
        await client.execute_script(
            "SELECT setval(pg_get_serial_sequence('category', 'id'), (SELECT MAX(id) FROM category))"
        )


async def unload_categories(apps, schema_editor) -> None:
    await schema_editor.client.execute_script("DELETE FROM category")


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0003_shops_catalog")]

    operations = [ops.RunPython(load_categories, unload_categories)]
