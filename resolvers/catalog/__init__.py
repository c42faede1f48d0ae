"""Products, categories, product images and reviews."""

from resolvers.catalog import images, reviews, variants
from resolvers.catalog.cards import CardNeeds, CardRow, card_rows
from resolvers.catalog.categories import (
    CategoryTree,
    active_product_counts,
    categories_by_ids,
    category_tree,
)
from resolvers.catalog.product import (
    ProductFields,
    create_product,
    product_by_slug,
    products_by_ids,
    shop_products_page,
    update_product,
)
from resolvers.catalog.variant_rules import Option
from resolvers.catalog.variant_stock import (
    create_missing_default_variants,
    give_back,
    take_stock,
)

__all__ = [
    "CardNeeds",
    "CardRow",
    "CategoryTree",
    "Option",
    "ProductFields",
    "active_product_counts",
    "card_rows",
    "categories_by_ids",
    "category_tree",
    "create_missing_default_variants",
    "create_product",
    "give_back",
    "images",
    "product_by_slug",
    "products_by_ids",
    "reviews",
    "shop_products_page",
    "take_stock",
    "update_product",
    "variants",
]
