"""Category.productCount reads a tally that triggers keep in the changing transaction: exact
after sellers' changes through the API and after any other writer (bulk loads, updates and
deletes straight to the table), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import uuid

from models.catalog.product import Category, Product, ProductStatus
from schema.platform.ids import decode_id
from tests.catalog.helpers import add_product
from tests.conftest import sign_up
from tests.shops.helpers import open_shop

COUNTS = "query { categories { slug productCount children { slug productCount } } }"
UPDATE = """mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) {
  errors { code } } }"""


async def answered(gql) -> dict[str, int]:
    found = (await gql(COUNTS))["data"]["categories"]
    counts = {c["slug"]: c["productCount"] for c in found}
    counts |= {k["slug"]: k["productCount"] for c in found for k in c["children"]}
    return counts


async def counted() -> dict[str, int]:
    """Every category's active products, its subcategories' included, counted here."""
    categories = await Category.all()
    children: dict[int | None, list[int]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category.id)
    own = dict.fromkeys((c.id for c in categories), 0)
    for category_id in await Product.filter(status=ProductStatus.ACTIVE).values_list(
        "category_id", flat=True
    ):
        own[category_id] += 1

    def total(category_id: int) -> int:
        return own[category_id] + sum(total(k) for k in children.get(category_id, []))

    return {c.slug: total(c.id) for c in categories}


async def test_counts_stay_exact_whoever_changes_the_products(gql):
    owner = await sign_up(gql, "Penjual Kategori")
    shop = await open_shop(gql, owner["token"])
    assert await answered(gql) == await counted()

    made = [await add_product(gql, owner["token"], shop["id"]) for _ in range(3)]
    draft = await add_product(gql, owner["token"], shop["id"], status="DRAFT")
    for product, change in (
        (made[0], {"status": "ARCHIVED"}),
        (made[1], {"categorySlug": "kerupuk"}),
        (draft, {"status": "ACTIVE", "categorySlug": "batik"}),
    ):
        result = await gql(UPDATE, {"id": product["id"], "input": change}, token=owner["token"])
        assert result["data"]["updateProduct"]["errors"] == [], result
    assert await answered(gql) == await counted()

    # Other writers: a bulk load, updates and deletes straight to the table.
    shop_id = decode_id(shop["id"], "Shop")
    categories = await Category.all().values_list("id", flat=True)
    await Product.bulk_create(
        [
            Product(
                shop_id=shop_id,
                slug=f"massal-{uuid.uuid4().hex}",
                name="Produk Massal",
                price=1000,
                category_id=categories[n % len(categories)],
                status=ProductStatus.ACTIVE if n % 3 else ProductStatus.DRAFT,
            )
            for n in range(40)
        ]
    )
    assert await answered(gql) == await counted()
    mass = Product.filter(shop_id=shop_id, name="Produk Massal")
    await mass.filter(status=ProductStatus.DRAFT).update(status=ProductStatus.ACTIVE)
    await mass.filter(id__in=await mass.limit(5).values_list("id", flat=True)).update(
        category_id=categories[0]
    )
    await Product.filter(shop_id=shop_id, name="Produk Massal").limit(10).delete()
    await Product.filter(id__in=await mass.limit(10).values_list("id", flat=True)).delete()
    assert await answered(gql) == await counted()
