"""Nested lists are batched: the statements per request do not grow with the page size."""

from schema.execution.operations import contract_operation
from tests.catalog.helpers import add_product
from tests.conftest import StatementCounter, sign_up
from tests.shops.helpers import open_shop

SHOP_PAGE = contract_operation("ShopPage")


async def statements_for(gql, slug: str, first: int) -> int:
    with StatementCounter() as counter:
        result = await gql(SHOP_PAGE, {"slug": slug, "first": first})
    assert len(result["data"]["shop"]["products"]["edges"]) == first
    return len(counter.statements)


async def test_shop_page_costs_the_same_statements_for_2_or_24_products(gql):
    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    categories = ["keripik", "kerupuk", "batik", "anyaman", "jamu-herbal", "katering"]
    for i in range(24):
        await add_product(
            gql, owner["token"], shop["id"], name=f"Produk {i}", categorySlug=categories[i % 6]
        )
    await gql(SHOP_PAGE, {"slug": shop["slug"], "first": 1})  # warm the region cache
    small = await statements_for(gql, shop["slug"], 2)
    large = await statements_for(gql, shop["slug"], 24)
    assert small == large
    # shop by slug, the page, its count, images (categories are read once per process)
    assert large == 4


CATEGORIES = "query Tree { categories { slug children { slug } } }"
CATEGORY_COUNTS = "query Counts { categories { slug productCount children { productCount } } }"


async def test_categories_count_products_only_when_product_count_is_selected(gql):
    await gql(CATEGORIES)  # categories are read once per process
    with StatementCounter() as counter:
        tree = await gql(CATEGORIES)
    assert tree["data"]["categories"]
    assert counter.statements == []

    with StatementCounter() as counter:
        counted = await gql(CATEGORY_COUNTS)
    assert all(isinstance(c["productCount"], int) for c in counted["data"]["categories"])
    # One read of the tallies for parents and children, and no count over the products.
    assert ['"category_count"' in s for s in counter.statements] == [True]


VARIANT_CARDS = """query Cards($shop: ID!, $first: Int!) {
  products(filter: { shop: $shop }, sort: NEWEST, first: $first) {
    edges { node { id inStock price { amount } priceRange { min { amount } max { amount } }
      options { name values } variants { id sku price { amount } options { name value } } } }
  }
}"""
CARDS = """query Cards($shop: ID, $first: Int) {
  products(filter: { shop: $shop }, sort: RATING, first: $first) {
    edges { node { id name price { amount } rating { average count }
      shop { id name rating { average count } } } }
  }
}"""
PRODUCT_PAGE = """query ProductReviews($slug: String!, $first: Int) {
  product(slug: $slug) {
    id rating { average count distribution }
    shop { id rating { average count } }
    reviews(first: $first) {
      totalCount
      edges { node { id rating text authorName variantName createdAt editedAt
        photos { id thumbnail(width: 160) { url } } reply { text createdAt } } }
    }
  }
}"""


async def test_cards_and_the_product_page_read_variants_without_n_plus_1(gql):
    from tests.catalog.test_variants import PRODUCT_PAGE
    from tests.catalog.variant_helpers import COLOURS, SIZES, create_variant, set_options

    owner = await sign_up(gql)
    shop = await open_shop(gql, owner["token"])
    products = [
        await add_product(gql, owner["token"], shop["id"], name=f"Kemeja {i}") for i in range(12)
    ]
    for product in products[:8]:
        await set_options(gql, owner["token"], product["id"], [SIZES, COLOURS])
        for size in ("S", "M", "L"):
            sku = f"{product['id'][-6:]}-{size}"
            values = {"Ukuran": size, "Warna": "Biru"}
            await create_variant(gql, owner["token"], product["id"], sku=sku, values=values)

    async def statements(first: int) -> int:
        with StatementCounter() as counter:
            result = await gql(VARIANT_CARDS, {"shop": shop["id"], "first": first})
        edges = result["data"]["products"]["edges"]
        assert len(edges) == first
        assert sum(len(e["node"]["variants"]) for e in edges) >= first
        return len(counter.statements)

    await statements(1)  # warm the region cache
    assert await statements(2) == await statements(12)

    with StatementCounter() as counter:
        page = await gql(PRODUCT_PAGE, {"slug": products[0]["slug"]})
    assert len(page["data"]["product"]["variants"]) == 3
    # the product by slug, its visibility, its options, its variants
    assert len(counter.statements) == 4, counter.statements


async def test_cards_and_the_product_page_read_ratings_and_reviews_in_batches(gql):
    from tests.catalog.review_helpers import another_sale, completed_sale, review

    first = await completed_sale(gql)
    sale = first.sale
    for i in range(7):
        await add_product(gql, sale.seller["token"], sale.shop["id"], name=f"Kartu {i}")
    sales = [first] + [await another_sale(gql, sale) for _ in range(4)]
    for n, done in enumerate(sales):
        assert (await review(gql, done.buyer, done.line_id, 1 + n))["errors"] == []

    async def statements(query: str, variables: dict, rows) -> int:
        with StatementCounter() as counter:
            result = await gql(query, variables)
        assert "errors" not in result, result
        assert len(rows(result["data"])) == variables["first"]
        return len(counter.statements)

    def cards(data):
        return data["products"]["edges"]

    def reviews(data):
        return data["product"]["reviews"]["edges"]

    scoped = {"shop": sale.shop["id"]}
    await gql(CARDS, {**scoped, "first": 1})  # warm the caches
    assert await statements(CARDS, {**scoped, "first": 2}, cards) == await statements(
        CARDS, {**scoped, "first": 8}, cards
    )
    page = {"slug": sale.product["slug"]}
    small = await statements(PRODUCT_PAGE, {**page, "first": 2}, reviews)
    large = await statements(PRODUCT_PAGE, {**page, "first": 5}, reviews)
    assert small == large
