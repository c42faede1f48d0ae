"""GraphQL types of products, categories, images and reviews."""

from schema.catalog import images, product, reviews, variants
from schema.catalog.cards import card_plan
from schema.catalog.images import Image, ImagePayload, ImageRendition
from schema.catalog.product import Product, prefetch_cards
from schema.catalog.reviews import Rating, Review
from schema.catalog.variants import ProductVariant

__all__ = [
    "Image",
    "ImagePayload",
    "ImageRendition",
    "Product",
    "ProductVariant",
    "Rating",
    "Review",
    "card_plan",
    "images",
    "prefetch_cards",
    "product",
    "reviews",
    "variants",
]
