"""Moving the sandbox's clock forward by whole days: each day passed, in order, runs every
sweep once at that day's time, whichever worker or host asks and however many ask at once.

An advance holds the clock row's lease (a conditional update, so workers and hosts queue on
the database), moves the offset one day at a time after that day's sweeps, and records each
(sweep, day) under a unique constraint, so no day is swept twice."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from models.platform import CLOCK_ROW, ClockOffset, ClockSweep, User
from resolvers.platform.accounts import require_city_admin
from resolvers.platform.clock import ahead, real_now, today
from resolvers.platform.errors import ErrorCode, UserError

if TYPE_CHECKING:
    from resolvers.providers import Services

MAX_DAYS = 400
LEASE = timedelta(seconds=60)  # renewed every day passed; a dead advance frees it this soon
WAIT_FOR_LEASE = timedelta(minutes=5)
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Sweep:
    """One periodic sweep: `run` does what is due at the clock's time, and answers how many
    objects it changed."""

    kind: str
    run: Callable[[Services], Awaitable[int]]
    what: str  # for the log: what it does


@dataclass(frozen=True)
class SweepRun:
    kind: str
    day: date
    changed: int


async def advance(viewer: User | None, days: int, services: Services) -> list[SweepRun]:
    """CITY_ADMIN moves the test clock `days` ahead, running each day's sweeps on the way."""
    require_city_admin(viewer)
    clock = services.clock
    if clock is None:
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Jam uji tidak aktif di server ini (setelan TEST_CLOCK): waktu tidak bisa dimajukan.",
        )
    if not 1 <= days <= MAX_DAYS:
        raise UserError(ErrorCode.INVALID, f"Jumlah hari harus 1 sampai {MAX_DAYS}.", "input.days")
    lease = await _take_lease()
    try:
        start = await clock.refresh()  # as the lease holder reads it: no advance is midway
        runs: list[SweepRun] = []
        for offset in range(start + 1, start + days + 1):
            await _hold(lease)
            with ahead(offset):
                runs += await _sweep_day(services.sweeps, services)
            moved = await ClockOffset.filter(
                id=CLOCK_ROW, lease=lease, offset_days=offset - 1
            ).update(offset_days=offset)
            if moved != 1:
                raise RuntimeError("the test clock's lease was lost midway")
            clock.seen(offset)
        return runs
    finally:
        await ClockOffset.filter(id=CLOCK_ROW, lease=lease).update(lease=None, leased_until=None)


async def _sweep_day(sweeps: Sequence[Sweep], services: Services) -> list[SweepRun]:
    """Every sweep at the current (advanced) time, each once for its business day."""
    runs = []
    for sweep in sweeps:
        day = today()
        try:
            claim = await ClockSweep.create(kind=sweep.kind, day=day)
        except IntegrityError:
            continue  # already swept for that day
        try:
            changed = await sweep.run(services)
        except BaseException:
            await claim.delete()  # not done: the next advance sweeps that day again
            raise
        await ClockSweep.filter(id=claim.id).update(changed=changed)
        runs.append(SweepRun(sweep.kind, day, changed))
    return runs


async def _take_lease() -> str:
    """Wait for the clock row to be free (or its holder's lease to run out), then hold it."""
    lease = secrets.token_hex(16)
    deadline = real_now() + WAIT_FOR_LEASE
    while True:
        at = real_now()
        taken = await ClockOffset.filter(
            Q(lease=None) | Q(leased_until__lt=at), id=CLOCK_ROW
        ).update(lease=lease, leased_until=at + LEASE)
        if taken:
            return lease
        if at > deadline:
            raise UserError(
                ErrorCode.INVALID_STATE,
                "Jam uji sedang dimajukan oleh permintaan lain; coba lagi sebentar lagi.",
            )
        await asyncio.sleep(POLL_SECONDS)


async def _hold(lease: str) -> None:
    """Renew the lease for the next day's sweeps; losing it stops the advance."""
    renewed = await ClockOffset.filter(id=CLOCK_ROW, lease=lease).update(
        leased_until=real_now() + LEASE
    )
    if renewed != 1:
        raise RuntimeError("the test clock's lease was lost midway")
