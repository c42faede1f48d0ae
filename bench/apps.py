"""App factories for `uvicorn --factory`, one per variant under test."""

import os

from starlette.applications import Starlette

from bench import handwritten as handwritten_app
from bench import naive as naive_app
from server.app import create_app
from server.settings import Settings


def api() -> Starlette:
    return create_app(Settings.from_env(), caches=True)


def uncached() -> Starlette:
    return create_app(Settings.from_env(), caches=False)


def handwritten() -> Starlette:
    return handwritten_app.create_app(Settings.from_env())


def naive() -> Starlette:
    return naive_app.create_app(Settings.from_env())


def storefront() -> Starlette:
    """The storefront calling the API at `API_URL` (the benchmark's API server)."""
    from storefront.app import create_app as create_storefront

    return create_storefront(os.environ["API_URL"], Settings.from_env().secret_key)
