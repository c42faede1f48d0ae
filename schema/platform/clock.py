"""The server's clock, and the sandbox's test clock that a CITY_ADMIN moves forward."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.platform import SweepRun, now, offset_days, test_clock, today
from schema.platform.errors import UserError, payload_of


@strawberry.type(
    description="The server's time as every rule reads it: payment deadlines, bills falling"
    " due, denda, kolektibilitas. In a sandbox (the TEST_CLOCK setting) it may run whole days"
    " ahead of the real time."
)
class Clock:
    now: datetime = strawberry.field(description="This moment, on the server's clock.")
    today: date = strawberry.field(description="The business day (Asia/Jakarta) of `now`.")
    is_test_clock: bool = strawberry.field(
        description="True when the server is a sandbox whose clock a CITY_ADMIN may move"
        " forward (advanceTestClock); false on a deployment for real users."
    )
    offset_days: int = strawberry.field(
        description="Whole days the clock runs ahead of the real time; 0 unless moved."
    )

    @classmethod
    def read(cls, info: Info) -> Clock:
        return cls(
            now=now(),
            today=today(),
            is_test_clock=info.context.services.clock is not None,
            offset_days=offset_days(),
        )


@strawberry.type(description="What one sweep did for one day the clock passed.")
class ClockSweep:
    kind: str = strawberry.field(
        description="Which sweep: PAYMENT_RECHECK (pending payments are asked about again at"
        " the payment provider), ORDER_EXPIRY (orders unpaid in time are cancelled),"
        " BILL_RECHECK (outside bills left PENDING are asked about again), and any the server"
        " adds."
    )
    day: date = strawberry.field(description="The business day (Asia/Jakarta) it ran for.")
    changed: int = strawberry.field(description="How many objects it changed.")

    @classmethod
    def of(cls, run: SweepRun) -> ClockSweep:
        return cls(kind=run.kind, day=run.day, changed=run.changed)


@strawberry.input(description="How far to move the test clock.")
class AdvanceTestClockInput:
    days: int = strawberry.field(
        description=f"Whole days forward, 1 to {test_clock.MAX_DAYS} (else INVALID)."
    )


@strawberry.type(description="The result of advanceTestClock.")
class AdvanceTestClockPayload:
    clock: Clock | None = strawberry.field(
        default=None, description="The clock after the move; null when refused."
    )
    sweeps: list[ClockSweep] = strawberry.field(
        default_factory=list,
        description="Every sweep run, day by day in order; a day swept already is not again.",
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="PERMISSION_DENIED (not CITY_ADMIN), INVALID (days out of range),"
        " INVALID_STATE (TEST_CLOCK is off: nothing changes).",
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="The server's time as every rule uses it (Asia/Jakarta business day), and"
        " whether it is a test clock and how far it runs ahead. Anyone may read it."
    )
    def clock(self, info: Info) -> Clock:
        return Clock.read(info)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="CITY_ADMIN, in a sandbox (TEST_CLOCK on): move the clock forward by whole"
        " days; for each day passed, in order, every periodic sweep runs once at that day's"
        " time, so what those days would have brought is done when the answer comes. Two"
        " advances at once run one after the other. Never backward."
    )
    async def advance_test_clock(
        self,
        info: Info,
        input: Annotated[
            AdvanceTestClockInput, strawberry.argument(description="How many days to move.")
        ],
    ) -> AdvanceTestClockPayload:
        return await payload_of(
            AdvanceTestClockPayload,
            lambda: test_clock.advance(info.context.viewer, input.days, info.context.services),
            lambda runs: AdvanceTestClockPayload(
                clock=Clock.read(info), sweeps=[ClockSweep.of(r) for r in runs]
            ),
        )
