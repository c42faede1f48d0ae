"""Products, their options and variants, categories (with the per-category tallies), images
and reviews."""

from models.catalog.product import Category, CategoryCount, Image, Product, ProductStatus
from models.catalog.reviews import (
    ProductRating,
    Review,
    ReviewReport,
    ReviewReportReason,
    ShopRating,
    Tally,
)
from models.catalog.variants import ProductOption, ProductVariant

__all__ = [
    "Category",
    "CategoryCount",
    "Image",
    "Product",
    "ProductOption",
    "ProductRating",
    "ProductStatus",
    "ProductVariant",
    "Review",
    "ReviewReport",
    "ReviewReportReason",
    "ShopRating",
    "Tally",
]
