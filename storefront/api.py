"""The storefront's only way to the data: GraphQL over HTTP to the SatuPintu API."""

from __future__ import annotations

from typing import Any

import httpx


class ApiUnavailable(Exception):
    """The API could not be reached or did not answer with data."""


class Api:
    def __init__(self, base_url: str, *, timeout: float = 5.0) -> None:
        self.endpoint = base_url.rstrip("/") + "/graphql"
        self._http = httpx.AsyncClient(timeout=timeout)

    async def query(self, document: str, variables: dict[str, Any] | None = None) -> dict:
        try:
            response = await self._http.post(
                self.endpoint, json={"query": document, "variables": variables or {}}
            )
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise ApiUnavailable(str(error)) from error
        if body.get("data") is None:
            raise ApiUnavailable(str(body.get("errors")))
        return body["data"]

    async def close(self) -> None:
        await self._http.aclose()
