from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0004_categories")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Image",
            name="digest",
            field=fields.CharField(default="", db_index=True, max_length=64),
        ),
    ]
