"""`rebuild` (after bulk inserts) gives every active product that lacks one its search row,
with its words, and no row to a product that is not active, on SQLite and PostgreSQL."""

from tortoise import connections

from models.catalog.product import Product, ProductStatus
from resolvers.search.index import rebuild
from schema.platform.ids import decode_id
from tests.search.catalogue import build
from tests.search.test_facet_tally import unique_word


async def search_row(product_id: int) -> str | None:
    """The product's search row's name terms (the words the index wrote), None without a row."""
    _, rows = await connections.get("default").execute_query(
        f"SELECT name_terms FROM search_product WHERE product_id = {int(product_id)}"
    )
    return rows[0][0] if rows else None


async def test_rebuild_adds_the_missing_rows_of_active_products_only(gql):
    word = unique_word("hilang")
    catalogue = await build(
        gql,
        [{"key": "a", "name": "Toko Bangun Ulang", "kelurahan": "36.71.01.1001"}],
        [{"shop": "a", "name": f"Dodol {word}", "category": "kue-roti"},
         {"shop": "a", "name": f"Wajik {word}", "category": "kue-roti"}],
    )  # fmt: skip
    lost, draft = (decode_id(p["id"], "Product") for p in catalogue.products.values())
    indexed = await search_row(lost)
    assert indexed is not None
    assert word in indexed.split()
    await Product.filter(id=draft).update(status=ProductStatus.DRAFT)  # its row goes
    client = connections.get("default")
    await client.execute_script(f"DELETE FROM search_product WHERE product_id = {lost}")
    assert await search_row(lost) is None

    await rebuild()

    assert await search_row(lost) == indexed
    assert await search_row(draft) is None
