"""Demo loans in the first demo cooperative, in every method and state, through the loan
resolvers (so every rule and journal entry holds), and a member's shop with a year of orders
for the capital view.

- siti@: owns "Warung Siti" with a year of orders, and has APPLIED for a loan sharing its sales;
- budi@: EFEKTIF, ACTIVE for four months, two installments paid, the third past due;
- the others: ANUITAS ACTIVE and current, FLAT APPROVED, FLAT PAID_OFF early, and REJECTED;
- "Kelompok Melati", a tanggung renteng group of budi@ and the next two members (who have no
  loan), blocked by budi@'s installment past its 7 grace days.

budi@'s loan is moved back in time after it is disbursed (its disbursement date and due
dates); its journal entries, append-only, keep the day the demo was seeded.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from models.cooperatives import Membership
from models.loans import InterestMethod, Loan, LoanInstallment
from models.orders import Checkout, Order, OrderStatus, Payment, PaymentMethod, PaymentStatus
from models.platform import User
from models.shops import Shop, SizeClass
from resolvers import loans
from resolvers.loans import add_months, denda_due
from resolvers.loans import groups as loan_groups
from resolvers.loans import payments as loan_payments
from resolvers.platform import LocalBroker, now, slugify, today

DAYS_OF_ORDERS = 365


async def seed_loans(rng: random.Random, memberships: list[Membership], teller_id: int) -> None:
    """The loans of the module doc on the first cooperative's first six members."""
    teller = await User.get(id=teller_id)
    events = LocalBroker()
    siti, budi, anuitas, approved, paid_off, rejected = memberships[:6]
    users = {u.id: u for u in await User.filter(id__in=[m.user_id for m in memberships[:6]])}

    async def apply(membership: Membership, principal: int, tenor: int, purpose: str) -> Loan:
        return await loans.apply_loan(
            users[membership.user_id],
            loans.Application(membership.id, principal, tenor, purpose, membership is siti),
        )

    async def disbursed(membership: Membership, method: InterestMethod, months_ago: int) -> Loan:
        loan = await apply(membership, 6_000_000, 12, "Tambah modal dan stok dagangan")
        await loans.approve_loan(teller, loan.id, 1800, method)
        await loans.disburse_loan(teller, loan.id, events)
        if months_ago:
            await _backdate(loan.id, months_ago)
        return loan

    await shop_with_a_year_of_orders(rng, users[siti.user_id], users[budi.user_id].id)
    await apply(siti, 15_000_000, 24, "Gerobak dan etalase baru untuk Warung Siti")
    late = await disbursed(budi, InterestMethod.EFEKTIF, 4)
    await _pay_installments(teller, late.id, 2, events)
    await disbursed(anuitas, InterestMethod.ANUITAS, 0)
    waiting = await apply(approved, 3_000_000, 10, "Mesin jahit")
    await loans.approve_loan(teller, waiting.id, 1500, InterestMethod.FLAT)
    early = await disbursed(paid_off, InterestMethod.FLAT, 0)
    await loan_payments.pay_off_loan(teller, early.id, False, events)
    refused = await apply(rejected, 40_000_000, 36, "Renovasi rumah")
    await loans.reject_loan(teller, refused.id, "Bukan untuk usaha produktif")


async def seed_loan_group(memberships: list[Membership], teller_id: int) -> None:
    """The module doc's group, formed by the pengurus once the loans are in place."""
    budi = memberships[1]
    ids = [budi.id, *(m.id for m in memberships[6:8])]
    given = loan_groups.NewGroup(budi.cooperative_id, "Kelompok Melati", 7, ids)
    await loan_groups.create_loan_group(await User.get(id=teller_id), given)


async def _backdate(loan_id: int, months: int) -> None:
    """As if disbursed `months` ago: the demo's history."""
    start = add_months(today(), -months)
    at = datetime(start.year, start.month, start.day, 3, tzinfo=UTC)
    await Loan.filter(id=loan_id).update(disbursed_at=at)
    rows = await LoanInstallment.filter(loan_id=loan_id).order_by("number")
    for row in rows:
        row.due_date = add_months(start, row.number)
    await LoanInstallment.bulk_update(rows, fields=["due_date"])


async def _pay_installments(teller: User, loan_id: int, count: int, events: LocalBroker) -> None:
    """Cash for the first `count` installments with their denda."""
    loan = await Loan.get(id=loan_id).select_related("membership__cooperative")
    policy = loan_payments.denda_policy(loan.membership.cooperative)
    rows = await LoanInstallment.filter(loan_id=loan_id).order_by("number").limit(count)
    amount = sum(
        r.principal + r.interest + denda_due(loan_payments.still_open(r), today(), policy)
        for r in rows
    )
    await loan_payments.repay_loan(teller, loan_id, amount, events)


async def shop_with_a_year_of_orders(rng: random.Random, owner: User, buyer_id: int) -> Shop:
    """A shop of `owner` with orders over the last year: most paid, some cancelled, some
    still awaiting payment."""
    shop = await Shop.create(
        owner_id=owner.id,
        slug=f"{slugify('Warung ' + owner.name.split()[0])}-{uuid.uuid4().hex[:6]}",
        name=f"Warung {owner.name.split()[0]}",
        description="Warung sembako dan jajanan pasar: UMKM Kota Tangerang.",
        size_class=SizeClass.MIKRO,
        kelurahan_id="36.71.01.1001",
        address="Jl. Perintis Kemerdekaan No. 12",
        whatsapp="+6281299990001",
    )
    checkout = await Checkout.create(
        buyer_id=buyer_id, idempotency_key=uuid.uuid4().hex, input_digest="0" * 64,
        cart_digest="0" * 64,
    )  # fmt: skip
    moment = now()
    orders, outcomes = [], []
    for day in range(DAYS_OF_ORDERS, 0, -1):
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            at = moment - timedelta(days=day, hours=rng.randint(0, 23))
            roll = rng.random()
            status = (
                OrderStatus.CANCELLED
                if roll < 0.08
                else OrderStatus.PENDING_PAYMENT
                if roll < 0.1
                else OrderStatus.COMPLETED
            )
            orders.append(
                Order(
                    checkout_id=checkout.id,
                    buyer_id=buyer_id,
                    shop_id=shop.id,
                    status=status,
                    total=rng.randrange(15_000, 250_000, 500),
                    recipient="Budi Santoso",
                    phone="+6281200000003",
                    street="Jl. Melati 3",
                    kelurahan_id=shop.kelurahan_id,
                    created_at=at,
                )
            )
            outcomes.append(status)
    await Order.bulk_create(orders)
    made = await Order.filter(shop_id=shop.id).order_by("id")
    await Payment.bulk_create(
        [
            Payment(
                order_id=order.id, method=PaymentMethod.QRIS, amount=order.total,
                reference=f"DEMO-{uuid.uuid4().hex[:20]}", created_at=order.created_at,
                status=PaymentStatus.PAID if status == OrderStatus.COMPLETED
                else PaymentStatus.CANCELLED if status == OrderStatus.CANCELLED
                else PaymentStatus.PENDING,
                paid_at=order.created_at if status == OrderStatus.COMPLETED else None,
            )
            for order, status in zip(made, outcomes, strict=True)
        ]
    )  # fmt: skip
    return shop
