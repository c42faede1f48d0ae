"""Small search catalogues built through the API, each fenced off by its own cooperative."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from strawberry.relay import GlobalID

from models.shops import Shop
from schema.platform.ids import encode_id
from tests.catalog.helpers import add_product
from tests.conftest import GraphQL, sign_up
from tests.shops.helpers import open_shop

SEARCH = """
query Search($query: String, $filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String) {
  products(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    suggestion
    pageInfo { hasNextPage endCursor }
    facets { field values { value label count } }
    edges { cursor node { id name slug inStock isHalal price { amount } shop { name isVerified } category { slug } } }
  }
}"""


@dataclass
class Catalogue:
    token: str
    cooperative: str  # global id: the filter that keeps a test to its own products
    shops: dict[str, dict[str, Any]] = field(default_factory=dict)
    products: dict[str, dict[str, Any]] = field(default_factory=dict)

    def scoped(self, **extra: Any) -> dict[str, Any]:
        return {"cooperative": self.cooperative, **extra}


async def build(
    gql: GraphQL, shops: list[dict[str, Any]], products: list[dict[str, Any]]
) -> Catalogue:
    """Shops ({key, name, kelurahan, verified}) and ACTIVE products ({shop, name, category, ...})."""
    owner = await sign_up(gql, "Pemilik Katalog")
    cooperative_id = random.randint(10**9, 2 * 10**9)
    catalogue = Catalogue(owner["token"], encode_id("Cooperative", cooperative_id))
    for spec in shops:
        catalogue.shops[spec["key"]] = await open_shop(
            gql, owner["token"], name=spec["name"], kelurahanCode=spec["kelurahan"]
        )
    ids = [int(_pk(s["id"])) for s in catalogue.shops.values()]
    await Shop.filter(id__in=ids).update(cooperative_id=cooperative_id)
    verified = [int(_pk(catalogue.shops[s["key"]]["id"])) for s in shops if s.get("verified")]
    await Shop.filter(id__in=verified).update(is_verified=True)
    for spec in products:
        await add(gql, catalogue, spec)
    return catalogue


async def add(gql: GraphQL, catalogue: Catalogue, spec: dict[str, Any]) -> dict[str, Any]:
    product = await add_product(
        gql,
        catalogue.token,
        catalogue.shops[spec["shop"]]["id"],
        name=spec["name"],
        categorySlug=spec["category"],
        price=spec.get("price", 10000),
        stock=spec.get("stock", 10),
        isHalal=spec.get("halal", False),
        description=spec.get("description", ""),
    )
    catalogue.products[spec["name"]] = product
    return product


def _pk(global_id: str) -> str:
    return GlobalID.from_id(global_id).node_id


async def search(gql: GraphQL, **variables: Any) -> dict[str, Any]:
    result = await gql(SEARCH, variables)
    assert "errors" not in result, result
    return result["data"]["products"]


def names(found: dict[str, Any]) -> list[str]:
    return [e["node"]["name"] for e in found["edges"]]
