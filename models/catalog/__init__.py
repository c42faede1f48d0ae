"""Products, their categories (with the per-category tallies), images and reviews."""

from models.catalog.product import Category, CategoryCount, Image, Product, ProductStatus
from models.catalog.reviews import (
    ProductRating,
    Review,
    ReviewReport,
    ReviewReportReason,
    ShopRating,
    Tally,
)

__all__ = [
    "Category",
    "CategoryCount",
    "Image",
    "Product",
    "ProductRating",
    "ProductStatus",
    "Review",
    "ReviewReport",
    "ReviewReportReason",
    "ShopRating",
    "Tally",
]
