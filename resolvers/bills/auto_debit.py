"""Standing instructions (auto-debit): a member authorises the cooperative to pay their simpanan
wajib and loan installment bills from SUKARELA on their due dates, and the daily run does.

Every automatic payment is the one PayBills from SUKARELA makes for that bill (`write_receipt`
and `take_bills`: the same receipt, journal entry, savings movements and feed events), one
bill per transaction. A bill is taken by PayBills' conditional UPDATE from UNPAID and the
savings by a conditional UPDATE that never goes below zero, so overlapping runs (the sweep on
another host, the pengurus twice at once) pay a bill once and never partly. Each outcome is
recorded once per bill and date (`record_outcome`), in the transaction of the payment."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.bills import (
    AutoDebitAttempt,
    AutoDebitOutcome,
    Bill,
    BillKind,
    BillStatus,
    PaymentSource,
    StandingInstruction,
    StandingInstructionStatus,
)
from models.cooperatives import Membership, MembershipStatus
from models.platform import User
from resolvers.bills.payment import PayBillsFields, take_bills, write_receipt
from resolvers.bills.reminders import bill_summary
from resolvers.cooperatives import (
    Journal,
    acting_pengurus,
    can_view_savings,
    coop_viewer,
    loans_for,
)
from resolvers.platform import (
    Broker,
    ErrorCode,
    NotificationKind,
    UserError,
    notify,
    now,
    require_user,
    tanggal,
    today,
    visibility,
)
from resolvers.providers import Services

logger = logging.getLogger("satupintu.bills")

# What an instruction may pay, in the order a run pays them (each oldest due first).
AUTO_DEBIT_KINDS = (BillKind.LOAN_INSTALLMENT, BillKind.SIMPANAN_WAJIB)

# An instruction: as its membership's savings (the member and the cooperative's pengurus).
visibility.register("StandingInstruction", StandingInstruction, loans_for)


@dataclass
class AutoDebitRun:
    """What one run did: the bills it paid and those it left UNPAID, in the order tried."""

    paid: list[Bill] = field(default_factory=list)
    unpaid: list[Bill] = field(default_factory=list)

    @property
    def collected(self) -> int:
        return sum(bill.amount + bill.admin_fee for bill in self.paid)


def _checked_kinds(kinds: list[BillKind]) -> list[str]:
    """The kinds in the run's order, each once; INVALID when none or another kind."""
    if not kinds or any(kind not in AUTO_DEBIT_KINDS for kind in kinds):
        raise UserError(
            ErrorCode.INVALID,
            "Pilih tagihan simpanan wajib dan/atau angsuran pinjaman.",
            "kinds",
        )
    return [kind.value for kind in AUTO_DEBIT_KINDS if kind in kinds]


async def create_instruction(
    viewer: User | None, membership_id: int, kinds: list[BillKind]
) -> StandingInstruction:
    """The member themself: a new ACTIVE instruction, one not CANCELLED per membership."""
    user = require_user(viewer)
    membership = await Membership.get_or_none(id=membership_id)
    if membership is None or not can_view_savings(await coop_viewer(user), membership):
        raise UserError(ErrorCode.NOT_FOUND, "Keanggotaan tidak ditemukan.", "membershipId")
    if membership.user_id != user.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Hanya anggota ini yang boleh memberi kuasa autodebet dari simpanan sukarelanya.",
            "membershipId",
        )
    if membership.status != MembershipStatus.ACTIVE:
        raise UserError(ErrorCode.INVALID_STATE, "Keanggotaan ini tidak aktif.", "membershipId")
    chosen = _checked_kinds(kinds)
    try:
        return await StandingInstruction.create(
            membership_id=membership.id, kinds=chosen, live_membership_id=membership.id
        )
    except IntegrityError:
        raise UserError(
            ErrorCode.DUPLICATE,
            "Keanggotaan ini sudah punya instruksi autodebet; jeda atau batalkan dulu.",
            "membershipId",
        ) from None


async def _seen(user: User, instruction_id: int) -> tuple[StandingInstruction, Membership]:
    """The instruction the member or a pengurus of its cooperative may see; NOT_FOUND else."""
    found = await StandingInstruction.get_or_none(id=instruction_id).select_related("membership")
    if found is None or not can_view_savings(await coop_viewer(user), found.membership):
        raise UserError(ErrorCode.NOT_FOUND, "Instruksi autodebet tidak ditemukan.", "id")
    return found, found.membership


async def _moved(
    instruction_id: int, source: tuple[StandingInstructionStatus, ...], **change: object
) -> StandingInstruction:
    """The instruction moved by a conditional UPDATE from a status of `source`; INVALID_STATE
    when it is in none of them (also when a racing request moved it first)."""
    moved = await StandingInstruction.filter(id=instruction_id, status__in=source).update(**change)
    if not moved:
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Instruksi autodebet ini tidak bisa diubah begitu dalam statusnya sekarang.",
            "id",
        )
    return await StandingInstruction.get(id=instruction_id)


async def pause_instruction(viewer: User | None, instruction_id: int) -> StandingInstruction:
    """The member or a pengurus: ACTIVE to PAUSED; runs skip it."""
    await _seen(require_user(viewer), instruction_id)
    return await _moved(
        instruction_id,
        (StandingInstructionStatus.ACTIVE,),
        status=StandingInstructionStatus.PAUSED,
        paused_at=now(),
    )


async def resume_instruction(viewer: User | None, instruction_id: int) -> StandingInstruction:
    """The member themself: PAUSED to ACTIVE; the next run collects what fell due meanwhile."""
    user = require_user(viewer)
    _, membership = await _seen(user, instruction_id)
    if membership.user_id != user.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Hanya anggota ini yang boleh melanjutkan autodebetnya.",
            "id",
        )
    return await _moved(
        instruction_id,
        (StandingInstructionStatus.PAUSED,),
        status=StandingInstructionStatus.ACTIVE,
        paused_at=None,
    )


async def cancel_instruction(viewer: User | None, instruction_id: int) -> StandingInstruction:
    """The member or a pengurus: ends it for good; the membership may then create another."""
    await _seen(require_user(viewer), instruction_id)
    return await _moved(
        instruction_id,
        (StandingInstructionStatus.ACTIVE, StandingInstructionStatus.PAUSED),
        status=StandingInstructionStatus.CANCELLED,
        cancelled_at=now(),
        live_membership_id=None,
    )


async def instructions_of(membership: Membership) -> list[StandingInstruction]:
    """Call `can_view_savings` first: the membership's instructions, newest first."""
    return await StandingInstruction.filter(membership_id=membership.id).order_by("-id")


async def record_outcome(
    instruction: StandingInstruction, bill: Bill, day: date, outcome: AutoDebitOutcome
) -> bool:
    """Inside the run's transaction: the outcome of `bill` for `day`, recorded once however
    many runs reach it; whether this call recorded it (the member is told of it then)."""
    try:
        async with in_transaction():  # a savepoint inside the caller's transaction
            await AutoDebitAttempt.create(
                bill_id=bill.id, instruction_id=instruction.id, date=day, outcome=outcome
            )
            await _tell(bill, day, outcome)
    except IntegrityError:
        return False
    return True


async def _tell(bill: Bill, day: date, outcome: AutoDebitOutcome) -> None:
    """The member hears of the outcome, once per bill and date (the event's key)."""
    what = bill_summary(bill)
    if outcome == AutoDebitOutcome.PAID:
        kind, title = NotificationKind.AUTO_DEBIT_PAID, "Tagihan dibayar otomatis"
        body = f"{what} dibayar otomatis dari simpanan sukarela pada {tanggal(day)}."
    else:
        kind, title = NotificationKind.AUTO_DEBIT_FAILED, "Autodebet gagal"
        body = (
            f"{what} belum dapat dibayar otomatis pada {tanggal(day)}: simpanan sukarela tidak "
            "cukup. Tagihan tetap belum dibayar; isi simpanan sukarela atau bayar sendiri."
        )
    await notify(kind, ("Bill", bill.id), [bill.user_id], title, body, step=day.isoformat())


async def run_auto_debit(
    viewer: User | None, cooperative_id: int, day: date, events: Broker
) -> AutoDebitRun:
    """Its pengurus: the run for `day` (today or a past day a sweep missed)."""
    await acting_pengurus(viewer, cooperative_id)
    if day > today():
        raise UserError(
            ErrorCode.INVALID, "Autodebet tidak bisa dijalankan untuk tanggal nanti.", "date"
        )
    return await collect(cooperative_id, day, events)


async def collect(cooperative_id: int, day: date, events: Broker) -> AutoDebitRun:
    """Every UNPAID bill due by `day` that an ACTIVE instruction of the cooperative's ACTIVE
    memberships names: paid whole from SUKARELA, or left UNPAID. One membership's trouble
    stops no other; it is tried again next run."""
    run = AutoDebitRun()
    instructions = await StandingInstruction.filter(
        status=StandingInstructionStatus.ACTIVE,
        membership__cooperative_id=cooperative_id,
        membership__status=MembershipStatus.ACTIVE,
    ).order_by("id")
    for instruction in instructions:
        try:
            await _collect_membership(instruction, day, events, run)
        except Exception:
            logger.exception("standing instruction %s: the auto-debit failed", instruction.id)
    return run


async def _collect_membership(
    instruction: StandingInstruction, day: date, events: Broker, run: AutoDebitRun
) -> None:
    """The membership's bills in the run's order, each tried once (a late installment's
    payment may bill the rest anew, due today: it is tried too)."""
    tried: set[int] = set()
    while (bill_id := await _next_bill(instruction, day, tried)) is not None:
        tried.add(bill_id)
        await _pay(instruction, bill_id, day, events, run)


async def _next_bill(instruction: StandingInstruction, day: date, tried: set[int]) -> int | None:
    if not await StandingInstruction.exists(
        id=instruction.id, status=StandingInstructionStatus.ACTIVE
    ):
        return None  # paused or cancelled meanwhile
    due = await Bill.filter(
        membership_id=instruction.membership_id,
        status=BillStatus.UNPAID,
        due_date__lte=day,
        kind__in=instruction.kinds,
    ).values_list("id", "kind", "due_date")
    order = [kind.value for kind in AUTO_DEBIT_KINDS]
    left = sorted(
        (order.index(kind), due_date, bill_id)
        for bill_id, kind, due_date in due
        if bill_id not in tried
    )
    return left[0][2] if left else None


async def _pay(
    instruction: StandingInstruction, bill_id: int, day: date, events: Broker, run: AutoDebitRun
) -> None:
    """One bill, as PayBills from SUKARELA pays it, in its own transaction; left UNPAID when
    SUKARELA does not cover it (nothing moves then); skipped when another run took it."""
    journal = Journal()
    bill = await Bill.get(id=bill_id).select_related("membership")
    membership = bill.membership
    assert membership is not None  # a cooperative's bill names its member
    asked = PayBillsFields(
        [bill.id], PaymentSource.SUKARELA, membership.id, f"auto-debit {secrets.token_hex(16)}"
    )
    try:
        async with in_transaction():
            receipt = await write_receipt(membership.user_id, asked, [bill])
            await take_bills(journal, receipt, [bill], membership)
            await record_outcome(instruction, bill, day, AutoDebitOutcome.PAID)
    except UserError:
        if not await Bill.exists(id=bill.id, status=BillStatus.UNPAID):
            return  # paid by another run or by the member meanwhile
        async with in_transaction():
            await record_outcome(instruction, bill, day, AutoDebitOutcome.UNPAID)
        run.unpaid.append(bill)
        return
    await journal.publish(events)
    run.paid.append(bill)


async def run_auto_debits(services: Services) -> int:
    """The daily sweep: today's run for every cooperative with an ACTIVE instruction; how
    many bills it paid."""
    day = today()
    cooperatives = await StandingInstruction.filter(
        status=StandingInstructionStatus.ACTIVE
    ).values_list("membership__cooperative_id", flat=True)
    paid = 0
    for cooperative_id in sorted(set(cast(list[int], cooperatives))):
        paid += len((await collect(cooperative_id, day, services.events)).paid)
    return paid
