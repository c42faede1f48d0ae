"""Loads the kecamatan and kelurahan reference data."""

from tortoise import migrations
from tortoise.migrations import operations as ops

from models.platform.regions_data import rows


def _placeholders(client, count: int) -> str:
    if client.capabilities.dialect == "postgres":
        return ", ".join(f"${i}" for i in range(1, count + 1))
    return ", ".join("?" * count)


async def load_regions(apps, schema_editor) -> None:
    client = schema_editor.client
    data = rows()
    kecamatan = sorted({(r.kecamatan_code, r.kecamatan) for r in data})
    await client.execute_many(
        f"INSERT INTO kecamatan (code, name) VALUES ({_placeholders(client, 2)})",
        [list(k) for k in kecamatan],
    )
    await client.execute_many(
        f"INSERT INTO kelurahan (code, name, kecamatan_id) VALUES ({_placeholders(client, 3)})",
        [[r.code, r.kelurahan, r.kecamatan_code] for r in data],
    )


async def unload_regions(apps, schema_editor) -> None:
    await schema_editor.client.execute_script("DELETE FROM kelurahan; DELETE FROM kecamatan;")


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0001_initial")]

    operations = [ops.RunPython(load_regions, unload_regions)]
