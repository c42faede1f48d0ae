"""GraphQL types of products, categories, images and reviews."""

from schema.catalog import images, product, reviews
from schema.catalog.images import Image, ImagePayload, ImageRendition
from schema.catalog.product import Product, prefetch_cards
from schema.catalog.reviews import Rating, Review

__all__ = [
    "Image",
    "ImagePayload",
    "ImageRendition",
    "Product",
    "Rating",
    "Review",
    "images",
    "prefetch_cards",
    "product",
    "reviews",
]
