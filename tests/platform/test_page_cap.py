"""`first` is capped at 100, as the contract says; `pageInfo.pageSize` shows the cut, so that a
client asking for more knows it got a page of 100, not everything."""

from tests.orders.helpers import seller_with_products

SHOP_PRODUCTS = """query($slug: String!, $first: Int) { shop(slug: $slug) {
  products(first: $first) { edges { node { id } } pageInfo { hasNextPage pageSize } } } }"""
SEARCH = """query($first: Int) { products(first: $first) {
  edges { node { id } } pageInfo { pageSize } } }"""


async def test_first_above_the_cap_is_cut_and_says_so(gql):
    _, shop, _ = await seller_with_products(gql, count=3)
    pages = {}
    for first in (2, None, 100, 100_000):
        answer = await gql(SHOP_PRODUCTS, {"slug": shop["slug"], "first": first})
        assert "errors" not in answer, answer
        pages[first] = answer["data"]["shop"]["products"]
    assert pages[2]["pageInfo"] == {"hasNextPage": True, "pageSize": 2}
    assert len(pages[2]["edges"]) == 2
    assert pages[None]["pageInfo"]["pageSize"] == 20
    assert pages[100]["pageInfo"]["pageSize"] == 100
    assert pages[100_000]["pageInfo"] == {"hasNextPage": False, "pageSize": 100}
    assert len(pages[100_000]["edges"]) == 3


async def test_search_pages_show_the_cap_too(gql):
    await seller_with_products(gql)
    for first, size in ((5, 5), (100_000, 100)):
        answer = await gql(SEARCH, {"first": first})
        assert "errors" not in answer, answer
        assert answer["data"]["products"]["pageInfo"]["pageSize"] == size
        assert len(answer["data"]["products"]["edges"]) <= size
