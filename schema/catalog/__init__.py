"""GraphQL types of products, categories and images."""

from schema.catalog import images, product
from schema.catalog.images import Image, ImageRendition
from schema.catalog.product import Product, prefetch_cards

__all__ = ["Image", "ImageRendition", "Product", "images", "prefetch_cards", "product"]
