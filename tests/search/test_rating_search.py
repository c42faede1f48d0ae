"""Search by rating through HTTP: minRating keeps the products whose shown average reaches
it (unrated never), sort RATING puts the highest average first, ties more ratings first,
unrated last; the search row follows every review write and a product put back on sale."""

from __future__ import annotations

import random
import string

from schema.execution.operations import contract_operation
from tests.catalog.helpers import add_product
from tests.catalog.review_helpers import another_sale, completed_sale, review
from tests.conftest import city_admin
from tests.orders.complaint_helpers import op

# RatedProducts without `priceRange`, which comes with product variants (another branch).
RATED = """query RatedProducts($query: String, $minRating: Float, $shop: ID, $first: Int = 20,
    $after: String) {
  products(query: $query, filter: { minRating: $minRating, shop: $shop }, sort: RATING,
      first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id slug name inStock price { amount formatted } rating { average count }
      shop { id name rating { average count } } } }
  }
}"""
UPDATE = """mutation($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) { product { id status } errors { code } } }"""
HIDE = op("HideReview")


def _word() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=9))


async def _rated(gql, variables) -> list[tuple[str, float | None, int]]:
    result = await gql(RATED, variables)
    assert "errors" not in result, result
    found = result["data"]["products"]
    rows = [(e["node"]["name"], e["node"]["rating"]["average"], e["node"]["rating"]["count"])
            for e in found["edges"]]  # fmt: skip
    assert found["totalCount"] >= len(rows)
    return rows


async def test_min_rating_and_the_rating_sort_follow_every_write(gql):
    word = _word()
    first = await completed_sale(gql)
    seller, shop = first.sale.seller["token"], first.sale.shop["id"]
    names = {key: f"Tenun {word} {key}" for key in "ABCDE"}
    products = {
        key: await add_product(gql, seller, shop, name=name, price=10000)
        for key, name in names.items()
    }
    stars = {"A": [5, 4], "B": [5], "C": [5, 5, 4, 4], "D": [3]}
    reviews = {}
    for key, given in stars.items():
        for n in given:
            sale = await another_sale(gql, first.sale, products[key])
            written = await review(gql, sale.buyer, sale.line_id, n)
            assert written["errors"] == [], written
            reviews.setdefault(key, []).append((written["review"]["id"], sale.buyer))
    scoped = {"shop": shop}
    everything = await _rated(gql, scoped)
    rows = [r for r in everything if word in r[0]]
    assert rows == [
        (names["B"], 5.0, 1), (names["C"], 4.5, 4), (names["A"], 4.5, 2), (names["D"], 3.0, 1),
        (names["E"], None, 0),
    ]  # fmt: skip
    # the first sale's product (unrated) is last too
    assert [r[2] for r in everything[-2:]] == [0, 0]
    for minimum, keys in ((4.5, "BCA"), (4.41, "BCA"), (4.51, "B"), (0, "BCAD"), (5, "B")):
        found = await _rated(gql, {"shop": shop, "minRating": minimum})
        assert [r[0] for r in found] == [names[k] for k in keys], minimum
    by_words = await _rated(gql, {"query": f"tenun {word}", "minRating": 3})
    assert [r[0] for r in by_words] == [names[k] for k in "BCAD"]
    # pages follow the order
    page = await gql(RATED, {"shop": shop, "minRating": 1, "first": 2})
    data = page["data"]["products"]
    assert [e["node"]["name"] for e in data["edges"]] == [names["B"], names["C"]]
    assert data["pageInfo"]["hasNextPage"] is True
    rest = await gql(RATED, {"shop": shop, "minRating": 1, "after": data["pageInfo"]["endCursor"]})
    assert [e["node"]["name"] for e in rest["data"]["products"]["edges"]] == [
        names["A"], names["D"]
    ]  # fmt: skip
    assert rest["data"]["products"]["totalCount"] == 4

    # an edit and a hiding move the product in the order at once
    ((d_review, d_author),) = reviews["D"]
    edited = await gql(op("UpdateReview"), {"id": d_review, "input": {"rating": 5}},
                       token=d_author)  # fmt: skip
    assert edited["data"]["updateReview"]["errors"] == []
    admin = (await city_admin(gql))["token"]
    hidden = await gql(HIDE, {"id": reviews["B"][0][0], "reason": "Palsu"}, token=admin)
    assert hidden["data"]["hideReview"]["errors"] == []
    rows = [r for r in await _rated(gql, scoped) if word in r[0]]
    assert rows == [
        (names["D"], 5.0, 1), (names["C"], 4.5, 4), (names["A"], 4.5, 2),
        (names["E"], None, 0), (names["B"], None, 0),  # unrated: newest first
    ]  # fmt: skip

    # the search row made again when the product goes back on sale keeps its rating
    for status in ("ARCHIVED", "ACTIVE"):
        moved = await gql(UPDATE, {"id": products["C"]["id"], "input": {"status": status}},
                          token=seller)  # fmt: skip
        assert moved["data"]["updateProduct"]["errors"] == []
    found = await _rated(gql, {"shop": shop, "minRating": 4.5})
    assert [r[0] for r in found] == [names["D"], names["C"], names["A"]]

    # SearchProducts takes the same filter and sort
    search = await gql(
        contract_operation("SearchProducts"),
        {"filter": {"shop": shop, "minRating": 4.5}, "sort": "RATING"},
    )
    assert "errors" not in search, search
    listed = search["data"]["products"]
    assert [e["node"]["name"] for e in listed["edges"]] == [names["D"], names["C"], names["A"]]
    assert listed["totalCount"] == 3
    assert sum(v["count"] for f in listed["facets"] if f["field"] == "halal"
               for v in f["values"]) == 3  # fmt: skip


async def test_a_minimum_rating_outside_0_to_5_is_bad_input(gql):
    for minimum in (-0.5, 5.5):
        result = await gql(RATED, {"minRating": minimum})
        assert result["data"] is None
        assert [e["extensions"]["code"] for e in result["errors"]] == ["BAD_USER_INPUT"]
