"""A NIK belongs to one account across the city (`nik_owner`), no longer to whoever applied
with it first in a cooperative: the (cooperative, nik) uniqueness goes, and the owners are
the accounts of the first approved membership of each NIK so far."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

FIRST_OWNERS = """
INSERT INTO nik_owner (nik, user_id, membership_id, verified_at)
SELECT m.nik, m.user_id, m.id, m.joined_at FROM membership m
WHERE m.status IN ('ACTIVE', 'ENDED') AND m.nik IS NOT NULL AND m.joined_at IS NOT NULL
AND m.id = (
    SELECT e.id FROM membership e
    WHERE e.nik = m.nik AND e.status IN ('ACTIVE', 'ENDED') AND e.joined_at IS NOT NULL
    ORDER BY e.joined_at, e.id LIMIT 1
)
"""


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0021_money_requests")]

    initial = False

    operations = [
        ops.CreateModel(
            name="NikOwner",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("nik", fields.CharField(unique=True, max_length=16)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="verified_niks",
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
                        related_name="verified_niks",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("verified_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={"table": "nik_owner", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.RemoveConstraint(
            model_name="Membership",
            name=None,
            fields=["cooperative", "nik"],
        ),
        ops.AddIndex(
            model_name="Membership",
            index=Index(fields=["nik"]),
        ),
        ops.RunSQL(FIRST_OWNERS, reverse_sql="DELETE FROM nik_owner"),
    ]
