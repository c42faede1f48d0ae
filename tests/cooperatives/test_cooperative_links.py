"""Cooperatives as the contract's Me and ShopPage show them, and who may see a membership."""

from models.cooperatives.cooperative import CooperativeAdmin, Membership, MembershipStatus
from models.shops import Shop
from schema.execution.operations import contract_operation
from schema.platform.ids import encode_id
from tests.catalog.helpers import add_product
from tests.conftest import sign_up
from tests.cooperatives.helpers import cooperative, user_id
from tests.shops.helpers import open_shop


async def test_me_shows_memberships_and_administered_cooperatives(gql):
    member = await sign_up(gql)
    koperasi = await cooperative()
    joined = await Membership.create(
        cooperative=koperasi, user_id=await user_id(member), number=7,
        status=MembershipStatus.ACTIVE,
    )  # fmt: skip
    await CooperativeAdmin.create(cooperative=koperasi, user_id=await user_id(member))

    me = (await gql(contract_operation("Me"), token=member["token"]))["data"]["me"]

    coop = {"id": encode_id("Cooperative", koperasi.id), "slug": koperasi.slug,
            "name": koperasi.name}  # fmt: skip
    assert me["memberships"] == [
        {"id": encode_id("Membership", joined.id), "number": 7, "status": "ACTIVE",
         "cooperative": coop}
    ]  # fmt: skip
    assert me["administeredCooperatives"] == [coop]


async def test_a_stranger_sees_neither_the_membership_nor_its_member(gql):
    member, stranger = await sign_up(gql), await sign_up(gql)
    joined = await Membership.create(cooperative=await cooperative(), user_id=await user_id(member))
    node = "query($id: ID!) { node(id: $id) { ... on Membership { id status } } }"
    variables = {"id": encode_id("Membership", joined.id)}

    assert (await gql(node, variables, token=stranger["token"]))["data"]["node"] is None
    assert (await gql(node, variables))["data"]["node"] is None
    own = (await gql(node, variables, token=member["token"]))["data"]["node"]
    assert own == {"id": variables["id"], "status": "PENDING"}
    me = (await gql(contract_operation("Me"), token=stranger["token"]))["data"]["me"]
    assert me["memberships"] == []
    assert me["administeredCooperatives"] == []


async def test_a_pengurus_sees_a_membership_of_their_own_cooperative_only(gql):
    member, pengurus = await sign_up(gql), await sign_up(gql)
    own, other = await cooperative(), await cooperative()
    await CooperativeAdmin.create(cooperative=own, user_id=await user_id(pengurus))
    node = "query($id: ID!) { node(id: $id) { ... on Membership { id } } }"
    for koperasi, visible in ((own, True), (other, False)):
        joined = await Membership.create(cooperative=koperasi, user_id=await user_id(member))
        found = await gql(node, {"id": encode_id("Membership", joined.id)}, token=pengurus["token"])
        assert (found["data"]["node"] is not None) is visible


async def test_member_count_counts_active_members_only(gql):
    koperasi = await cooperative()
    for status in ("ACTIVE", "ACTIVE", "PENDING", "ENDED"):
        await Membership.create(cooperative=koperasi, user_id=await user_id(await sign_up(gql)),
                                status=status)  # fmt: skip
    query = "query($id: ID!) { node(id: $id) { ... on Cooperative { memberCount type } } }"
    found = await gql(query, {"id": encode_id("Cooperative", koperasi.id)})
    assert found["data"]["node"] == {"memberCount": 2, "type": "SIMPAN_PINJAM"}


async def test_shop_page_as_written_shows_the_cooperative_and_active_products(gql):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"], name="Toko Koperasi Cikokol")
    koperasi = await cooperative("Koperasi Produsen Cikokol")
    await Shop.filter(slug=shop["slug"]).update(cooperative_id=koperasi.id)
    await add_product(gql, owner["token"], shop["id"], name="Kopi Robusta Tangerang")
    await add_product(gql, owner["token"], shop["id"], name="Draf Rahasia", status="DRAFT")

    page = (await gql(contract_operation("ShopPage"), {"slug": shop["slug"]}))["data"]["shop"]

    assert page["cooperative"] == {"id": encode_id("Cooperative", koperasi.id),
                                   "name": koperasi.name}  # fmt: skip
    assert page["products"]["totalCount"] == 1
    assert [e["node"]["name"] for e in page["products"]["edges"]] == ["Kopi Robusta Tangerang"]
    assert page["logo"] is None
    assert page["kelurahan"]["kecamatan"]["name"] == "Tangerang"
