"""App factories for `uvicorn --factory`, one per variant under test."""

from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings


def cached() -> Starlette:
    return create_app(Settings.from_env(), caches=True)


def uncached() -> Starlette:
    return create_app(Settings.from_env(), caches=False)
