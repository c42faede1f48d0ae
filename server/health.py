"""`/healthz`: the database, the media store and (when configured) Redis."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis
from starlette.requests import Request
from starlette.responses import JSONResponse
from tortoise import connections

from media.storage import Storage


class Health:
    def __init__(self, storage: Storage, redis: Redis | None) -> None:
        self.storage = storage
        self.redis = redis

    async def endpoint(self, _request: Request) -> JSONResponse:
        checks: dict[str, Any] = {
            "database": await _check(self._database),
            "media": await _check(self.storage.check),
        }
        if self.redis is not None:
            checks["redis"] = await _check(self.redis.ping)
        healthy = all(value == "ok" for value in checks.values())
        return JSONResponse(
            {"status": "ok" if healthy else "unavailable", "checks": checks},
            status_code=200 if healthy else 503,
        )

    async def _database(self) -> None:
        await connections.get("default").execute_query("SELECT 1")


async def _check(probe) -> str:
    try:
        await probe()
    except Exception as exc:  # a health check reports every failure, whatever it is
        return f"error: {type(exc).__name__}"
    return "ok"
