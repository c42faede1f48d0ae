"""Product cards from plain rows answer exactly as the general path does.

Two servers share the tests' database: the app as configured, whose compiled plans read
search cards as plain rows (`schema.catalog.cards`), and the same app with
COMPILED_EXECUTION=off, where graphql-core completes `Product` objects built from ORM rows
field by field. Every search below must get the same answer from both, and the first must
have read its cards with the one plain select (or, for a selection beyond a card, not).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import print_ast
from strawberry.relay import GlobalID

from models.catalog.product import Image
from models.catalog.reviews import ProductRating, ShopRating
from models.shops import Shop
from schema.execution.operations import operations
from tests.catalog.helpers import UPDATE_PRODUCT
from tests.catalog.variant_helpers import (
    COLOURS,
    SIZES,
    create_variant,
    set_options,
    update_variant,
)
from tests.conftest import LiveServer, StatementCounter, contract, make_settings
from tests.search.catalogue import Catalogue, add, build

STOREFRONT = dict(operations(Path(__file__).resolve().parents[2] / "storefront" / "operations"))
PLAIN_READ = "FROM product p JOIN shop s ON s.id = p.shop_id"

SHOPS = [
    {"key": "lama", "name": "Toko Kartu Lama", "kelurahan": "36.71.01.1001", "verified": True},
    {"key": "baru", "name": "Toko Kartu Baru", "kelurahan": "36.71.05.1007"},
]
PRODUCTS = [
    {"shop": "lama", "name": "Kartu Keripik Balado", "category": "keripik", "price": 12000, "stock": 4, "halal": True},
    {"shop": "lama", "name": "Kartu Batik Tulis", "category": "batik", "price": 450000, "stock": 0},
    {"shop": "baru", "name": "Kartu Kemeja Batik", "category": "batik", "price": 150000, "stock": 3},
    {"shop": "baru", "name": "Kartu Nastar Keju", "category": "kue-kering", "price": 85000, "stock": 9, "halal": True},
    {"shop": "baru", "name": "Kartu Sapu Ijuk", "category": "kebersihan", "price": 30000, "stock": 1},
    {"shop": "lama", "name": "Kartu Kopi Arabika", "category": "minuman", "price": 65000, "stock": 0, "halal": True},
]  # fmt: skip

# A card with what the storefront's cards and the contract's RatedProducts ask, aliases and
# __typename, and a document asking beyond a card (`description`), which the general path
# answers in both servers.
WIDE = """
query Wide($query: String, $filter: ProductFilter, $sort: ProductSort) {
  products(query: $query, filter: $filter, sort: $sort, first: 10) {
    totalCount
    edges { cursor node {
      __typename id slug name stock inStock isHalal
      price { amount currency formatted }
      harga: price { formatted }
      priceRange { min { amount formatted } max { amount currency formatted } }
      rating { average count distribution }
      tiny: thumbnail(width: 100) { url width height }
      thumbnail { url }
      wide: thumbnail(width: 2000) { width }
      category { __typename slug name }
      shop { __typename id slug name isVerified rating { average count }
             kelurahan { code name kecamatan { code name } } }
    } }
  }
}"""
BEYOND = """
query Beyond($filter: ProductFilter) {
  products(filter: $filter, first: 10) { edges { node { id name description } } }
}"""
# A width from a variable is known only per request: the general path answers it.
BY_VARIABLE = """
query ByVariable($filter: ProductFilter, $w: Int!) {
  products(filter: $filter, first: 10) { edges { node { id thumbnail(width: $w) { url } } } }
}"""


def documents() -> dict[str, str]:
    return {
        "SearchProducts": contract("SearchProducts"),
        "RatedProducts": contract("RatedProducts"),
        "SearchPage": print_ast(STOREFRONT["SearchPage"]),
        "Wide": WIDE,
    }


@pytest.fixture(scope="module")
async def reference(live, database_url):
    settings = make_settings(database_url, live.settings.media_root, COMPILED_EXECUTION="off")
    async with LiveServer(settings, lifespan="off") as server:
        yield server.url


class Two:
    """Posts each operation to the compiled server (counting its statements) and to the
    reference, and compares the answers."""

    def __init__(self, compiled: httpx.AsyncClient, reference: httpx.AsyncClient) -> None:
        self.compiled, self.reference = compiled, reference

    async def same(self, query: str, variables: dict[str, Any]) -> tuple[dict, list[str]]:
        body = {"query": query, "variables": variables}
        with StatementCounter() as counter:
            answer = (await self.compiled.post("/graphql", json=body)).json()
        expected = (await self.reference.post("/graphql", json=body)).json()
        assert "errors" not in answer, answer
        assert answer == expected, difference(answer, expected)
        return answer["data"], counter.statements


def difference(got: Any, expected: Any, at: str = "") -> str:
    """Where two answers first differ, and how."""
    if isinstance(got, dict) and isinstance(expected, dict) and got.keys() == expected.keys():
        return next(
            (difference(got[k], expected[k], f"{at}.{k}") for k in got if got[k] != expected[k]),
            "",
        )
    if isinstance(got, list) and isinstance(expected, list) and len(got) == len(expected):
        pairs = enumerate(zip(got, expected, strict=True))
        return next((difference(g, e, f"{at}[{i}]") for i, (g, e) in pairs if g != e), "")
    return f"{at}: {got!r} != {expected!r}"


@pytest.fixture
async def two(live, reference):
    host = {"Host": "pasar.test"}  # media URLs are absolute: the same for both servers
    async with (
        httpx.AsyncClient(base_url=live.url, timeout=30, headers=host) as compiled,
        httpx.AsyncClient(base_url=reference, timeout=30, headers=host) as other,
    ):
        yield Two(compiled, other)


_built: dict[str, Catalogue] = {}


async def shelf(gql) -> Catalogue:
    """The catalogue, with photos (one product's first photo added last, by position), a
    product with options (an inactive dearer variant), ratings, a hidden draft and an
    archived product."""
    key = str(gql.http.base_url)
    if key in _built:
        return _built[key]
    found = await build(gql, SHOPS, PRODUCTS)
    token = found.token
    ids = {name: int(_pk(p["id"])) for name, p in found.products.items()}
    balado, tulis = ids["Kartu Keripik Balado"], ids["Kartu Batik Tulis"]
    shop = await Shop.get(id=int(_pk(found.shops["lama"]["id"])))
    for product_id, position, key_ in ((balado, 1, "b"), (balado, 0, "a"), (tulis, 0, "t")):
        await Image.create(
            owner_id=shop.owner_id, product_id=product_id, width=1200, height=800,
            position=position, renditions=_renditions(key_),
        )  # fmt: skip
    await ProductRating.create(product_id=balado, stars_5=2, stars_4=1)
    await ProductRating.create(product_id=tulis, stars_1=1)
    await ShopRating.create(shop_id=shop.id, stars_5=2, stars_4=1, stars_1=1)
    assert (
        await set_options(gql, token, found.products["Kartu Kemeja Batik"]["id"], [SIZES, COLOURS])
    )["errors"] == []
    for sku, price, values in (("KRT-M", 150000, {"Ukuran": "M", "Warna": "Merah"}),
                               ("KRT-L", 175000, {"Ukuran": "L", "Warna": "Biru"}),
                               ("KRT-S", 990000, {"Ukuran": "S", "Warna": "Biru"})):  # fmt: skip
        made = await create_variant(
            gql,
            token,
            found.products["Kartu Kemeja Batik"]["id"],
            sku=sku,
            price=price,
            values=values,
        )
        assert made["errors"] == [], made
    assert (await update_variant(gql, token, made["variant"]["id"], isActive=False))["errors"] == []
    for name, status in (("Kartu Draf Tersembunyi", "DRAFT"), ("Kartu Arsip Lama", "ARCHIVED")):
        product = await add(gql, found, {"shop": "lama", "name": name, "category": "batik"})
        changed = await gql(
            UPDATE_PRODUCT, {"id": product["id"], "input": {"status": status}}, token=token
        )
        assert changed["data"]["updateProduct"]["errors"] == [], changed
    _built[key] = found
    return found


def _renditions(key: str) -> list[dict[str, Any]]:
    return [
        {"key": f"kartu/{key}-{w}.webp", "width": w, "height": w * 2 // 3}
        for w in (160, 320, 640, 1200)
    ]


def _pk(global_id: str) -> str:
    return GlobalID.from_id(global_id).node_id


SEARCHES = [
    {},
    {"query": "kartu"},
    {"query": "batik", "sort": "PRICE_DESC"},
    {"query": "kartu", "sort": "PRICE_ASC", "filter": {"priceMin": 100000, "priceMax": 200000}},
    {"sort": "NEWEST", "filter": {"inStock": True}},
    {"query": "keripik", "filter": {"halal": True}},
    {"filter": {"kecamatan": ["36.71.05"]}, "sort": "BEST_SELLING"},
    {"filter": {"categories": ["batik"]}, "sort": "RATING"},
    {"query": "krtu batk"},
    {"query": "tidakadaapapun"},
]


@pytest.mark.parametrize("name", ["SearchProducts", "RatedProducts", "SearchPage", "Wide"])
async def test_cards_from_plain_rows_equal_the_general_path(gql, two, name):
    found = await shelf(gql)
    document = documents()[name]
    shown = set()
    for search in SEARCHES:
        variables = {**search, "filter": found.scoped(**search.get("filter", {}))}
        if name == "RatedProducts":  # its filter: a shop, a minimum rating
            shop = found.shops["lama" if len(shown) % 2 else "baru"]["id"]
            variables = {"query": search.get("query"), "shop": shop, "minRating": None}
        data, statements = await two.same(document, variables)
        edges = data["products"]["edges"]
        shown |= {e["node"]["name"] for e in edges}
        assert any(PLAIN_READ in s for s in statements) == bool(edges), statements
    # the hidden ones are in neither answer; every active one is in some
    assert shown >= ({p["name"] for p in PRODUCTS} if name != "RatedProducts" else set())
    assert not shown & {"Kartu Draf Tersembunyi", "Kartu Arsip Lama"}


async def test_a_photo_on_a_later_position_and_none_at_all(gql, two):
    found = await shelf(gql)
    data, _ = await two.same(WIDE, {"query": "kartu", "filter": found.scoped()})
    nodes = {e["node"]["name"]: e["node"] for e in data["products"]["edges"]}
    assert nodes["Kartu Keripik Balado"]["tiny"]["url"].endswith("/kartu/a-160.webp")
    assert nodes["Kartu Keripik Balado"]["wide"] == {"width": 1200}
    assert nodes["Kartu Nastar Keju"]["thumbnail"] is None
    assert nodes["Kartu Keripik Balado"]["rating"] == {
        "average": 4.7,
        "count": 3,
        "distribution": [0, 0, 0, 1, 2],
    }
    assert nodes["Kartu Kemeja Batik"]["priceRange"]["max"]["amount"] == 175000  # not the inactive
    assert nodes["Kartu Sapu Ijuk"]["priceRange"]["min"]["amount"] == 30000


@pytest.mark.parametrize("query", [BEYOND, BY_VARIABLE])
async def test_a_selection_beyond_a_card_takes_the_general_path(gql, two, query):
    found = await shelf(gql)
    _, statements = await two.same(query, {"filter": found.scoped(), "w": 320})
    assert not any(PLAIN_READ in s for s in statements)


async def test_a_write_shows_at_once(gql, two):
    found = await shelf(gql)
    scoped = {"filter": found.scoped(), "query": "segar"}
    data, _ = await two.same(WIDE, scoped)
    assert data["products"]["edges"] == []
    product = await add(
        gql, found, {"shop": "baru", "name": "Kartu Jamu Segar", "category": "minuman", "stock": 2}
    )
    data, _ = await two.same(WIDE, scoped)
    assert [e["node"]["stock"] for e in data["products"]["edges"]] == [2]
    changed = await gql(
        UPDATE_PRODUCT,
        {"id": product["id"], "input": {"stock": 0, "price": 7000}},
        token=found.token,
    )
    assert changed["data"]["updateProduct"]["errors"] == []
    data, _ = await two.same(WIDE, scoped)
    (node,) = [e["node"] for e in data["products"]["edges"]]
    assert (node["inStock"], node["price"]["formatted"]) == (False, "Rp7.000")
    await gql(
        UPDATE_PRODUCT, {"id": product["id"], "input": {"status": "ARCHIVED"}}, token=found.token
    )
    data, _ = await two.same(WIDE, scoped)
    assert data["products"]["edges"] == []
