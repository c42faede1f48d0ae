"""Tortoise ORM models, one module per domain, and their migrations."""

APP_LABEL = "satupintu"

MODULES = [
    "models.accounts",
    "models.regions",
    "models.shops",
    "models.catalog",
    "models.cooperatives",
    "models.orders",
    "models.payments",
    "models.books",
    "models.city",
    "models.shu",
]
