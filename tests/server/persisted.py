"""Helpers for persisted-query and caching tests: requests as Apollo clients send them."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import httpx

GQL_RESPONSE = "application/graphql-response+json"
CREATE_KEY = "mutation($name: String!) { createApiKey(name: $name) { key } }"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(text: str) -> dict[str, Any]:
    """The `extensions` of a persisted query for `text`."""
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}


def fresh_query() -> str:
    """A document no server has seen yet (so its hash is unknown), with a variable."""
    return f"query Fresh{uuid.uuid4().hex}($name: String!) {{ __type(name: $name) {{ name }} }}"


async def post(
    http: httpx.AsyncClient,
    text: str,
    variables: dict[str, Any] | None = None,
    *,
    send_query: bool,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A persisted query by POST: the hash alone, or with the full document."""
    body: dict[str, Any] = {"extensions": persisted(text), "variables": variables or {}}
    if send_query:
        body["query"] = text
    return await http.post("/graphql", json=body, headers=headers or {})


async def get(
    http: httpx.AsyncClient,
    text: str,
    variables: dict[str, Any] | None = None,
    *,
    send_query: bool = False,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A persisted query by GET, as Apollo's `useGETForHashedQueries` sends it."""
    params = {"extensions": json.dumps(persisted(text)), "variables": json.dumps(variables or {})}
    if send_query:
        params["query"] = text
    return await http.get("/graphql", params=params, headers=headers or {})


def error_code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]
