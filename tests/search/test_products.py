"""SearchProducts through HTTP: filters, facets, sorts, paging, freshness, hostile input."""

import itertools
import uuid

import pytest

from models.catalog.product import Product
from models.shops import Shop
from schema.execution import CONTRACT_DIR
from tests.conftest import StatementCounter
from tests.search.catalogue import Catalogue, add, build, names, search

SHOPS = [
    {"key": "utara", "name": "Warung Sukarasa", "kelurahan": "36.71.01.1001", "verified": True},
    {"key": "barat", "name": "Kedai Ketapang", "kelurahan": "36.71.05.1007"},
]
PRODUCTS = [
    {"shop": "utara", "name": "Keripik Talas Pedas", "category": "keripik", "price": 9000, "stock": 5, "halal": True},
    {"shop": "utara", "name": "Kerupuk Ikan Tenggiri", "category": "kerupuk", "price": 21000, "stock": 0, "halal": True},
    {"shop": "utara", "name": "Batik Cap Kembang", "category": "batik", "price": 300000, "stock": 2},
    {"shop": "barat", "name": "Keripik Kentang Keju", "category": "keripik", "price": 16000, "stock": 0, "halal": True},
    {"shop": "barat", "name": "Nastar Premium", "category": "kue-kering", "price": 95000, "stock": 7},
    {"shop": "barat", "name": "Sapu Ijuk Jumbo", "category": "kebersihan", "price": 25000, "stock": 12},
]  # fmt: skip
_built: dict[str, Catalogue] = {}


async def catalogue(gql) -> Catalogue:
    key = str(gql.http.base_url)
    if key not in _built:
        _built[key] = await build(gql, SHOPS, PRODUCTS)
    return _built[key]


async def found_names(gql, **filter_fields) -> set[str]:
    shops = await catalogue(gql)
    query = filter_fields.pop("query", None)
    result = await search(gql, query=query, filter=shops.scoped(**filter_fields), first=50)
    assert result["totalCount"] == len(result["edges"])
    return set(names(result))


@pytest.mark.parametrize(
    ("filter_fields", "expected"),
    [
        ({}, {p["name"] for p in PRODUCTS}),
        ({"categories": ["camilan-keripik"]}, {"Keripik Talas Pedas", "Kerupuk Ikan Tenggiri", "Keripik Kentang Keju", "Nastar Premium"}),
        ({"categories": ["keripik", "batik"]}, {"Keripik Talas Pedas", "Keripik Kentang Keju", "Batik Cap Kembang"}),
        ({"kecamatan": ["36.71.05"]}, {"Keripik Kentang Keju", "Nastar Premium", "Sapu Ijuk Jumbo"}),
        ({"kelurahan": ["36.71.01.1001"]}, {"Keripik Talas Pedas", "Kerupuk Ikan Tenggiri", "Batik Cap Kembang"}),
        ({"priceMin": 16000, "priceMax": 95000}, {"Kerupuk Ikan Tenggiri", "Keripik Kentang Keju", "Nastar Premium", "Sapu Ijuk Jumbo"}),
        ({"halal": True}, {"Keripik Talas Pedas", "Kerupuk Ikan Tenggiri", "Keripik Kentang Keju"}),
        ({"halal": False}, {"Batik Cap Kembang", "Nastar Premium", "Sapu Ijuk Jumbo"}),
        ({"inStock": True}, {"Keripik Talas Pedas", "Batik Cap Kembang", "Nastar Premium", "Sapu Ijuk Jumbo"}),
        ({"inStock": False}, {"Kerupuk Ikan Tenggiri", "Keripik Kentang Keju"}),
        ({"categories": ["camilan-keripik"], "halal": True, "inStock": True}, {"Keripik Talas Pedas"}),
        # Nastar is in Kue Kering, a child of Camilan & Keripik: the category's words count.
        ({"query": "keripik"}, {"Keripik Talas Pedas", "Keripik Kentang Keju", "Kerupuk Ikan Tenggiri", "Nastar Premium"}),
        ({"query": "keripik", "kecamatan": ["36.71.05"], "inStock": False}, {"Keripik Kentang Keju"}),
        ({"categories": ["tidak-ada"]}, set()),
        ({"kecamatan": ["'; DROP TABLE product; --"], "kelurahan": ["x" * 5000]}, set()),
        ({"priceMin": 100, "priceMax": 50}, set()),
    ],
)  # fmt: skip
async def test_each_filter_and_their_combination(gql, filter_fields, expected):
    assert await found_names(gql, **filter_fields) == expected


async def test_shop_filter(gql):
    shops = await catalogue(gql)
    assert await found_names(gql, shop=shops.shops["utara"]["id"]) == {
        "Keripik Talas Pedas", "Kerupuk Ikan Tenggiri", "Batik Cap Kembang",
    }  # fmt: skip


async def test_facets_count_the_whole_result_not_the_page(gql):
    shops = await catalogue(gql)
    result = await search(gql, filter=shops.scoped(), first=1)
    assert len(result["edges"]) == 1
    assert result["totalCount"] == 6
    facets = {f["field"]: {v["value"]: (v["label"], v["count"]) for v in f["values"]}
              for f in result["facets"]}  # fmt: skip
    assert facets["category"] == {
        "keripik": ("Keripik", 2), "kerupuk": ("Kerupuk", 1), "batik": ("Batik", 1),
        "kue-kering": ("Kue Kering", 1), "kebersihan": ("Kebersihan", 1),
    }  # fmt: skip
    assert facets["kecamatan"] == {"36.71.01": ("Tangerang", 3), "36.71.05": ("Cipondoh", 3)}
    assert facets["halal"] == {"true": ("Halal", 3), "false": ("Belum bersertifikat halal", 3)}
    assert result["facets"][0]["values"][0]["count"] == 2  # largest first


async def test_sorts(gql):
    shops = await catalogue(gql)
    ids = {name: p["id"] for name, p in shops.products.items()}
    await Product.filter(name__in=list(ids), shop__cooperative_id__isnull=False).update(
        units_sold=0
    )
    sold = {"Nastar Premium": 90, "Sapu Ijuk Jumbo": 40, "Batik Cap Kembang": 40}
    for name, units in sold.items():
        await Product.filter(slug=shops.products[name]["slug"]).update(units_sold=units)

    async def ordered(sort, query=None):
        return names(await search(gql, query=query, filter=shops.scoped(), sort=sort, first=50))

    created = [p["name"] for p in PRODUCTS]
    assert await ordered("NEWEST") == created[::-1]
    assert await ordered("RELEVANCE") == created[::-1]  # without a query: newest
    by_price = sorted(PRODUCTS, key=lambda p: p["price"])
    assert await ordered("PRICE_ASC") == [p["name"] for p in by_price]
    assert await ordered("PRICE_DESC") == [p["name"] for p in by_price[::-1]]
    best = await ordered("BEST_SELLING")
    assert best[:3] == ["Nastar Premium", "Sapu Ijuk Jumbo", "Batik Cap Kembang"]  # ties: newest
    # Names with the word first; on ties verified shops, then products in stock, then newest.
    assert await ordered("RELEVANCE", "keripik") == [
        "Keripik Talas Pedas", "Keripik Kentang Keju", "Kerupuk Ikan Tenggiri", "Nastar Premium",
    ]  # fmt: skip


@pytest.mark.parametrize("sort", ["RELEVANCE", "NEWEST", "PRICE_ASC", "PRICE_DESC", "BEST_SELLING"])
async def test_paging_walk_has_no_gaps_or_duplicates_while_products_are_added(gql, sort):
    spec = [{"shop": "a", "name": f"Kue Lapis Legit {i}", "category": "kue-roti",
             "price": 10000 + 1000 * (i % 3), "stock": i % 2} for i in range(7)]  # fmt: skip
    shops = await build(
        gql, [{"key": "a", "name": "Toko Kue Lapis", "kelurahan": "36.71.02.1001"}], spec
    )
    seen, after, added = [], None, 0
    while True:
        page = await search(
            gql, query="kue lapis", filter=shops.scoped(), sort=sort, first=2, after=after
        )
        seen += names(page)
        if added < 2:  # a new product between pages must not shift the walk
            await add(
                gql,
                shops,
                {
                    "shop": "a",
                    "name": f"Kue Lapis Baru {added}",
                    "category": "kue-roti",
                    "price": 11000,
                },
            )
            added += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen))
    assert {s["name"] for s in spec} <= set(seen)


async def test_products_appear_at_once_and_archived_ones_vanish(gql):
    word = "zulfikar" + uuid.uuid4().hex[:6].translate(str.maketrans("0123456789", "abcdefghij"))
    shops = await build(
        gql, [{"key": "a", "name": "Dapur Minang", "kelurahan": "36.71.04.1004"}], []
    )
    product = await add(
        gql,
        shops,
        {"shop": "a", "name": f"Rendang {word}", "category": "makanan-berat", "stock": 0},
    )
    assert names(await search(gql, query=word)) == [f"Rendang {word}"]
    typo = await search(gql, query=word[:-1])  # one letter short: corrected against the new word
    assert typo["suggestion"] == word
    assert names(typo) == [f"Rendang {word}"]
    assert names(await search(gql, query=word, filter={"inStock": True})) == []

    update = """mutation($id: ID!, $input: UpdateProductInput!) {
      updateProduct(id: $id, input: $input) { errors { code } } }"""
    await gql(
        update,
        {"id": product["id"], "input": {"stock": 4, "name": f"Gulai {word}"}},
        token=shops.token,
    )
    assert names(await search(gql, query=word, filter={"inStock": True})) == [f"Gulai {word}"]
    assert names(await search(gql, query="rendang", filter=shops.scoped())) == []
    await gql(update, {"id": product["id"], "input": {"status": "ARCHIVED"}}, token=shops.token)
    gone = await search(gql, query=word)
    assert gone["totalCount"] == 0
    assert gone["edges"] == []
    await gql(update, {"id": product["id"], "input": {"status": "ACTIVE"}}, token=shops.token)
    assert names(await search(gql, query=word)) == [f"Gulai {word}"]


async def test_shop_changes_reach_the_index(gql):
    shops = await build(
        gql, [{"key": "a", "name": "Sanggar Wayang", "kelurahan": "36.71.06.1005"}],
        [{"shop": "a", "name": "Wayang Golek Kecil", "category": "souvenir"}],
    )  # fmt: skip
    await Shop.filter(slug=shops.shops["a"]["slug"]).update(
        is_verified=True, kelurahan_id="36.71.13.1001"
    )
    found = await search(gql, query="wayang golek", filter=shops.scoped(kecamatan=["36.71.13"]))
    assert [e["node"]["shop"]["isVerified"] for e in found["edges"]] == [True]
    rename = """mutation($id: ID!, $input: UpdateShopInput!) { updateShop(id: $id, input: $input) { errors { code } } }"""
    await gql(
        rename, {"id": shops.shops["a"]["id"], "input": {"name": "Galeri Kriya"}}, token=shops.token
    )
    assert names(await search(gql, query="galeri kriya", filter=shops.scoped())) == [
        "Wayang Golek Kecil"
    ]


HOSTILE = [
    "", "   ", "dan yang di", '"*():-^ NEAR OR AND NOT', "keripik*", "NEAR(keripik singkong)",
    "keripik" * 2000, "🙂🍜 keripik", "ケリピック", "\\' OR 1=1 --", "%_%", "{name_terms}: x",
]  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
async def test_hostile_queries_give_results_or_a_clean_error(gql, query):
    result = await gql(
        "query($q: String) { products(query: $q, first: 5) { totalCount suggestion facets { field } edges { node { name } } } }",
        {"q": query},
    )
    assert "errors" not in result, result
    suggest = await gql(
        "query($p: String!) { searchSuggestions(prefix: $p) { text kind } }", {"p": query}
    )
    assert "errors" not in suggest, suggest


async def test_a_nul_in_a_search_is_refused_at_the_edge(client):
    query = "query($q: String) { products(query: $q) { totalCount } }"
    result = await client.post("/graphql", json={"query": query, "variables": {"q": "a\x00b"}})
    assert result.status_code == 400
    assert [e["extensions"]["code"] for e in result.json()["errors"]] == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    "variables",
    [{"after": "bm9wZQ=="}, {"after": "not base64!"}, {"first": -1},
     {"filter": {"shop": "bm90LWFuLWlk"}}, {"filter": {"categories": ["x"] * 101}}],
)  # fmt: skip
async def test_bad_arguments_are_bad_user_input(gql, variables):
    result = await gql(
        "query($after: String, $first: Int, $filter: ProductFilter) { products(after: $after, first: $first, filter: $filter) { totalCount } }",
        variables,
    )
    assert [e["extensions"]["code"] for e in result["errors"]] == ["BAD_USER_INPUT"]


async def test_a_cursor_belongs_to_its_sort(gql):
    shops = await catalogue(gql)
    page = await search(gql, filter=shops.scoped(), sort="PRICE_ASC", first=1)
    result = await gql(
        "query($after: String) { products(after: $after, sort: NEWEST) { totalCount } }",
        {"after": page["pageInfo"]["endCursor"]},
    )
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def contract_operation(name: str) -> str:
    text = (CONTRACT_DIR / "marketplace.graphql").read_text()
    fragment = text[
        text.index("fragment ProductCard") : text.index("\n}\n", text.index("fragment ProductCard"))
        + 3
    ]
    start = text.index(f"query {name}")
    return text[start : text.index("\n}\n", start) + 3] + fragment


async def test_contract_search_products_runs_as_written(gql):
    shops = await catalogue(gql)
    result = await gql(
        contract_operation("SearchProducts"), {"query": "keripk", "filter": shops.scoped()}
    )
    assert "errors" not in result, result
    products = result["data"]["products"]
    assert products["suggestion"] == "keripik"
    assert products["totalCount"] == 4
    card = products["edges"][0]["node"]
    assert card["shop"]["kelurahan"]["kecamatan"]["code"] == "36.71.01"
    assert card["price"]["formatted"] == "Rp9.000"
    assert [f["field"] for f in products["facets"]] == ["category", "kecamatan", "halal"]


SEARCH_CARDS = """
query($filter: ProductFilter, $first: Int) {
  products(query: "lontong", filter: $filter, first: $first) {
    totalCount facets { field values { value count } }
    edges { node { name price { formatted } inStock thumbnail(width: 320) { url } shop { name isVerified kelurahan { name kecamatan { name } } } category { slug name } } }
  }
}"""


async def test_search_statements_do_not_grow_with_the_page(gql):
    spec = [
        {"shop": "a", "name": f"Lontong Sayur {i}", "category": "makanan-berat"} for i in range(20)
    ]
    shops = await build(
        gql, [{"key": "a", "name": "Warung Lontong", "kelurahan": "36.71.03.1003"}], spec
    )
    await gql(SEARCH_CARDS, {"filter": shops.scoped(), "first": 1})  # warm the region cache

    async def statements(first: int) -> int:
        with StatementCounter() as counter:
            result = await gql(SEARCH_CARDS, {"filter": shops.scoped(), "first": first})
        assert len(result["data"]["products"]["edges"]) == first
        return len(counter.statements)

    assert await statements(2) == await statements(20)
    # known words, page, the cards (one select of plain rows: products, shops, first photos),
    # facets with total (categories and regions are cached)
    assert await statements(20) == 4


async def test_suggestions_complete_words_of_names(gql):
    await catalogue(gql)
    found = await gql('query { searchSuggestions(prefix: "Kerip", first: 8) { text kind slug } }')
    suggestions = found["data"]["searchSuggestions"]
    assert suggestions[0] == {"text": "Keripik", "kind": "CATEGORY", "slug": "keripik"}
    # Other tests' many "Keripik ..." products may fill "Kerip"'s eight; two words do not.
    for prefix, name in (
        ("kerip tal", "Keripik Talas Pedas"),
        ("kerip kent", "Keripik Kentang Keju"),
    ):
        found = await gql(
            "query($p: String!) { searchSuggestions(prefix: $p) { text } }", {"p": prefix}
        )
        assert name in {s["text"] for s in found["data"]["searchSuggestions"]}, prefix
    shop = await gql('query { searchSuggestions(prefix: "kedai ketap") { text kind } }')
    assert {"text": "Kedai Ketapang", "kind": "SHOP"} in shop["data"]["searchSuggestions"]
    talas = await gql('query { searchSuggestions(prefix: "talas ped") { text kind } }')
    assert talas["data"]["searchSuggestions"][0] == {
        "text": "Keripik Talas Pedas",
        "kind": "PRODUCT",
    }
    short = await gql('query { searchSuggestions(prefix: "k") { text } }')
    assert short["data"]["searchSuggestions"] == []


async def test_shops_directory_searches_with_stems_and_typos(gql):
    await catalogue(gql)
    query = "query($q: String) { shops(query: $q, first: 50) { edges { node { name } } } }"
    for typed in ("warung sukarasa", "WARUNGNYA sukarasa", "warung sukarsa"):
        result = await gql(query, {"q": typed})
        assert "Warung Sukarasa" in {e["node"]["name"] for e in result["data"]["shops"]["edges"]}, (
            typed
        )


async def test_relevance_pages_are_the_same_at_every_page_size(gql):
    # One word is read tier by tier (`relevance`), more words by sorting every match; either
    # way a walk by small pages is the one page of every match (see test_relevance_tiers).
    shops = await build(
        gql,
        [
            {"key": "v", "name": "Toko Dodol Resmi", "kelurahan": "36.71.02.1001", "verified": True},
            {"key": "u", "name": "Warung Dodol", "kelurahan": "36.71.02.1001"},
        ],
        [{"shop": "vu"[i % 2], "name": f"Dodol Garut {i}" if i % 3 else f"Wajik {i}",
          "description": "dodol legit", "category": "kue-roti", "stock": i % 4}
         for i in range(14)],
    )  # fmt: skip

    async def walk(query: str, first: int, **chosen: bool) -> list[tuple[str, str]]:
        seen, after = [], None
        while True:
            scoped = shops.scoped(**chosen)
            page = await search(gql, query=query, filter=scoped, first=first, after=after)
            seen += [(e["node"]["name"], e["cursor"]) for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                return seen
            after = page["pageInfo"]["endCursor"]

    for query, stock in itertools.product(
        ("dodol", "dodol garut", "garut"), ({}, {"inStock": True})
    ):
        whole = await walk(query, 50, **stock)
        for first in (1, 2, 5):
            assert await walk(query, first, **stock) == whole, (query, first)
        # stock i % 4: products 0, 4, 8 and 12 have none
        expected = {"dodol": (14, 10), "dodol garut": (9, 7), "garut": (9, 7)}[query]
        assert len(whole) == expected[bool(stock)], (query, stock)
        # verified shop's Dodol Garut in stock first (i odd is shop u)
        if query == "garut":
            assert whole[0][0] == "Dodol Garut 10"


COUNTED = """query Counted($filter: ProductFilter) {
  products(query: "lontong", filter: $filter, first: 5) {
    %s
    edges { node { name } }
  }
}"""


@pytest.mark.parametrize(
    ("selection", "counts", "grouped"),
    [
        ("", 0, 0),  # the page alone counts nothing
        ("totalCount", 1, 0),  # a total is one COUNT, not the facets' grouping
        ("... on ProductSearchConnection { totalCount }", 1, 0),
        ("totalCount facets { field values { value count } }", 1, 1),  # one pass for both
    ],
    ids=["page", "total", "total-in-fragment", "total-and-facets"],
)
async def test_search_counts_only_what_is_selected(gql, selection, counts, grouped):
    products, counting = await _counted(gql, COUNTED % selection)
    if "totalCount" in selection:
        assert products["totalCount"] == 3
    assert len(counting) == counts
    assert sum("GROUP BY" in s.upper() for s in counting) == grouped


COUNTS_FRAGMENT = """
fragment Counts on ProductSearchConnection { totalCount facets { field values { count } } }"""


@pytest.mark.parametrize(
    ("selection", "counts", "grouped"),
    [
        ("...Counts", 1, 1),  # a named fragment's fields are the connection's
        ("... { ... on ProductSearchConnection { total: totalCount } }", 1, 0),  # nested, aliased
        ("pageInfo { hasNextPage } facets: pageInfo { hasPreviousPage }", 0, 0),  # alias, not field
    ],
    ids=["named-fragment", "nested-inline-alias", "alias-named-facets"],
)
async def test_search_counts_what_fragments_and_aliases_select(gql, selection, counts, grouped):
    """What the search counts is read from the document's nodes (`schema.platform.selected`):
    fields by name, through fragments, whatever their aliases."""
    document = COUNTED % selection + (COUNTS_FRAGMENT if "...Counts" in selection else "")
    products, counting = await _counted(gql, document)
    assert products.get("totalCount", products.get("total", 3)) == 3
    assert len(counting) == counts
    assert sum("GROUP BY" in s.upper() for s in counting) == grouped


async def _counted(gql, document: str) -> tuple[dict, list[str]]:
    """The products answer of `document` over three matches, and the counting statements."""
    spec = [
        {"shop": "a", "name": f"Lontong Kari {i}", "category": "makanan-berat"} for i in range(3)
    ]
    shops = await build(
        gql, [{"key": "a", "name": "Warung Kari", "kelurahan": "36.71.03.1003"}], spec
    )
    with StatementCounter() as counter:
        result = await gql(document, {"filter": shops.scoped()})
    products = result["data"]["products"]
    assert len(products["edges"]) == 3
    return products, [s for s in counter.statements if "COUNT(" in s.upper()]
