"""The sandbox test clock: how many whole days it runs ahead, shared by every worker and
host, and the daily sweeps it has run, one row per (sweep, day)."""

from tortoise import fields
from tortoise.models import Model

from models.platform.moments import Moment

CLOCK_ROW = 1  # the table's only row


class ClockOffset(Model):
    # The one row (id 1): the offset only grows; `lease` is the advance that holds it, until
    # `leased_until` (an advance that dies lets the next one in once its lease runs out).
    id = fields.IntField(primary_key=True)
    offset_days = fields.IntField(default=0)
    lease = fields.CharField(max_length=32, null=True)
    leased_until = Moment(null=True)

    class Meta:
        table = "clock_offset"


class ClockSweep(Model):
    # One sweep run for one business day passed by an advance: the unique pair is what keeps
    # a day's sweep to once, however many workers or hosts advance the clock.
    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=40)
    day = fields.DateField()
    changed = fields.IntField(default=0)
    ran_at = Moment(auto_now_add=True)

    class Meta:
        table = "clock_sweep"
        unique_together = (("kind", "day"),)
