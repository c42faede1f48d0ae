"""Tortoise ORM models, one module per domain, and their migrations."""

APP_LABEL = "satupintu"

MODULES = [
    "models.platform.accounts",
    "models.platform.clock",
    "models.platform.regions",
    "models.platform.requests",
    "models.platform.notifications",
    "models.shops",
    "models.catalog.product",
    "models.catalog.variants",
    "models.cooperatives.cooperative",
    "models.loans",
    "models.bills",
    "models.orders.order",
    "models.orders.payments",
    "models.orders.complaint",
    "models.orders.shipping",
    "models.orders.voucher",
    "models.catalog.reviews",
    "models.cooperatives.books",
    "models.cooperatives.opening",
    "models.city",
    "models.shu",
    "models.payouts.payouts",
    "models.payouts.books",
    "models.cooperatives.deposits",
]
