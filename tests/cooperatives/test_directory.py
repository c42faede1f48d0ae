"""RegisterCooperative (the Dinas only) and the public Cooperatives directory."""

import pytest

from models.cooperatives.books import LedgerAccount
from models.cooperatives.cooperative import Cooperative
from resolvers.cooperatives.books import CHART
from schema.platform.ids import decode_id
from tests.conftest import city_admin, contract, sign_up
from tests.cooperatives.helpers import Koperasi, codes, register, registration

pytestmark = pytest.mark.usefixtures("books_balance")


async def directory(gql, **variables):
    result = await gql(contract("Cooperatives"), variables)
    assert "errors" not in result, result
    return result["data"]["cooperatives"]


async def test_the_dinas_registers_and_the_admin_email_becomes_the_first_pengurus(gql):
    admin = await city_admin(gql)
    pengurus = await sign_up(gql, "Bu Ketua")
    cooperative = await register(gql, admin, pengurus, name="Koperasi Serba Usaha Cikokol",
                                 type="SERBA_USAHA")  # fmt: skip
    assert cooperative == {
        **cooperative,
        "name": "Koperasi Serba Usaha Cikokol",
        "slug": "koperasi-serba-usaha-cikokol",
        "type": "SERBA_USAHA",
        "isDigital": False,  # no member yet
    }
    row = await Cooperative.get(id=decode_id(cooperative["id"], "Cooperative"))
    assert (row.pokok_amount, row.wajib_monthly_amount, str(row.legal_date)) == (
        100000, 20000, "2019-03-14",
    )  # fmt: skip
    codes_opened = await LedgerAccount.filter(cooperative_id=row.id).values_list("code", flat=True)
    assert sorted(codes_opened) == sorted(a.code for a in CHART)
    me = await gql("{ me { administeredCooperatives { id } } }", token=pengurus["token"])
    assert me["data"]["me"]["administeredCooperatives"] == [{"id": cooperative["id"]}]


async def test_only_the_dinas_registers(gql):
    pengurus = await sign_up(gql)
    variables = {"input": registration(pengurus["user"]["email"])}
    before = await Cooperative.all().count()
    for token in (None, pengurus["token"]):
        result = await gql(contract("RegisterCooperative"), variables, token=token)
        payload = result["data"]["registerCooperative"]
        assert payload["cooperative"] is None
        assert payload["errors"][0]["code"] in ("UNAUTHENTICATED", "PERMISSION_DENIED")
    assert await Cooperative.all().count() == before


async def test_registration_names_every_bad_field_and_writes_nothing(gql):
    admin = await city_admin(gql)
    before = await Cooperative.all().count()
    bad = registration(
        "nobody@contoh.id", name=" ", legalNumber="123/BH/2001", legalDate="2999-01-01",
        kelurahanCode="36.71.99.9999", address="", pokokAmount=0, wajibMonthlyAmount=-5000,
    )  # fmt: skip
    result = await gql(contract("RegisterCooperative"), {"input": bad}, token=admin["token"])
    assert sorted(codes(result["data"]["registerCooperative"])) == [
        ("input.address", "REQUIRED"),
        ("input.adminEmail", "NOT_FOUND"),
        ("input.kelurahanCode", "INVALID"),
        ("input.legalDate", "INVALID"),
        ("input.legalNumber", "INVALID"),
        ("input.name", "REQUIRED"),
        ("input.pokokAmount", "INVALID"),
        ("input.wajibMonthlyAmount", "INVALID"),
    ]
    too_much = registration(admin["user"]["email"], pokokAmount=2**53 - 1)
    result = await gql(contract("RegisterCooperative"), {"input": too_much}, token=admin["token"])
    assert codes(result["data"]["registerCooperative"]) == [("input.pokokAmount", "INVALID")]
    beyond = registration(admin["user"]["email"], pokokAmount=2**53)
    result = await gql(contract("RegisterCooperative"), {"input": beyond}, token=admin["token"])
    assert result.get("data") is None
    assert "Rupiah" in result["errors"][0]["message"]
    assert await Cooperative.all().count() == before


async def test_a_legal_number_is_registered_once(gql):
    admin = await city_admin(gql)
    first = registration(admin["user"]["email"])
    await gql(contract("RegisterCooperative"), {"input": first}, token=admin["token"])
    again = {**first, "name": "Koperasi Lain", "legalNumber": first["legalNumber"].lower()}
    result = await gql(contract("RegisterCooperative"), {"input": again}, token=admin["token"])
    assert codes(result["data"]["registerCooperative"]) == [("input.legalNumber", "DUPLICATE")]


async def test_the_directory_matches_name_words_and_filters(gql):
    admin = await city_admin(gql)
    tag = f"Zamrud{Cooperative.__name__[:0]}"
    batik = await Koperasi.new(gql, admin, name=f"Koperasi Pembatik {tag} Karawaci",
                               type="PRODUSEN", kelurahanCode="36.71.06.1001")  # fmt: skip
    tani = await Koperasi.new(gql, admin, name=f"Koperasi Tani {tag}", type="PEMASARAN",
                              kelurahanCode="36.71.01.1001")  # fmt: skip
    await tani.member()
    found = await directory(gql, query=f"batik {tag}")  # stems: "pembatik" -> "batik"
    assert [e["node"]["id"] for e in found["edges"]] == [batik.id]
    node = found["edges"][0]["node"]
    assert node["kelurahan"]["kecamatan"]["code"] == "36.71.06"
    both = await directory(gql, query=tag)
    assert both["totalCount"] == 2
    digital = await directory(gql, query=tag, filter={"isDigital": True})
    assert [(e["node"]["id"], e["node"]["memberCount"]) for e in digital["edges"]] == [(tani.id, 1)]
    by_type = await directory(gql, query=tag, filter={"type": ["PRODUSEN", "JASA"]})
    assert [e["node"]["id"] for e in by_type["edges"]] == [batik.id]
    by_kecamatan = await directory(gql, query=tag, filter={"kecamatan": ["36.71.01"]})
    assert [e["node"]["id"] for e in by_kecamatan["edges"]] == [tani.id]
    by_kelurahan = await directory(gql, query=tag, filter={"kelurahan": ["36.71.06.1001"]})
    assert [e["node"]["id"] for e in by_kelurahan["edges"]] == [batik.id]
    assert (await directory(gql, query=f"{tag} bengkel"))["totalCount"] == 0
    page = await directory(gql, query=tag, first=1)
    rest = await directory(gql, query=tag, first=1, after=page["pageInfo"]["endCursor"])
    assert {page["edges"][0]["node"]["id"], rest["edges"][0]["node"]["id"]} == {batik.id, tani.id}


async def test_hostile_directory_input_finds_nothing_or_is_refused(gql, client):
    assert (await directory(gql, query="%_' OR 1=1 --", filter={"kelurahan": ["x" * 500]}))[
        "totalCount"
    ] == 0
    variables = {"query": "\u0000%_' OR 1=1 --"}  # a NUL is refused at the edge
    nul = await client.post(
        "/graphql", json={"query": contract("Cooperatives"), "variables": variables}
    )
    assert (nul.status_code, nul.json()["errors"][0]["extensions"]["code"]) == (
        400,
        "BAD_USER_INPUT",
    )
    long = await gql(contract("Cooperatives"), {"query": "a" * 201})
    assert long["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_cooperative_is_found_by_its_slug_and_a_twin_by_its_own(gql):
    admin = await city_admin(gql)
    first = await Koperasi.new(gql, admin, name="Koperasi Kembar Jaya")
    twin = await Koperasi.new(gql, admin, name="Koperasi Kembar Jaya")
    query = "query($slug: String!) { cooperative(slug: $slug) { id slug name } }"
    for koperasi in (first, twin):
        slug = koperasi.cooperative["slug"]
        found = await gql(query, {"slug": slug})
        assert found["data"]["cooperative"] == {"id": koperasi.id, "slug": slug,
                                                "name": "Koperasi Kembar Jaya"}  # fmt: skip
    assert first.cooperative["slug"] != twin.cooperative["slug"]
    assert (await gql(query, {"slug": "tidak-ada"}))["data"]["cooperative"] is None
    assert (await gql(query, {"slug": "x" * 500}))["data"]["cooperative"] is None
