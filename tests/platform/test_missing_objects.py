"""Missing and hidden objects answer alike wherever they are asked for: `product(slug:)` and
`node(id:)` give null and no error, for an object that is not there, one the viewer may not
see, and an id that names nothing at all."""

import base64

from schema.platform.ids import encode_id
from tests.catalog.helpers import add_product
from tests.conftest import sign_up
from tests.orders.helpers import seller_with_products

BY_SLUG = "query($slug: String!) { product(slug: $slug) { id } }"
BY_ID = "query($id: ID!) { node(id: $id) { id } }"


async def answer(gql, query, variables=None, token=None):
    """The data of an answer that must have no errors."""
    result = await gql(query, variables, token=token)
    assert "errors" not in result, result
    return result["data"]


async def test_product_by_slug_and_node_by_id_agree(gql):
    owner, shop, (active,) = await seller_with_products(gql)
    draft = await add_product(gql, owner["token"], shop["id"], name="Draf", status="DRAFT")
    stranger = await sign_up(gql)
    # the right side: each sees what it may
    for token in (None, stranger["token"], owner["token"]):
        found = await answer(gql, BY_SLUG, {"slug": active["slug"]}, token=token)
        assert found == {"product": {"id": active["id"]}}
        by_id = await answer(gql, BY_ID, {"id": active["id"]}, token=token)
        assert by_id == {"node": {"id": active["id"]}}
    assert (await answer(gql, BY_ID, {"id": draft["id"]}, token=owner["token"]))["node"]
    # the wrong side: hidden, missing and malformed all give null, no error
    for token in (None, stranger["token"]):
        hidden = await answer(gql, BY_SLUG, {"slug": draft["slug"]}, token=token)
        assert hidden == {"product": None}
        assert await answer(gql, BY_ID, {"id": draft["id"]}, token=token) == {"node": None}
    assert await answer(gql, BY_SLUG, {"slug": "tidak-ada-produk-ini"}) == {"product": None}
    nothing = [
        encode_id("Product", 10**12),
        "bukan-id",
        base64.b64encode(b"TipeTakDikenal:1").decode(),
        base64.b64encode(b"Money:1").decode(),
    ]
    for value in nothing:
        assert await answer(gql, BY_ID, {"id": value}) == {"node": None}, value
        literal = f'{{ node(id: "{value}") {{ id }} }}'
        assert await answer(gql, literal) == {"node": None}, value
