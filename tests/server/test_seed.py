"""`satupintu seed --demo` fills the marketplace, spread over every kelurahan, once."""

import pytest
from rich.console import Console
from tortoise import connections

from demo.catalog import OWNER_DOMAIN
from demo.seed import seed
from media.local import LocalStorage
from models.catalog.product import Category, Product, ProductStatus
from models.city import Socialization
from models.shops import Shop
from resolvers.payouts import audit as platform_audit
from resolvers.payouts import backfill_platform_books
from tests.conftest import contract

# It seeds the demo into the shared database, so it runs last (tests/conftest.py).
pytestmark = pytest.mark.seeds_demo

ROLLOUT = contract("KelurahanRollout")


async def test_demo_catalogue_covers_every_kelurahan_and_category(live, client):
    console = Console(quiet=True)
    storage = LocalStorage(live.settings.media_root)
    await seed(console, storage, demo=True, shops=104, products=800)
    assert await backfill_platform_books() == 0  # the demo's sales are in the platform's books
    assert await platform_audit.audit() == []
    shops = Shop.filter(owner__email__endswith=OWNER_DOMAIN)
    assert await shops.count() == 104
    assert len(set(await shops.values_list("kelurahan_id", flat=True))) == 104
    products = Product.filter(shop__owner__email__endswith=OWNER_DOMAIN)
    assert await products.count() == 800
    leaf_categories = await Category.filter(parent_id__not_isnull=True).count()
    used = set(await products.values_list("category_id", flat=True))
    assert len(used) == leaf_categories
    prices = await products.values_list("price", flat=True)
    assert all(isinstance(p, int) and p >= 1000 for p in prices)
    assert await products.filter(status=ProductStatus.ACTIVE).count() > 600

    pictured = await products.first().prefetch_related("images")
    picture = pictured.images[0]
    assert picture.alt == pictured.name
    served = await client.get(storage.url(picture.renditions[0]["key"]))
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/webp"

    assert await planner_has_statistics("image")

    sessions = Socialization.filter(recorded_by__email="dinas@satupintu.id")
    reached = set(await sessions.values_list("kelurahan_id", flat=True))
    assert len(reached) == 35
    assert await sessions.count() == 35 + 9  # every fourth kelurahan reached had a second one
    rollout = (await client.post("/graphql", json={"query": ROLLOUT})).json()["data"]
    dates = {r["kelurahan"]["code"]: r["socializedAt"] for r in rollout["kelurahanRollout"]}
    assert {code for code, held in dates.items() if held} >= reached
    assert None in dates.values()

    await seed(console, storage, demo=True, shops=104, products=800)
    assert await Shop.filter(owner__email__endswith=OWNER_DOMAIN).count() == 104
    assert await sessions.count() == 35 + 9


async def planner_has_statistics(table: str) -> bool:
    """Whether ANALYZE has run on `table` (the seeder bulk-loads, so it must run it)."""
    client = connections.get("default")
    if client.capabilities.dialect == "postgres":
        sql = "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = $1"
    else:
        sql = "SELECT COUNT(*) > 0 FROM sqlite_stat1 WHERE tbl = ?"
    _, rows = await client.execute_query(sql, [table])
    return bool(rows[0][0])
