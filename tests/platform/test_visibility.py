"""Every Node type has one visibility rule, and a stranger reads no private object by id.

The types are discovered from the schema, so a new Node type without a rule, or a private
one without a way here to make one of its objects, fails this file."""

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from graphql import (
    GraphQLObjectType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    parse,
    visit,
)

from models.bills import Bill, BillReceipt, PaymentSource, ReceiptStatus
from models.catalog import ProductVariant
from models.cooperatives.cooperative import Membership, MembershipStatus
from models.loans import Loan
from models.orders.order import CartLine, Order, OrderLine
from models.platform.accounts import User
from resolvers.platform import NotificationKind, notify, today
from resolvers.platform.visibility import RULES
from schema import build_schema
from schema.platform.ids import decode_id, encode_id
from tests.bills.auto_debit import instruction_id
from tests.catalog.helpers import UPLOAD, add_product, picture, upload
from tests.conftest import city_admin, contract, sign_up
from tests.cooperatives.books import account_ids, cash, close, reverse
from tests.cooperatives.deposits import open_deposit, product_id
from tests.cooperatives.helpers import Koperasi, cooperative, register, user_id
from tests.loans.test_loan_groups import create as create_group
from tests.orders.complaint_helpers import op, open_complaint, shipped_sale
from tests.orders.helpers import add_to_cart, checkout, seller_with_products
from tests.orders.voucher_helpers import create_voucher, update_voucher
from tests.payouts.helpers import bank_destination, request_payout
from tests.shops.helpers import open_shop

NODE = "query($id: ID!) { node(id: $id) { id __typename } }"


def node_types() -> list[str]:
    type_map = build_schema()._schema.type_map
    return sorted(
        name
        for name, found in type_map.items()
        if isinstance(found, GraphQLObjectType) and any(i.name == "Node" for i in found.interfaces)
    )


def private_types() -> list[str]:
    return [name for name in node_types() if not RULES[name].public]


# Each makes, as `owner` (a signed-up account), an object only they may see; its global id.
async def _draft_product(gql, owner, client) -> str:
    shop = await open_shop(gql, owner["token"])
    return (await add_product(gql, owner["token"], shop["id"], status="DRAFT"))["id"]


async def _variant_of_a_draft(gql, owner, client) -> str:
    product = decode_id(await _draft_product(gql, owner, client), "Product")
    return encode_id("ProductVariant", (await ProductVariant.get(product_id=product)).id)


async def _image_of_a_draft(gql, owner, client) -> str:
    product = await _draft_product(gql, owner, client)
    variables = {"productId": product}
    done = await upload(client, owner["token"], UPLOAD, variables, "a.png", picture("PNG"))
    return done["data"]["uploadProductImage"]["image"]["id"]


async def _user(gql, owner, client) -> str:
    return owner["user"]["id"]


async def _api_key(gql, owner, client) -> str:
    query = 'mutation { createApiKey(name: "Kampus") { apiKey { id } } }'
    return (await gql(query, token=owner["token"]))["data"]["createApiKey"]["apiKey"]["id"]


async def _cart(gql, owner, client) -> str:
    return encode_id("Cart", await user_id(owner))


async def _cart_line(gql, owner, client) -> str:
    _, _, (product,) = await seller_with_products(gql)
    assert (await add_to_cart(gql, owner["token"], product["id"]))["errors"] == []
    return encode_id("CartLine", (await CartLine.get(buyer_id=await user_id(owner))).id)


async def _order(gql, owner, client) -> str:
    await _cart_line(gql, owner, client)
    return (await checkout(gql, owner["token"]))["orders"][0]["id"]


async def _order_line(gql, owner, client) -> str:
    order = await _order(gql, owner, client)
    line = await OrderLine.filter(order_id=decode_id(order, "Order")).first()
    return encode_id("OrderLine", line.id)


async def _complaint(gql, owner, client) -> str:
    order = await _order(gql, owner, client)
    await Order.filter(id=decode_id(order, "Order")).update(status="SHIPPED")
    body = {"orderId": order, "reason": "DAMAGED", "text": "Barangnya rusak parah."}
    opened = await gql(op("OpenComplaint"), {"input": body}, token=owner["token"])
    return opened["data"]["openComplaint"]["complaint"]["id"]


async def _hidden_review(gql, owner, client) -> str:
    order = await _order(gql, owner, client)
    await Order.filter(id=decode_id(order, "Order")).update(status="COMPLETED")
    line = await OrderLine.filter(order_id=decode_id(order, "Order")).first()
    body = {"orderLineId": encode_id("OrderLine", line.id), "input": {"rating": 1}}
    written = await gql(op("ReviewOrderLine"), body, token=owner["token"])
    review = written["data"]["reviewOrderLine"]["review"]["id"]
    admin = await city_admin(gql)
    hidden = await gql(op("HideReview"), {"id": review, "reason": "Palsu"}, token=admin["token"])
    assert hidden["data"]["hideReview"]["errors"] == []
    return review


async def _membership(gql, owner, client) -> str:
    joined = await Membership.create(
        cooperative=await cooperative(), user_id=await user_id(owner),
        status=MembershipStatus.PENDING,
    )  # fmt: skip
    return encode_id("Membership", joined.id)


async def _savings_transaction(gql, owner, client) -> str:
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member(owner)
    return (await koperasi.deposit(membership_id, 5000))["transaction"]["id"]


async def _bill(gql, owner, client) -> str:
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member(owner)
    bill = await Bill.get(membership_id=decode_id(membership_id, "Membership"))
    return encode_id("Bill", bill.id)


async def _bill_receipt(gql, owner, client) -> str:
    receipt = await BillReceipt.create(
        user_id=await user_id(owner), source=PaymentSource.QRIS, idempotency_key="k",
        input_digest="-", total=22500, status=ReceiptStatus.AWAITING_PAYMENT,
    )  # fmt: skip
    return encode_id("BillReceipt", receipt.id)


async def _loan(gql, owner, client) -> str:
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member(owner)
    membership = await Membership.get(id=decode_id(membership_id, "Membership"))
    loan = await Loan.create(
        membership_id=membership.id, applicant_id=membership.user_id, principal=1_000_000,
        tenor_months=6, purpose="Modal usaha",
    )  # fmt: skip
    return encode_id("Loan", loan.id)


async def _switched_off_voucher(gql, owner, client) -> str:
    shop = await open_shop(gql, owner["token"])
    voucher = (await create_voucher(gql, owner["token"], shop["id"]))["voucher"]
    assert (await update_voucher(gql, owner["token"], voucher["id"], isActive=False))["voucher"]
    return voucher["id"]


async def _books_of(gql, owner) -> Koperasi:
    """A cooperative whose first pengurus is `owner`: the only one beside the Dinas who reads
    its books."""
    return Koperasi(gql, await register(gql, await city_admin(gql), owner), owner)


async def _ledger_account(gql, owner, client) -> str:
    ids = await account_ids(await _books_of(gql, owner))
    return ids["1-1100"]


async def _journal_entry(gql, owner, client) -> str:
    koperasi = await _books_of(gql, owner)
    ids = await account_ids(koperasi)
    posted = await cash(koperasi, ids["4-1900"], 10000, "2026-01-02")
    return posted["journalEntry"]["id"]


async def _sold(gql, owner) -> str:
    """`owner` becomes the seller of a completed Rp30.000 sale paid from savings: their shop's
    balance holds it. The shop's id."""
    sale = await shipped_sale(gql, method="COOPERATIVE_BALANCE", delivered=True)
    confirmed = await gql(op("ConfirmReceipt"), {"id": sale.order_id}, token=sale.buyer["token"])
    assert confirmed["data"]["confirmReceipt"]["errors"] == [], confirmed
    owner.update(sale.seller)
    return sale.shop["id"]


async def _bank_account_check(gql, owner, client) -> str:
    checked = await gql(contract("CheckBankAccount"), {"bankCode": "bca",
                        "accountNumber": "1234567801"}, token=owner["token"])  # fmt: skip
    return checked["data"]["checkBankAccount"]["check"]["id"]


async def _payout_destination(gql, owner, client) -> str:
    shop = await open_shop(gql, owner["token"])
    return await bank_destination(gql, owner["token"], shop["id"])


async def _payout(gql, owner, client) -> str:
    shop_id = await _sold(gql, owner)
    destination = await bank_destination(gql, owner["token"], shop_id)
    paid = await request_payout(gql, owner["token"], shop_id, destination, 10000)
    assert paid["errors"] == [], paid
    return paid["payout"]["id"]


async def _seller_movement(gql, owner, client) -> str:
    shop_id = await _sold(gql, owner)
    found = await gql(contract("SellerStatement"), {"shopId": shop_id}, token=owner["token"])
    return found["data"]["node"]["balanceStatement"]["edges"][0]["node"]["id"]


async def _settlement(gql, owner, client) -> str:
    """A settlement the Dinas (`owner` made CITY_ADMIN) records for a cooperative owed Rp30.000."""
    sale = await shipped_sale(gql, method="COOPERATIVE_BALANCE")
    membership = await Membership.get(id=decode_id(sale.membership_id, "Membership"))
    await User.filter(id=await user_id(owner)).update(is_city_admin=True)
    body = {"cooperativeId": encode_id("Cooperative", membership.cooperative_id),
            "direction": "COOPERATIVE_TO_PLATFORM", "amount": 30000,
            "transferReference": "TRF-VIS", "date": today().isoformat()}  # fmt: skip
    done = await gql(contract("RecordCooperativeSettlement"), {"input": body},
                     token=owner["token"])  # fmt: skip
    payload = done["data"]["recordCooperativeSettlement"]
    assert payload["errors"] == [], payload
    return payload["settlement"]["id"]


async def _notification(gql, owner, client) -> str:
    user = decode_id(owner["user"]["id"], "User")
    await notify(NotificationKind.PAYOUT_FAILED, None, [user], "Pencairan gagal", "Uji.")
    found = await gql(contract("Notifications"), {}, token=owner["token"])
    return found["data"]["notifications"]["edges"][0]["node"]["id"]


async def _time_deposit(gql, owner, client) -> str:
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member(owner)
    await koperasi.deposit(membership_id, 2_000_000)
    product = await product_id(koperasi)
    opened = await open_deposit(koperasi, membership_id, product, 1_000_000, owner["token"])
    assert opened["errors"] == [], opened
    return opened["timeDeposit"]["id"]


async def _loan_group(gql, owner, client) -> str:
    koperasi = await Koperasi.new(gql)
    return (await group_with(koperasi, (await koperasi.member(owner))[1]))[0]


async def group_with(koperasi: Koperasi, membership_id: str) -> tuple[str, dict]:
    """A tanggung renteng group of the membership and two new members: (its id, a member)."""
    others = [await koperasi.member() for _ in range(2)]
    created = await create_group(koperasi, [membership_id, *(m for _, m in others)])
    assert created["errors"] == [], created
    return created["loanGroup"]["id"], others[0][0]


async def _standing_instruction(gql, owner, client) -> str:
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member(owner)
    return await instruction_id(koperasi, membership_id, owner["token"])


MAKERS: dict[str, Callable[..., Awaitable[str]]] = {
    "LedgerAccount": _ledger_account,
    "JournalEntry": _journal_entry,
    "ApiKey": _api_key,
    "Bill": _bill,
    "BillReceipt": _bill_receipt,
    "Loan": _loan,
    "SavingsTransaction": _savings_transaction,
    "Cart": _cart,
    "CartLine": _cart_line,
    "Complaint": _complaint,
    "Image": _image_of_a_draft,
    "Membership": _membership,
    "Order": _order,
    "OrderLine": _order_line,
    "Product": _draft_product,
    "ProductVariant": _variant_of_a_draft,
    "Review": _hidden_review,
    "User": _user,
    "Voucher": _switched_off_voucher,
    "BankAccountCheck": _bank_account_check,
    "PayoutDestination": _payout_destination,
    "Payout": _payout,
    "SellerMovement": _seller_movement,
    "CooperativeSettlement": _settlement,
    "TimeDeposit": _time_deposit,
    "LoanGroup": _loan_group,
    "StandingInstruction": _standing_instruction,
    "Notification": _notification,
}


def test_every_node_type_has_a_rule_and_every_private_one_is_walked():
    assert set(node_types()) <= set(RULES), set(node_types()) - set(RULES)
    assert set(private_types()) == set(MAKERS)
    assert {"Shop", "Cooperative"} <= set(node_types()) - set(private_types())


@pytest.mark.parametrize("type_name", private_types())
async def test_a_stranger_cannot_read_a_private_object_by_id(gql, client, type_name):
    owner = await sign_up(gql)
    node_id = await MAKERS[type_name](gql, owner, client)
    stranger = await sign_up(gql)
    for token in (None, stranger["token"]):
        seen = await gql(NODE, {"id": node_id}, token=token)
        assert seen["data"] == {"node": None}, (type_name, seen)
        assert "errors" not in seen
    mine = await gql(NODE, {"id": node_id}, token=owner["token"])
    assert mine["data"]["node"] == {"id": node_id, "__typename": type_name}


async def test_the_dinas_sees_users_and_memberships_but_not_drafts_or_orders(gql, client):
    owner = await sign_up(gql)
    dinas = await sign_up(gql, "Petugas Dinas")
    await User.filter(email=dinas["user"]["email"]).update(is_city_admin=True)
    for type_name, expected in (("User", True), ("Membership", True), ("Product", False)):
        node_id = await MAKERS[type_name](gql, owner, client)
        seen = await gql(NODE, {"id": node_id}, token=dinas["token"])
        assert (seen["data"]["node"] is not None) is expected, type_name


async def test_a_draft_products_photos_are_hidden_on_every_path(gql, client):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    draft = await add_product(gql, owner["token"], shop["id"], status="DRAFT", name="Rahasia")
    done = await upload(
        client, owner["token"], UPLOAD, {"productId": draft["id"]}, "a.png", picture("PNG")
    )
    image = done["data"]["uploadProductImage"]["image"]
    assert image["alt"] == "Rahasia"
    query = """query($id: ID!, $slug: String!) {
      node(id: $id) { ... on Image { alt url } }
      shop(slug: $slug) { products { edges { node { name images { alt } } } } }
    }"""
    variables = {"id": image["id"], "slug": shop["slug"]}
    seen = await gql(query, variables)
    assert seen["data"] == {"node": None, "shop": {"products": {"edges": []}}}
    mine = await gql(query, variables, token=owner["token"])
    assert mine["data"]["node"]["alt"] == "Rahasia"
    assert mine["data"]["shop"]["products"]["edges"][0]["node"]["images"] == [{"alt": "Rahasia"}]


# The nested walk: every field whose type is a private Node (or a list or connection of them)
# returns only objects the viewer could read by id, and the private scalars of accounts and
# memberships reach only whom their rule names, whichever parent they are reached through.

TYPED = "id __typename"
MEMBERSHIP = f"{TYPED} number status rejectionReason"
REVIEW = f"{TYPED} photos {{ {TYPED} }} orderLine {{ {TYPED} }} product {{ {TYPED} }}"
ORDER_PARTS = f"lines {{ {TYPED} product {{ {TYPED} }} order {{ {TYPED} }} review {{ {REVIEW} }} }}"
COMPLAINT = f"{TYPED} photos {{ {TYPED} }} order {{ {TYPED} {ORDER_PARTS} }}"
ORDER = f"{ORDER_PARTS} complaint {{ {COMPLAINT} }}"
PAYOUT = f"{TYPED} destination {{ {TYPED} membership {{ {TYPED} }} }}"
MONEY = f"""balance {{ releases {{ edges {{ node {{ order {{ {TYPED} }} }} }} }} }}
        balanceStatement {{ edges {{ node {{ {TYPED} order {{ {TYPED} }} payout {{ {PAYOUT} }} }} }} }}
        payoutDestinations {{ {TYPED} membership {{ {TYPED} }} }}
        payouts {{ edges {{ node {{ {PAYOUT} }} }} }}"""
GROUP = (
    f"{TYPED} members {{ arrears {{ amount }} owesViewer {{ amount }} membership {{ {TYPED} }} }}"
)
VARIANTS = f"variants {{ {TYPED} image {{ {TYPED} }} product {{ {TYPED} }} }}"
WALK = {
    "membership": f"""query($id: ID!) {{ node(id: $id) {{ {TYPED} ... on Membership {{
      user {{ {TYPED} name memberships {{ {MEMBERSHIP} }} shops {{ {TYPED} }}
              administeredCooperatives {{ {TYPED} }} }}
      loans {{ {TYPED} membership {{ {TYPED} user {{ {TYPED} memberships {{ {MEMBERSHIP} }} }} }} }}
      bills {{ {TYPED} }} transactions {{ edges {{ node {{ {TYPED} }} }} }}
      timeDeposits {{ edges {{ node {{ {TYPED} rolledOverTo {{ {TYPED} }} }} }} }}
      loanGroup {{ {GROUP} }}
      standingInstructions {{ {TYPED} }} }} }} }}""",
    "user": f"""query($id: ID!) {{ node(id: $id) {{ {TYPED} ... on User {{ name
      memberships {{ {MEMBERSHIP} user {{ {TYPED} }} }} }} }} }}""",
    "cooperative": f"""query($slug: String!) {{ cooperative(slug: $slug) {{ {TYPED}
      members {{ edges {{ node {{ {TYPED} user {{ {TYPED} memberships {{ {MEMBERSHIP} }} }} }} }} }}
      loans {{ edges {{ node {{ {TYPED} membership {{ {TYPED} user {{ {TYPED}
        memberships {{ {MEMBERSHIP} }} }} }} }} }} }}
      platformClearing {{ settlements {{ edges {{ node {{ {TYPED} }} }} }} }}
      loanGroups {{ edges {{ node {{ {GROUP} }} }} }} }} }}""",
    "group": f"""query($id: ID!) {{ node(id: $id) {{ {TYPED} ... on LoanGroup {{ {GROUP} }} }} }}""",
    "shop": f"""query($slug: String!, $draft: String!) {{
      shop(slug: $slug) {{ {TYPED} logo {{ {TYPED} }}
        products {{ edges {{ node {{ {TYPED} images {{ {TYPED} }} {VARIANTS}
          reviews {{ edges {{ node {{ {REVIEW} }} }} }} }} }} }}
        reviews {{ edges {{ node {{ {REVIEW} }} }} }}
        orders {{ edges {{ node {{ {TYPED} {ORDER} }} }} }}
        complaints {{ edges {{ node {{ {COMPLAINT} }} }} }}
        vouchers {{ edges {{ node {{ {TYPED} products {{ {TYPED} }} }} }} }} {MONEY} }}
      product(slug: $draft) {{ {TYPED} images {{ {TYPED} }} {VARIANTS} }}
      products(query: "Rahasia") {{ edges {{ node {{ {TYPED} }} }} }}
      myCart {{ {TYPED} lines {{ {TYPED} product {{ {TYPED} }} variant {{ {TYPED} }} }} }}
      myOrders {{ edges {{ node {{ {TYPED} {ORDER} }} }} }} me {{ {TYPED} }} }}""",
    "moderation": f"""{{ complaints {{ edges {{ node {{ {COMPLAINT} }} }} }}
      reportedReviews {{ edges {{ node {{ {REVIEW} }} }} }} }}""",
    "receipt": f"""query($id: ID!) {{ node(id: $id) {{ {TYPED} ... on BillReceipt {{
      lines {{ bill {{ {TYPED} }} }} }} }} }}""",
    "books": f"""query($slug: String!) {{ cooperative(slug: $slug) {{ {TYPED}
      chartOfAccounts {{ {TYPED} parent {{ {TYPED} }}
        ledger {{ edges {{ node {{ entry {{ {TYPED} }} }} }} }} }}
      journalEntries {{ edges {{ node {{ {TYPED} recordedBy {{ {TYPED} }}
        reversalOf {{ {TYPED} }} reversedBy {{ {TYPED} }} lines {{ account {{ {TYPED} }} }}
        receiptPhoto {{ {TYPED} }} }} }} }}
      bookYears {{ closedBy {{ {TYPED} }} events {{ by {{ {TYPED} }} }} }} }} }}""",
    "shu": f"""query($id: ID!, $year: Int!, $input: ShuInput!) {{
      shuPreview(cooperativeId: $id, year: $year, input: $input) {{
        members {{ membership {{ {TYPED} }} }} }} }}""",
}
# Every way to reach an account or a membership, with `%s` where its fields go: each private
# scalar is asked for alone, so that one refused field does not hide the others.
PATHS = {
    "User": [
        ("membership", "node(id: $id) { ... on Membership { user { %s } } }"),
        ("membership", "node(id: $id) { ... on Membership { loans { membership { user { %s } } } } }"),
        ("user", "node(id: $id) { ... on User { %s } }"),
        ("cooperative", "cooperative(slug: $slug) { members { edges { node { user { %s } } } } }"),
        ("cooperative", "cooperative(slug: $slug) { loans { edges { node { membership { user { %s } } } } } }"),
        ("shu", "shuPreview(cooperativeId: $id, year: $year, input: $input) { members { membership { user { %s } } } }"),
    ],
    "Membership": [
        ("membership", "node(id: $id) { ... on Membership { %s } }"),
        ("membership", "node(id: $id) { ... on Membership { user { memberships { %s } } } }"),
        ("user", "node(id: $id) { ... on User { memberships { %s } } }"),
        ("cooperative", "cooperative(slug: $slug) { members { edges { node { %s } } } }"),
        ("cooperative", "cooperative(slug: $slug) { loans { edges { node { membership { %s } } } } }"),
        ("shu", "shuPreview(cooperativeId: $id, year: $year, input: $input) { members { membership { %s } } }"),
        ("group", "node(id: $id) { ... on LoanGroup { members { membership { %s } } } }"),
    ],
}  # fmt: skip
PRIVATE_SCALARS = {"User": ["email", "phone"], "Membership": ["nik", "phone", "address"]}
ARGUMENTS = {
    "membership": "$id: ID!",
    "user": "$id: ID!",
    "cooperative": "$slug: String!",
    "shu": "$id: ID!, $year: Int!, $input: ShuInput!",
    "group": "$id: ID!",
}


def scalar_walk() -> list[tuple[str, str]]:
    """(the world's variables to use, a document asking for one private scalar on one path)."""
    return [
        (variables, f"query({ARGUMENTS[variables]}) {{ {path % field} }}")
        for type_name, paths in PATHS.items()
        for variables, path in paths
        for field in PRIVATE_SCALARS[type_name]
    ]


# Private fields that the walk does not reach, and where they are checked instead.
NOT_WALKED = {
    "Subscription.cooperativeTransactions": "tests/cooperatives/test_feed_audience.py",
    "OrderEvent.order": "its shop's owner only: tests/orders/test_order_events.py",
    "CheckoutQuoteShop.lines": "the caller's own cart: tests/orders/test_checkout_quote.py",
    "LoanLossAllowance.entry": "only in postLoanLossAllowance's payload: tests/loans/test_allowance.py",
    "Query.notifications": "the viewer's own only: tests/platform/test_notification_feed.py",
    "NotificationEdge.node": "the viewer's own only: tests/platform/test_notification_feed.py",
    "Subscription.newNotifications": "the viewer's own only: tests/platform/test_notification_feed.py",
}


def _private_fields() -> set[str]:
    """Every `Type.field` whose type is a private Node, a list or a connection of them, except
    in mutations' payloads (the row the caller acted on; tests/server/test_hostile_requests)."""
    private = set(private_types())
    found = set()
    for name, kind in build_schema()._schema.type_map.items():
        if not isinstance(kind, GraphQLObjectType) or name.endswith("Payload"):
            continue
        for field_name, field in kind.fields.items():
            target = get_named_type(field.type)
            if isinstance(target, GraphQLObjectType) and "edges" in target.fields:
                edge = get_named_type(target.fields["edges"].type)
                target = get_named_type(edge.fields["node"].type)  # type: ignore[union-attr]
            if target.name in private:
                found.add(f"{name}.{field_name}")
    return found


class _Fields(Visitor):
    """Collects `Type.field` of every field a document selects."""

    def __init__(self, info: TypeInfo) -> None:
        super().__init__()
        self.info = info
        self.seen: set[str] = set()

    def enter_field(self, node, *_):
        parent = self.info.get_parent_type()
        if parent is not None:
            self.seen.add(f"{parent.name}.{node.name.value}")


def _walked_fields() -> set[str]:
    walked: set[str] = set()
    for document in [*WALK.values(), *(d for _, d in scalar_walk())]:
        fields = _Fields(TypeInfo(build_schema()._schema))
        visit(parse(document), TypeInfoVisitor(fields.info, fields))
        walked |= fields.seen
    return walked


def test_the_walk_reaches_every_private_field():
    assert _private_fields() - _walked_fields() - set(NOT_WALKED) == set()


def _objects(answer: Any) -> list[tuple[str, str]]:
    """Every (typename, id) in an answer."""
    if isinstance(answer, list):
        return [found for item in answer for found in _objects(item)]
    if not isinstance(answer, dict):
        return []
    own = [(answer["__typename"], answer["id"])] if "__typename" in answer else []
    return own + [found for value in answer.values() for found in _objects(value)]


@dataclass
class World:
    """One member with memberships in two cooperatives, a shop with a draft, and the people
    who look: a pengurus of each cooperative, of a third, the Dinas, a stranger."""

    variables: dict[str, dict[str, Any]]
    viewers: dict[str, str]
    secrets: dict[str, set[str]]  # a private value -> the viewers who may read it


async def _kept_books(koperasi: Koperasi) -> None:
    """A year of the cooperative's own books, closed, with a reversal after it."""
    ids = await account_ids(koperasi)
    last_year = date.today().year - 1
    entry = await cash(koperasi, ids["4-1900"], 10000, f"{last_year}-05-01")
    assert entry["errors"] == []
    assert (await close(koperasi, last_year))["errors"] == []
    assert (await reverse(koperasi, entry["journalEntry"]["id"]))["errors"] == []


async def _world(gql, client) -> World:
    warga = await sign_up(gql, "Warga Rahasia", phone="0812-1111-2222")
    koperasi, elsewhere, third = [await Koperasi.new(gql) for _ in range(3)]
    applied = await koperasi.apply(warga, address="Jl. Anggrek A 12", phone="0813-3333-4444")
    membership = applied["membership"]["id"]
    assert (await koperasi.decide(membership))["errors"] == []
    await koperasi.deposit(membership, 50000)
    await instruction_id(koperasi, membership, warga["token"])
    await _kept_books(koperasi)
    other = (await elsewhere.apply(warga, address="Jl. Kenanga B 99"))["membership"]["id"]
    reason = "Alasan penolakan rahasia"
    assert (await elsewhere.decide(other, approve=False, reason=reason))["errors"] == []
    loan = await Loan.create(
        membership_id=decode_id(membership, "Membership"), applicant_id=await user_id(warga),
        principal=1_000_000, tenor_months=6, purpose="Modal usaha",
    )  # fmt: skip
    assert loan.id
    group, fellow = await group_with(koperasi, membership)
    receipt = await _bill_receipt(gql, warga, client)
    sale = await shipped_sale(gql)
    assert (await open_complaint(gql, sale))["errors"] == []
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    draft = await add_product(gql, owner["token"], shop["id"], status="DRAFT", name="Rahasia")
    await upload(client, owner["token"], UPLOAD, {"productId": draft["id"]}, "a.png",
                 picture("PNG"))  # fmt: skip
    # A public voucher listing the draft, and one switched off.
    await create_voucher(gql, owner["token"], shop["id"], productIds=[draft["id"]])
    await _switched_off_voucher(gql, owner, client)
    dinas = await sign_up(gql, "Petugas Dinas")
    await User.filter(email=dinas["user"]["email"]).update(is_city_admin=True)
    rows = {m.cooperative_id: m for m in await Membership.filter(user_id=await user_id(warga))}
    mine, theirs = (rows[decode_id(k.id, "Cooperative")] for k in (koperasi, elsewhere))
    shu = {"id": koperasi.id, "year": 2025, "input": {"surplus": 1000, "reservePercent": 25,
           "capitalServicePercent": 30, "memberServicePercent": 25}}  # fmt: skip
    return World(
        variables={
            "membership": {"id": membership},
            "user": {"id": warga["user"]["id"]},
            "cooperative": {"slug": koperasi.cooperative["slug"]},
            "books": {"slug": koperasi.cooperative["slug"]},
            "shop": {"slug": shop["slug"], "draft": draft["slug"]},
            "receipt": {"id": receipt},
            "shu": shu,
            "moderation": {},
            "group": {"id": group},
        },
        viewers={
            "pengurus": koperasi.pengurus["token"],
            "other pengurus": elsewhere.pengurus["token"],
            "third pengurus": third.pengurus["token"],
            "dinas": dinas["token"],
            "stranger": (await sign_up(gql))["token"],
            "group member": fellow["token"],
        },
        secrets={
            warga["user"]["email"]: {"dinas"},
            # The account's phone: through a membership, to the pengurus of its cooperative.
            "+6281211112222": {"pengurus", "other pengurus"},
            mine.nik: {"pengurus"},
            mine.phone: {"pengurus"},
            mine.address: {"pengurus"},
            theirs.nik: {"other pengurus"},
            theirs.address: {"other pengurus"},
            reason: {"other pengurus", "dinas"},
        },
    )


async def test_nested_fields_show_only_what_the_viewer_may_see(gql, client):
    world = await _world(gql, client)
    walked, read = set(), set()
    for viewer, token in world.viewers.items():
        documents = [*WALK.items(), *scalar_walk()]
        for name, document in documents:
            answer = await gql(document, world.variables[name], token=token)
            for typename, node_id in _objects(answer.get("data")):
                if typename in private_types():
                    seen = await gql(NODE, {"id": node_id}, token=token)
                    assert seen["data"]["node"] is not None, (viewer, name, typename)
                    walked.add(typename)
            shown = json.dumps(answer.get("data"))
            leaked = [s for s, who in world.secrets.items() if s in shown and viewer not in who]
            assert leaked == [], (viewer, document, leaked)
            read |= {(s, viewer) for s in world.secrets if s in shown}
    # Not vacuous: the walk met private objects, and each reader read each of their secrets.
    assert {"Membership", "User", "Loan", "SavingsTransaction", "Bill"} <= walked
    assert {"LedgerAccount", "JournalEntry", "LoanGroup", "StandingInstruction"} <= walked
    assert {"Complaint", "Order", "OrderLine"} <= walked  # the Dinas, a marketplace admin
    assert read == {(s, viewer) for s, who in world.secrets.items() for viewer in who}
