"""The platform books' invariants, checked against everything they mirror: every entry
balanced; Dana Titipan Pembeli the sum over paid, not yet COMPLETED orders of T - R; Saldo
Penjual the sum of the shops' available balances, each the sum of its movements; Payout
dalam Proses the sum of PENDING payouts; and each cooperative's clearing accounts equal to
the platform's sub-ledger for it."""

from __future__ import annotations

from tortoise.functions import Sum

from models.cooperatives import Cooperative
from models.orders import OrderStatus, Payment, PaymentMethod
from models.payouts import Payout, PayoutStatus, SellerBalance, SellerMovement
from resolvers.cooperatives import clearing
from resolvers.orders import platform_books as ledger
from resolvers.orders.seller_balance import PAID


async def _held_for_buyers() -> int:
    held = 0
    for amount, refunded in (
        await Payment.filter(status__in=list(PAID))
        .exclude(method=PaymentMethod.COD)
        .exclude(order__status=OrderStatus.COMPLETED)
        .values_list("amount", "refunded_amount")
    ):
        held += amount - refunded
    return held


async def _shops() -> tuple[int, list[str]]:
    problems = []
    moved = {
        row["shop_id"]: int(row["total"] or 0)
        for row in await SellerMovement.all()
        .group_by("shop_id")
        .annotate(total=Sum("amount"))
        .values("shop_id", "total")
    }
    total = 0
    for shop_id, available in await SellerBalance.all().values_list("shop_id", "available"):
        total += available
        if available < 0 or available != moved.pop(shop_id, 0):
            problems.append(f"shop {shop_id}: available {available} is not its movements")
    problems += [f"shop {shop_id}: movements without a balance" for shop_id in moved]
    return total, problems


async def audit() -> list[str]:
    """What breaks the platform books' invariants, if anything."""
    problems = await ledger.audit_entries()
    balances = {total.account.code: total.balance for total in await ledger.trial_balance()}
    held = await _held_for_buyers()
    if balances[ledger.DANA_TITIPAN] != held:
        problems.append(f"Dana Titipan Pembeli {balances[ledger.DANA_TITIPAN]} != orders {held}")
    available, shop_problems = await _shops()
    problems += shop_problems
    if balances[ledger.SALDO_PENJUAL] != available:
        problems.append(f"Saldo Penjual {balances[ledger.SALDO_PENJUAL]} != shops {available}")
    pending = sum(p.amount for p in await Payout.filter(status=PayoutStatus.PENDING))
    if balances[ledger.PAYOUT_PROSES] != pending:
        problems.append(f"Payout dalam Proses {balances[ledger.PAYOUT_PROSES]} != {pending}")
    platform = {c.cooperative_id: c for c in await ledger.clearings()}
    for cooperative in await Cooperative.all().only("id"):
        cooperative_id = cooperative.id
        mine = platform.get(cooperative_id, ledger.Clearing(cooperative_id, 0, 0))
        theirs = await clearing.owed(cooperative_id)
        if theirs != (mine.owed_to_platform, mine.owed_by_platform):
            problems.append(f"cooperative {cooperative_id}: books {theirs} != platform {mine}")
    return problems
