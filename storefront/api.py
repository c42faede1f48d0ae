"""The storefront's only way to the data: GraphQL over HTTP to the SatuPintu API."""

from __future__ import annotations

from typing import Any

import httpx

from storefront.operations import documents


class ApiUnavailable(Exception):
    """The API could not be reached, or failed in a way the visitor cannot fix."""


class QueryFailed(Exception):
    """The API refused the operation with a top-level error (`code` is its extensions.code)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Api:
    """One pooled HTTP client for every request the storefront serves."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.endpoint = self.base_url + "/graphql"
        self.documents = documents()
        self._http = httpx.AsyncClient(
            timeout=timeout,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            headers={"Accept": "application/graphql-response+json, application/json"},
        )

    async def run(
        self, operation: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """The `data` of one named operation from `operations/`, sent as the signed-in `token`."""
        body = {"query": self.documents[operation], "operationName": operation}
        if variables:
            body["variables"] = variables
        headers = {"Authorization": f"Bearer {token}"} if token else None
        try:
            response = await self._http.post(self.endpoint, json=body, headers=headers)
            answer = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise ApiUnavailable(str(error)) from error
        if not isinstance(answer, dict):
            raise ApiUnavailable(f"HTTP {response.status_code}")
        for error in answer.get("errors") or []:
            code = (error.get("extensions") or {}).get("code", "")
            if code in ("UNAUTHENTICATED", "NOT_FOUND", "BAD_USER_INPUT", "FORBIDDEN"):
                raise QueryFailed(code, error.get("message", ""))
            raise ApiUnavailable(f"{code}: {error.get('message')}")
        if answer.get("data") is None:
            raise ApiUnavailable(f"HTTP {response.status_code} without data")
        return answer["data"]

    def absolute(self, url: str) -> str:
        """A media URL the API gave relative to itself (local storage), made absolute."""
        return self.base_url + url if url.startswith("/") else url

    async def close(self) -> None:
        await self._http.aclose()
