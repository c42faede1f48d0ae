"""Products, their categories (with the per-category tallies) and images."""

from models.catalog.product import Category, CategoryCount, Image, Product, ProductStatus

__all__ = ["Category", "CategoryCount", "Image", "Product", "ProductStatus"]
