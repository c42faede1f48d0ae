"""Journal entries name the member whose business they record, also when no line moves that
member's savings (a loan installment paid by QRIS), so SHU can credit jasa anggota. Entries
written before this have none; their member lines still name the member."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0013_city")]

    initial = False

    operations = [
        ops.AddField(
            model_name="JournalEntry",
            name="membership",
            field=fields.ForeignKeyField(
                "satupintu.Membership",
                source_field="membership_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name=False,
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.AddIndex(
            model_name="JournalEntry",
            index=Index(fields=["membership_id", "kind"]),
        ),
    ]
