"""The pengurus's loan views: arrears and kolektibilitas, the portfolio and its NPL ratio, the
loans list, and the capital view (shopSales) in one grouped statement."""

import random
from collections import defaultdict
from datetime import timedelta

import pytest

from demo.loans import shop_with_a_year_of_orders
from models.loans import LoanInstallment
from models.orders.order import Order
from models.orders.payments import Payment
from models.platform.accounts import User
from resolvers.platform.clock import JAKARTA, last_months, today
from schema.platform.ids import decode_id
from tests.conftest import StatementCounter
from tests.cooperatives.helpers import Koperasi
from tests.loans.helpers import active_loan, apply

pytestmark = pytest.mark.usefixtures("books_balance")

ARREARS = """query($id: ID!) { node(id: $id) { ... on Loan { daysPastDue
  kolektibilitas { level label } } } }"""
PORTFOLIO = """query($id: ID!) { node(id: $id) { ... on Cooperative {
  loanPortfolio { outstanding { amount } activeLoans nplRatioBps
    bands { kolektibilitas { level label } loans outstanding { amount } } }
  loans(status: ACTIVE) { totalCount edges { node { id membership { number } } } } } } }"""
SALES = """query($id: ID!) { node(id: $id) { ... on Loan { shareShopSales shopSales {
  month revenue { amount } paidOrders cancelledOrders averageOrder { amount } } } } }"""


async def test_days_past_due_kolektibilitas_and_the_npl_ratio(gql):
    koperasi = await Koperasi.new(gql)
    warga, _, current = await active_loan(koperasi, "ANUITAS", 2_000_000, 12)
    _, _, late = await active_loan(koperasi, "FLAT", 1_000_000, 6)
    first = await LoanInstallment.get(loan_id=decode_id(late, "Loan"), number=1)
    await LoanInstallment.filter(id=first.id).update(due_date=today() - timedelta(days=100))
    token = koperasi.pengurus["token"]
    found = (await gql(ARREARS, {"id": late}, token=token))["data"]["node"]
    assert found == {"daysPastDue": 100, "kolektibilitas": {"level": 3, "label": "kurang lancar"}}
    found = (await gql(ARREARS, {"id": current}, token=token))["data"]["node"]
    assert found == {"daysPastDue": 0, "kolektibilitas": {"level": 1, "label": "lancar"}}
    by_member = await gql(ARREARS, {"id": current}, token=warga["token"])
    assert by_member["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    portfolio = (await gql(PORTFOLIO, {"id": koperasi.id}, token=token))["data"]["node"]
    summary = portfolio["loanPortfolio"]
    assert summary["outstanding"] == {"amount": 3_000_000}
    assert (summary["activeLoans"], summary["nplRatioBps"]) == (2, 3333)
    assert [(b["kolektibilitas"]["level"], b["loans"], b["outstanding"]["amount"])
            for b in summary["bands"]] == [
        (1, 1, 2_000_000), (2, 0, 0), (3, 1, 1_000_000), (4, 0, 0), (5, 0, 0),
    ]  # fmt: skip
    assert portfolio["loans"]["totalCount"] == 2
    refused = await gql(PORTFOLIO, {"id": koperasi.id}, token=warga["token"])
    assert refused["data"]["node"] is None or refused["errors"]


async def test_the_capital_view_shows_the_applicants_shop_sales_when_shared(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    owner = await User.get(email=warga["user"]["email"])
    buyer = await User.filter(id__not=owner.id).first()
    assert buyer is not None
    shop = await shop_with_a_year_of_orders(random.Random(7), owner, buyer.id)
    shared = await apply(koperasi, membership_id, warga["token"], shareShopSales=True)
    loan_id = shared["loan"]["id"]
    # Independently: the orders grouped by Jakarta month in Python.
    months = last_months(12, today())
    paid = {p.order_id: p.status for p in await Payment.filter(order__shop_id=shop.id)}
    want: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for order in await Order.filter(shop_id=shop.id):
        month = order.created_at.astimezone(JAKARTA).strftime("%Y-%m")
        if paid[order.id] == "PAID":
            want[month][0] += order.total
            want[month][1] += 1
        if order.status == "CANCELLED":
            want[month][2] += 1
    expected = [
        {"month": m, "revenue": {"amount": want[m][0]}, "paidOrders": want[m][1],
         "cancelledOrders": want[m][2],
         "averageOrder": {"amount": want[m][0] // want[m][1] if want[m][1] else 0}}
        for m in months
    ]  # fmt: skip
    assert sum(w[1] for w in want.values()) > 100
    assert any(w[2] for w in want.values())
    token = koperasi.pengurus["token"]
    await gql(SALES, {"id": loan_id}, token=token)  # the token's user is cached after first use
    with StatementCounter() as counter:
        found = (await gql(SALES, {"id": loan_id}, token=token))["data"]["node"]
    assert found == {"shareShopSales": True, "shopSales": expected}
    assert len([s for s in counter.statements if '"payment"' in s]) == 1
    # The member, or a loan not shared: nothing.
    mine = (await gql(SALES, {"id": loan_id}, token=warga["token"]))["data"]["node"]
    assert mine["shopSales"] is None
    other, other_membership = await koperasi.member()
    unshared = (await apply(koperasi, other_membership, other["token"]))["loan"]["id"]
    found = (await gql(SALES, {"id": unshared}, token=token))["data"]["node"]
    assert found == {"shareShopSales": False, "shopSales": None}
