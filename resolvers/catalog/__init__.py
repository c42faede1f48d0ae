"""Products, categories, product images and reviews."""

from resolvers.catalog import images, reviews
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

__all__ = [
    "CategoryTree",
    "ProductFields",
    "active_product_counts",
    "categories_by_ids",
    "category_tree",
    "create_product",
    "images",
    "product_by_slug",
    "products_by_ids",
    "reviews",
    "shop_products_page",
    "update_product",
]
