"""Each payout keeps the provider it went to, so that a re-check asks that provider only.

A host whose `PAYOUTS` names another provider (after a switch, or a sandbox beside a real one
on one database) would otherwise ask the wrong one and take its made-up answer. Payouts made
before this migration went to the sandbox, the only provider `PAYOUTS` defaulted to.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0038_notifications")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Payout",
            name="provider",
            field=fields.CharField(default="sandbox", max_length=20),
        ),
    ]
