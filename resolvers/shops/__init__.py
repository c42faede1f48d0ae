"""UMKM shops: opening, changing and verifying them, and their NIB."""

from resolvers.shops.shop import (
    ShopFields,
    ShopFilter,
    active_product_counts,
    create_shop,
    owned_shop,
    shop_by_slug,
    shops_by_ids,
    shops_of,
    shops_page,
    update_shop,
    verification_history,
    verify_shop,
)

__all__ = [
    "ShopFields",
    "ShopFilter",
    "active_product_counts",
    "create_shop",
    "owned_shop",
    "shop_by_slug",
    "shops_by_ids",
    "shops_of",
    "shops_page",
    "update_shop",
    "verification_history",
    "verify_shop",
]
