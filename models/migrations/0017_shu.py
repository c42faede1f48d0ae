"""SHU: one distribution per (cooperative, year) with each member's share, and the two
accounts its closing entries need, added to every chart opened before (open_books opens them
for new cooperatives)."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from models.shu import ShuDestination

# Code, name and kind as in resolvers.books.CHART when this was written.
ACCOUNTS = (
    ("2-1900", "Dana Alokasi SHU", "LIABILITY"),
    ("3-3100", "SHU Belum Dibagi", "EQUITY"),
)


async def add_accounts(apps, schema_editor) -> None:
    client = schema_editor.client
    for code, name, kind in ACCOUNTS:
        await client.execute_script(
            "INSERT INTO ledger_account (cooperative_id, code, name, kind) "
            f"SELECT id, '{code}', '{name}', '{kind}' FROM cooperative;"
        )


async def remove_accounts(apps, schema_editor) -> None:
    codes = ", ".join(f"'{code}'" for code, _, _ in ACCOUNTS)
    await schema_editor.client.execute_script(
        f"DELETE FROM ledger_account WHERE code IN ({codes});"
    )


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0016_bills")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ShuDistribution",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "cooperative",
                    fields.ForeignKeyField(
                        "satupintu.Cooperative",
                        source_field="cooperative_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="shu_distributions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("year", fields.IntField()),
                ("surplus", fields.BigIntField(default=0)),
                ("books_surplus", fields.BigIntField(default=0)),
                ("reserve_bps", fields.IntField(default=0)),
                ("capital_service_bps", fields.IntField(default=0)),
                ("member_service_bps", fields.IntField(default=0)),
                ("reserve", fields.BigIntField(default=0)),
                ("capital_service_pool", fields.BigIntField(default=0)),
                ("member_service_pool", fields.BigIntField(default=0)),
                ("allocations_payable", fields.BigIntField(default=0)),
                ("distributed", fields.BigIntField(default=0)),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="actor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "shu_distribution",
                "app": "satupintu",
                "unique_together": (("cooperative", "year"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ShuShare",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "distribution",
                    fields.ForeignKeyField(
                        "satupintu.ShuDistribution",
                        source_field="distribution_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="shares",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "membership",
                    fields.ForeignKeyField(
                        "satupintu.Membership",
                        source_field="membership_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("capital_share", fields.BigIntField()),
                ("service_share", fields.BigIntField()),
                (
                    "destination",
                    fields.CharEnumField(
                        description="SUKARELA: SUKARELA\nPAYABLE: PAYABLE",
                        enum_type=ShuDestination,
                        max_length=10,
                    ),
                ),
            ],
            options={
                "table": "shu_share",
                "app": "satupintu",
                "unique_together": (("distribution", "membership"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.RunPython(add_accounts, remove_accounts),
    ]
