"""An outbox row may be an SMS: the one sent in place of a WhatsApp message refused for good,
recorded (sent, tried again, given up) apart from that WhatsApp row.

Only the field's description changes, in the migrations' state: the column stays a
varchar(16), which holds "SMS" as it is. A plain AlterField would rebuild the table on SQLite
(Tortoise's SQLite editor remakes a table to alter a column) and leave it without its unique
(user, event, channel), which keeps an event told once per channel."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from models.platform.notifications import NotificationChannel


class DescribeField(ops.AlterField):
    """AlterField in the migrations' state only; the database is left as it is."""

    async def database_forward(self, *args: object, **kwargs: object) -> None:
        return None

    async def database_backward(self, *args: object, **kwargs: object) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0043_search_walk_bounds")]

    initial = False

    operations = [
        DescribeField(
            model_name="OutboxMessage",
            name="channel",
            field=fields.CharEnumField(
                description="IN_APP: IN_APP\nEMAIL: EMAIL\nWHATSAPP: WHATSAPP\nSMS: SMS",
                enum_type=NotificationChannel,
                max_length=16,
            ),
        ),
    ]
