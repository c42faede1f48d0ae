"""Shops through HTTP, including from the wrong side: opening, updating, verifying, the NIB,
the directory."""

import uuid

from tests.conftest import city_admin, sign_up
from tests.shops.helpers import CREATE_SHOP, VERIFY_SHOP, open_shop, shop_input

UPDATE_SHOP = """
mutation UpdateShop($id: ID!, $input: UpdateShopInput!) {
  updateShop(id: $id, input: $input) {
    shop { id slug name description whatsapp address }
    errors { field code message }
  }
}"""


def unique_nib() -> str:
    return str(10**12 + uuid.uuid4().int % (9 * 10**12))


async def test_owner_opens_a_shop_with_an_indonesian_slug(gql):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"], name="Batik Tulis Cikokol!")
    assert shop["slug"].startswith("batik-tulis-cikokol")
    assert shop["kelurahan"] == {"code": "36.71.01.1001", "name": "Sukarasa"}
    assert shop["isVerified"] is False


async def test_shop_input_is_checked_field_by_field(gql):
    owner = await sign_up(gql)
    bad = shop_input(name="", kelurahanCode="99.99", whatsapp="0215551234", nib="123")
    payload = (await gql(CREATE_SHOP, {"input": bad}, token=owner["token"]))["data"]["createShop"]
    assert payload["shop"] is None
    assert {(e["field"], e["code"]) for e in payload["errors"]} == {
        ("name", "REQUIRED"), ("kelurahanCode", "INVALID"), ("whatsapp", "INVALID"), ("nib", "INVALID"),
    }  # fmt: skip


async def test_slug_stays_when_the_name_changes_and_strangers_cannot_update(gql):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    renamed = await gql(
        UPDATE_SHOP, {"id": shop["id"], "input": {"name": "Keripik Ani Jaya"}}, token=owner["token"]
    )
    assert renamed["data"]["updateShop"]["shop"]["slug"] == shop["slug"]
    stranger = await sign_up(gql)
    denied = await gql(
        UPDATE_SHOP, {"id": shop["id"], "input": {"name": "Punya Saya"}}, token=stranger["token"]
    )
    assert denied["data"]["updateShop"]["errors"][0]["code"] == "PERMISSION_DENIED"
    anonymous = await gql(UPDATE_SHOP, {"id": shop["id"], "input": {"name": "X"}})
    assert anonymous["data"]["updateShop"]["errors"][0]["code"] == "UNAUTHENTICATED"


async def test_only_city_admin_verifies_and_only_with_a_nib(gql):
    from models.platform.accounts import User

    owner = await sign_up(gql)
    without_nib = await open_shop(gql, owner["token"])
    with_nib = await open_shop(gql, owner["token"], nib=unique_nib())
    denied = await gql(VERIFY_SHOP, {"id": with_nib["id"]}, token=owner["token"])
    assert denied["data"]["verifyShop"]["errors"][0]["code"] == "PERMISSION_DENIED"

    admin = await sign_up(gql)
    await User.filter(email=admin["user"]["email"]).update(is_city_admin=True)
    refused = await gql(VERIFY_SHOP, {"id": without_nib["id"]}, token=admin["token"])
    assert refused["data"]["verifyShop"]["errors"][0]["code"] == "INVALID_STATE"
    verified = await gql(VERIFY_SHOP, {"id": with_nib["id"]}, token=admin["token"])
    assert verified["data"]["verifyShop"] == {
        "shop": {"id": with_nib["id"], "isVerified": True},
        "errors": [],
    }


async def test_me_lists_own_shops_and_directory_filters(gql):
    owner = await sign_up(gql)
    unique = uuid.uuid4().hex[:8]
    shop = await open_shop(
        gql, owner["token"], name=f"Dodol Betawi {unique}", kelurahanCode="36.71.03.1001"
    )
    me = await gql("query { me { shops { id slug name } } }", token=owner["token"])
    assert me["data"]["me"]["shops"] == [
        {"id": shop["id"], "slug": shop["slug"], "name": shop["name"]}
    ]
    query = """query($q: String, $filter: ShopFilter) {
      shops(query: $q, filter: $filter, first: 50) { totalCount edges { node { slug productCount } } }
    }"""
    by_name = await gql(query, {"q": unique.upper()})
    assert shop["slug"] in {e["node"]["slug"] for e in by_name["data"]["shops"]["edges"]}
    elsewhere = await gql(query, {"q": unique, "filter": {"kecamatan": "36.71.01"}})
    assert elsewhere["data"]["shops"]["totalCount"] == 0


async def test_unknown_or_hostile_directory_filters_match_nothing(gql, client):
    query = """query($q: String, $filter: ShopFilter) {
      shops(query: $q, filter: $filter) { totalCount }
    }"""
    hostile = "a\x15\x03³R㩕Ꮔ\x90a讫ìPÆð" * 20

    def searches(text: str) -> list[dict]:
        return [{"filter": {"kecamatan": text}}, {"filter": {"kelurahan": text}}, {"q": text}]

    for variables in searches(hostile):
        result = await gql(query, variables)
        assert "errors" not in result, result
        assert result["data"]["shops"]["totalCount"] == 0
    for variables in searches(hostile + "\x00"):  # a NUL is refused at the edge
        refused = await client.post("/graphql", json={"query": query, "variables": variables})
        assert refused.status_code == 400
        assert [e["extensions"]["code"] for e in refused.json()["errors"]] == ["BAD_USER_INPUT"]


HISTORY = """
query($slug: String!) {
  shop(slug: $slug) { isVerified verificationHistory { verified actorId reason } }
}"""


async def test_a_verified_shop_renamed_loses_its_badge_until_verified_again(gql):
    owner = await sign_up(gql)
    admin = await city_admin(gql)
    shop = await open_shop(gql, owner["token"], nib=unique_nib())
    await gql(VERIFY_SHOP, {"id": shop["id"]}, token=admin["token"])
    impostor = {"name": "Dinas Koperasi Resmi Kota Tangerang"}
    renamed = await gql(UPDATE_SHOP, {"id": shop["id"], "input": impostor}, token=owner["token"])
    assert renamed["data"]["updateShop"]["errors"] == []
    seen = await gql(HISTORY, {"slug": shop["slug"]}, token=owner["token"])
    assert seen["data"]["shop"]["isVerified"] is False
    assert [c["verified"] for c in seen["data"]["shop"]["verificationHistory"]] == [True, False]
    assert seen["data"]["shop"]["verificationHistory"][0]["actorId"] == admin["user"]["id"]
    assert seen["data"]["shop"]["verificationHistory"][1]["reason"] == "Nama toko diubah."
    public = await gql(HISTORY, {"slug": shop["slug"]})
    assert public["data"]["shop"] == {"isVerified": False, "verificationHistory": None}
    stranger = await sign_up(gql)
    peek = await gql(HISTORY, {"slug": shop["slug"]}, token=stranger["token"])
    assert peek["data"]["shop"]["verificationHistory"] is None

    again = await gql(VERIFY_SHOP, {"id": shop["id"]}, token=admin["token"])
    assert again["data"]["verifyShop"]["shop"]["isVerified"] is True
    by_dinas = await gql(HISTORY, {"slug": shop["slug"]}, token=admin["token"])
    assert [c["verified"] for c in by_dinas["data"]["shop"]["verificationHistory"]] == [
        True, False, True,
    ]  # fmt: skip
    same = await gql(UPDATE_SHOP, {"id": shop["id"], "input": impostor}, token=owner["token"])
    assert same["data"]["updateShop"]["errors"] == []
    kept = await gql(HISTORY, {"slug": shop["slug"]})
    assert kept["data"]["shop"]["isVerified"] is True  # the same name again is no change


async def test_a_nib_belongs_to_one_owner(gql):
    nib = unique_nib()
    owner = await sign_up(gql)
    first = await open_shop(gql, owner["token"], nib=nib)
    second = await open_shop(gql, owner["token"], nib=nib)  # one business, two shops
    assert first["id"] != second["id"]

    other = await sign_up(gql)
    refused = await gql(CREATE_SHOP, {"input": shop_input(nib=nib)}, token=other["token"])
    assert refused["data"]["createShop"] == {
        "shop": None,
        "errors": [
            {
                "field": "nib",
                "code": "DUPLICATE",
                "message": "NIB ini sudah terdaftar untuk toko milik orang lain.",
            }
        ],
    }
    own = await open_shop(gql, other["token"])
    moved = await gql(UPDATE_SHOP, {"id": own["id"], "input": {"nib": nib}}, token=other["token"])
    assert moved["data"]["updateShop"]["errors"][0]["code"] == "DUPLICATE"


async def test_two_owners_racing_for_one_nib_get_one_shop(gql):
    import asyncio

    nib = unique_nib()
    racers = [await sign_up(gql) for _ in range(4)]
    answers = await asyncio.gather(
        *(gql(CREATE_SHOP, {"input": shop_input(nib=nib)}, token=r["token"]) for r in racers)
    )
    made = [a for a in answers if a["data"]["createShop"]["errors"] == []]
    assert len(made) == 1
