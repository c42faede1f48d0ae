"""Products, their options and variants, categories (with the per-category tallies) and
images."""

from models.catalog.product import Category, CategoryCount, Image, Product, ProductStatus
from models.catalog.variants import ProductOption, ProductVariant

__all__ = [
    "Category",
    "CategoryCount",
    "Image",
    "Product",
    "ProductOption",
    "ProductStatus",
    "ProductVariant",
]
