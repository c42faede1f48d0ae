"""Every Node type has one visibility rule, and a stranger reads no private object by id.

The types are discovered from the schema, so a new Node type without a rule, or a private
one without a way here to make one of its objects, fails this file."""

from collections.abc import Awaitable, Callable

import pytest
from graphql import GraphQLObjectType

from models.bills import Bill, BillReceipt, PaymentSource, ReceiptStatus
from models.cooperatives.cooperative import Membership, MembershipStatus
from models.loans import Loan
from models.orders.order import CartLine
from models.platform.accounts import User
from resolvers.platform.visibility import RULES
from schema import build_schema
from schema.platform.ids import decode_id, encode_id
from tests.catalog.helpers import UPLOAD, add_product, picture, upload
from tests.conftest import sign_up
from tests.cooperatives.helpers import Koperasi, cooperative, user_id
from tests.orders.helpers import add_to_cart, checkout, seller_with_products
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


MAKERS: dict[str, Callable[..., Awaitable[str]]] = {
    "ApiKey": _api_key,
    "Bill": _bill,
    "BillReceipt": _bill_receipt,
    "Loan": _loan,
    "SavingsTransaction": _savings_transaction,
    "Cart": _cart,
    "CartLine": _cart_line,
    "Image": _image_of_a_draft,
    "Membership": _membership,
    "Order": _order,
    "Product": _draft_product,
    "User": _user,
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
