"""The sandbox test clock: its one row (the offset, at 0) and the record of the daily sweeps
its advances ran."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

ONE_ROW = "INSERT INTO clock_offset (id, offset_days) VALUES (1, 0)"


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0024_complaints")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ClockOffset",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("offset_days", fields.IntField(default=0)),
                ("lease", fields.CharField(null=True, max_length=32)),
                (
                    "leased_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={"table": "clock_offset", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ClockSweep",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("kind", fields.CharField(max_length=40)),
                ("day", fields.DateField()),
                ("changed", fields.IntField(default=0)),
                ("ran_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "clock_sweep",
                "app": "satupintu",
                "unique_together": (("kind", "day"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.RunSQL(ONE_ROW, reverse_sql="DELETE FROM clock_offset"),
    ]
