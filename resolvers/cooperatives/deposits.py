"""Simpanan berjangka: the pengurus's products, a member opening a deposit (from SUKARELA, or
in cash at a pengurus as teller), its early withdrawal, and the member's list.

A deposit closes once: its status leaves ACTIVE only by a conditional UPDATE inside the
transaction that posts the closing entry, so of an early withdrawal racing another or the
maturity run (`resolvers.cooperatives.deposit_run`) one wins and the others are refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.transactions import in_transaction

from models.cooperatives import (
    EntryKind,
    Membership,
    MembershipStatus,
    SavingsKind,
    TimeDeposit,
    TimeDepositInterestPayout,
    TimeDepositMaturity,
    TimeDepositProduct,
    TimeDepositStatus,
)
from models.platform import User
from resolvers.cooperatives.books import (
    BEBAN_JASA_BERJANGKA,
    KAS,
    PENDAPATAN_PENALTI_BERJANGKA,
    SAVINGS_ACCOUNTS,
    SIMPANAN_BERJANGKA,
    UTANG_PAJAK,
    Journal,
    Line,
)
from resolvers.cooperatives.cooperative import (
    MAX_AMOUNT,
    acting_pengurus,
    can_view_savings,
    coop_viewer,
    loans_for,
    require_pengurus,
)
from resolvers.platform import (
    HUNDRED_PERCENT,
    Broker,
    ErrorCode,
    Once,
    Page,
    UserError,
    Validator,
    add_months,
    exactly_once,
    keyset_page,
    now,
    remember,
    require_user,
    today,
    visibility,
)

TERMS = (1, 3, 6, 12)
MAX_RATE_BPS = 2_400
MAX_PENALTY_BPS = 2_000
SUKARELA = SAVINGS_ACCOUNTS[SavingsKind.SUKARELA]

# A deposit: as its membership's savings (the member and the cooperative's pengurus).
visibility.register("TimeDeposit", TimeDeposit, loans_for)
visibility.register("TimeDepositProduct", TimeDepositProduct, visibility.everyone)


@dataclass(frozen=True)
class NewProduct:
    cooperative_id: int
    name: str
    term_months: int
    annual_rate_bps: int
    minimum: int
    early_withdrawal_penalty_bps: int
    interest_payout: TimeDepositInterestPayout


@dataclass(frozen=True)
class NewDeposit:
    membership_id: int
    product_id: int
    amount: int
    maturity_instruction: TimeDepositMaturity
    from_savings: bool = True


def _checked_terms(given: NewProduct) -> str:
    """The product's name; every bad field refused at once, naming it."""
    check = Validator()
    name = check.text("input.name", given.name, "Nama produk", 80, required=True)
    if given.term_months not in TERMS:
        check.add(
            "input.termMonths", ErrorCode.INVALID, "Jangka waktu harus 1, 3, 6 atau 12 bulan."
        )
    if not 1 <= given.annual_rate_bps <= MAX_RATE_BPS:
        check.add(
            "input.annualRateBps", ErrorCode.INVALID, "Jasa per tahun harus 0,01% sampai 24%."
        )
    if not 1 <= given.minimum <= MAX_AMOUNT:
        check.add("input.minimum", ErrorCode.INVALID, "Setoran minimum harus Rp1 atau lebih.")
    if not 0 <= given.early_withdrawal_penalty_bps <= MAX_PENALTY_BPS:
        check.add(
            "input.earlyWithdrawalPenaltyBps",
            ErrorCode.INVALID,
            "Penalti penarikan sebelum jatuh tempo harus 0% sampai 20%.",
        )
    check.check()
    return name


async def create_product(viewer: User | None, given: NewProduct) -> TimeDepositProduct:
    """Its pengurus: a new product of the cooperative; its terms never change."""
    await acting_pengurus(viewer, given.cooperative_id)
    name = _checked_terms(given)
    return await TimeDepositProduct.create(
        cooperative_id=given.cooperative_id,
        name=name,
        term_months=given.term_months,
        annual_rate_bps=given.annual_rate_bps,
        minimum=given.minimum,
        early_withdrawal_penalty_bps=given.early_withdrawal_penalty_bps,
        interest_payout=given.interest_payout,
    )


async def products_of(cooperative_id: int) -> list[TimeDepositProduct]:
    """Anyone: the cooperative's products, shortest term first."""
    return await TimeDepositProduct.filter(cooperative_id=cooperative_id).order_by(
        "term_months", "id"
    )


async def _opening_membership(user: User, given: NewDeposit) -> Membership:
    """From SUKARELA the member themself; in cash a pengurus as teller, for another member."""
    who = await coop_viewer(user)
    membership = await Membership.get_or_none(id=given.membership_id)
    if membership is None or not can_view_savings(who, membership):
        raise UserError(ErrorCode.NOT_FOUND, "Keanggotaan tidak ditemukan.", "membershipId")
    if given.from_savings and membership.user_id != user.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Hanya anggota ini yang boleh membuka simpanan berjangka dari simpanan sukarelanya.",
            "membershipId",
        )
    if not given.from_savings:
        require_pengurus(who, membership.cooperative_id, "membershipId")
        if membership.user_id == user.id:
            raise UserError(
                ErrorCode.PERMISSION_DENIED,
                "Setoran tunai ke simpanan berjangka Anda sendiri dicatat oleh pengurus lain.",
                "membershipId",
            )
    if membership.status != MembershipStatus.ACTIVE:
        raise UserError(ErrorCode.INVALID_STATE, "Keanggotaan ini tidak aktif.", "membershipId")
    return membership


async def open_deposit(
    viewer: User | None, given: NewDeposit, events: Broker, key: str | None = None
) -> TimeDeposit:
    """A deposit of `amount` in the product (the contract's OpenTimeDeposit). Once per key."""
    user = require_user(viewer)
    asked = (
        "openTimeDeposit",
        given.membership_id,
        given.product_id,
        given.amount,
        given.maturity_instruction.value,
        given.from_savings,
    )

    async def move(once: Once) -> TimeDeposit:
        membership = await _opening_membership(user, given)
        product = await TimeDepositProduct.get_or_none(
            id=given.product_id, cooperative_id=membership.cooperative_id
        )
        if product is None:
            raise UserError(ErrorCode.NOT_FOUND, "Produk tidak ditemukan.", "productId")
        if not product.minimum <= given.amount <= MAX_AMOUNT:
            raise UserError(
                ErrorCode.INVALID,
                "Jumlah di bawah setoran minimum produk ini (atau terlalu besar).",
                "amount",
            )
        journal = Journal()
        async with in_transaction():
            deposit = await start_deposit(
                product, membership.id, given.amount, given.maturity_instruction, today()
            )
            source = Line(SUKARELA, debit=given.amount, membership_id=membership.id)
            await journal.post(
                membership.cooperative_id,
                EntryKind.TIME_DEPOSIT,
                "Pembukaan simpanan berjangka",
                [
                    source if given.from_savings else Line(KAS, debit=given.amount),
                    Line(SIMPANAN_BERJANGKA, credit=given.amount),
                ],
                actor_id=user.id,
                membership_id=membership.id,
            )
            await remember(once, {"deposit": deposit.id})
        await journal.publish(events)
        return deposit

    return await exactly_once(user, key, asked, move, _deposit_of)


async def _deposit_of(result: dict[str, int]) -> TimeDeposit:
    return await TimeDeposit.get(id=result["deposit"])


async def start_deposit(
    product: TimeDepositProduct,
    membership_id: int,
    principal: int,
    maturity: TimeDepositMaturity,
    start: date,
) -> TimeDeposit:
    """A new ACTIVE deposit on the product's terms, from `start` (a date)."""
    return await TimeDeposit.create(
        membership_id=membership_id,
        product_id=product.id,
        principal=principal,
        term_months=product.term_months,
        annual_rate_bps=product.annual_rate_bps,
        early_withdrawal_penalty_bps=product.early_withdrawal_penalty_bps,
        interest_payout=product.interest_payout,
        maturity_instruction=maturity,
        start_date=start,
        maturity_date=add_months(start, product.term_months),
    )


def penalty_of(deposit: TimeDeposit) -> int:
    """What an early withdrawal keeps: the product's share of the principal, rounded down."""
    return deposit.principal * deposit.early_withdrawal_penalty_bps // HUNDRED_PERCENT


def _closed_already() -> UserError:
    return UserError(
        ErrorCode.INVALID_STATE,
        "Simpanan berjangka ini sudah ditutup atau sudah jatuh tempo.",
        "id",
    )


async def close_deposit(deposit_id: int, status: TimeDepositStatus) -> TimeDeposit | None:
    """Inside a transaction: the deposit leaves ACTIVE for `status` (its row locked), as it
    is now; None when it was not ACTIVE any more (another close won)."""
    closed = await TimeDeposit.filter(id=deposit_id, status=TimeDepositStatus.ACTIVE).update(
        status=status, closed_at=now()
    )
    return await TimeDeposit.get(id=deposit_id) if closed else None


async def forfeit_accrued(journal: Journal, cooperative_id: int, deposit: TimeDeposit) -> None:
    """Inside the withdrawal's transaction: the interest booked and not yet paid undone (its
    net back from the deposit, its tax back from the tax office, the expense reduced)."""
    if not deposit.accrued_interest:
        return
    lines = [Line(SIMPANAN_BERJANGKA, debit=deposit.accrued_net)]
    if deposit.accrued_tax:
        lines.append(Line(UTANG_PAJAK, debit=deposit.accrued_tax))
    lines.append(Line(BEBAN_JASA_BERJANGKA, credit=deposit.accrued_interest))
    await journal.post(
        cooperative_id,
        EntryKind.TIME_DEPOSIT_INTEREST,
        "Jasa simpanan berjangka hangus karena ditarik sebelum jatuh tempo",
        lines,
        membership_id=deposit.membership_id,
    )


async def withdraw_early(viewer: User | None, deposit_id: int, events: Broker) -> TimeDeposit:
    """The member or a pengurus, before the maturity date: the principal less the penalty to
    SUKARELA; accrued interest not yet paid is forfeited. Once per deposit."""
    user = require_user(viewer)
    who = await coop_viewer(user)
    found = await TimeDeposit.get_or_none(id=deposit_id).select_related("membership")
    if found is None or not can_view_savings(who, found.membership):
        raise UserError(ErrorCode.NOT_FOUND, "Simpanan berjangka tidak ditemukan.", "id")
    cooperative_id = found.membership.cooperative_id
    if found.status != TimeDepositStatus.ACTIVE or today() >= found.maturity_date:
        raise _closed_already()
    journal = Journal()
    async with in_transaction():
        deposit = await close_deposit(found.id, TimeDepositStatus.WITHDRAWN_EARLY)
        if deposit is None:
            raise _closed_already()
        penalty = penalty_of(deposit)
        paid = deposit.principal - penalty
        await forfeit_accrued(journal, cooperative_id, deposit)
        lines = [
            Line(SIMPANAN_BERJANGKA, debit=deposit.principal),
            Line(SUKARELA, credit=paid, membership_id=deposit.membership_id),
        ]
        if penalty:
            lines.append(Line(PENDAPATAN_PENALTI_BERJANGKA, credit=penalty))
        await journal.post(
            cooperative_id,
            EntryKind.TIME_DEPOSIT,
            "Penarikan simpanan berjangka sebelum jatuh tempo",
            lines,
            actor_id=user.id,
        )
        await TimeDeposit.filter(id=deposit.id).update(
            closing_amount=paid,
            tax_withheld=deposit.tax_withheld - deposit.accrued_tax,
            accrued_interest=0,
            accrued_net=0,
            accrued_tax=0,
        )
    await journal.publish(events)
    return await TimeDeposit.get(id=deposit.id)


async def deposits_page(
    membership: Membership,
    status: TimeDepositStatus | None,
    *,
    first: int | None,
    after: str | None,
) -> Page[TimeDeposit]:
    """Call `can_view_savings` first: the membership's deposits, newest first."""
    query = TimeDeposit.filter(membership_id=membership.id)
    if status is not None:
        query = query.filter(status=status)
    return await keyset_page(query, first=first, after=after)
