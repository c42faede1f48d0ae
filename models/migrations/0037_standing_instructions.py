"""Issue 29's standing instructions (auto-debit): a member's instruction to pay their bills
from SUKARELA on their due dates, and each auto-debit outcome once per bill and date."""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.bills import AutoDebitOutcome, StandingInstructionStatus


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0036_loan_groups")]

    initial = False

    operations = [
        ops.CreateModel(
            name="StandingInstruction",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
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
                (
                    "kinds",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=StandingInstructionStatus.ACTIVE,
                        description="ACTIVE: ACTIVE\nPAUSED: PAUSED\nCANCELLED: CANCELLED",
                        enum_type=StandingInstructionStatus,
                        max_length=9,
                    ),
                ),
                ("live_membership_id", fields.BigIntField(null=True, unique=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("paused_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "cancelled_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "standing_instruction",
                "app": "satupintu",
                "indexes": [
                    Index(fields=["membership_id", "id"]),
                    Index(fields=["status", "membership_id"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AutoDebitAttempt",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "bill",
                    fields.ForeignKeyField(
                        "satupintu.Bill",
                        source_field="bill_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "instruction",
                    fields.ForeignKeyField(
                        "satupintu.StandingInstruction",
                        source_field="instruction_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("date", fields.DateField()),
                (
                    "outcome",
                    fields.CharEnumField(
                        description="PAID: PAID\nUNPAID: UNPAID",
                        enum_type=AutoDebitOutcome,
                        max_length=6,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "auto_debit_attempt",
                "app": "satupintu",
                "unique_together": (("bill", "date", "outcome"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
    ]
