"""State only: the options migration 0018 gave `CategoryCount` as the models declare them, so
the autodetector finds nothing left to migrate (`tests/test_migrations_match_models.py`).
No statement reaches the database."""

from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0019_search_facets")]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name="CategoryCount",
            options={"table": "category_count", "app": "satupintu", "pk_attr": "category_id"},
        ),
    ]
