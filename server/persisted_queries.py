"""Automatic persisted queries as Apollo clients send them, and trusted-only mode.

A client sends `extensions.persistedQuery = {"version": 1, "sha256Hash": H}` and no `query`.
When H names a trusted document (`server.trusted_documents`) or one stored earlier, that
document runs; otherwise the answer is 404 `PersistedQueryNotFound` and the client sends the
request again with `query` as well, whose hash is checked and which is then stored: in this
process (LRU, MEMORY_SIZE documents) and, with REDIS_URL, in Redis for every worker
(REDIS_TTL seconds). A document is stored only once it has parsed and validated.

A persisted document's client (GraphQL Code Generator's client preset, urql) sends
`documentId: "sha256:<hex>"` instead, as the GraphQL-over-HTTP persisted documents appendix
has it: the id names a trusted document (or one stored earlier); it stores nothing.

With TRUSTED_DOCUMENTS=only, a caller without an API key may run trusted documents only (by
hash, by id or by their full text) and stores nothing.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from resolvers.platform import TopLevelCode
from server.graphql_params import GraphQLParams, RequestError
from server.trusted_documents import TrustedDocuments, document_hash

logger = logging.getLogger("satupintu.persisted_queries")

MEMORY_SIZE = 2000
REDIS_TTL = 24 * 60 * 60
SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")
DOCUMENT_ID = re.compile(r"sha256:([0-9a-f]{64})")  # the GraphQL-over-HTTP appendix's form
NOT_FOUND = "PersistedQueryNotFound"  # the very words Apollo clients look for
TRUSTED_ONLY = (
    "Server ini hanya menjalankan dokumen tepercaya (operasi terdaftar); "
    "kirim salah satunya, atau sertakan kunci API (X-Api-Key)."
)


class DocumentStore(Protocol):
    async def get(self, sha256_hash: str) -> str | None: ...

    async def put(self, sha256_hash: str, text: str) -> None: ...


class MemoryDocuments:
    """The most recently used documents of this process."""

    def __init__(self, size: int = MEMORY_SIZE) -> None:
        self.size = size
        self._texts: OrderedDict[str, str] = OrderedDict()

    async def get(self, sha256_hash: str) -> str | None:
        text = self._texts.get(sha256_hash)
        if text is not None:
            self._texts.move_to_end(sha256_hash)
        return text

    async def put(self, sha256_hash: str, text: str) -> None:
        self._texts[sha256_hash] = text
        self._texts.move_to_end(sha256_hash)
        while len(self._texts) > self.size:
            self._texts.popitem(last=False)


class SharedDocuments:
    """Redis behind this process's LRU, so that a document stored by one worker serves all.
    While Redis does not answer, each worker keeps to its own documents."""

    def __init__(self, redis: Redis, prefix: str, memory: MemoryDocuments) -> None:
        self.redis = redis
        self.prefix = f"{prefix}apq:"
        self.memory = memory

    async def get(self, sha256_hash: str) -> str | None:
        text = await self.memory.get(sha256_hash)
        if text is not None:
            return text
        try:
            stored = await self.redis.get(self.prefix + sha256_hash)
        except (RedisError, OSError) as error:
            logger.warning("Redis unavailable for persisted queries: %r", error)
            return None
        if stored is None:
            return None
        text = stored.decode() if isinstance(stored, bytes) else str(stored)
        await self.memory.put(sha256_hash, text)
        return text

    async def put(self, sha256_hash: str, text: str) -> None:
        await self.memory.put(sha256_hash, text)
        try:
            await self.redis.set(self.prefix + sha256_hash, text, ex=REDIS_TTL)
        except (RedisError, OSError) as error:
            logger.warning("Redis unavailable for persisted queries: %r", error)


@dataclass(frozen=True)
class Document:
    """The text a request runs, and the hash to store it under once it validates (if new)."""

    text: str
    to_store: str | None = None


class PersistedQueries:
    def __init__(
        self, store: DocumentStore, trusted: TrustedDocuments, *, trusted_only: bool
    ) -> None:
        self.store = store
        self.trusted = trusted
        self.trusted_only = trusted_only

    async def document(self, params: GraphQLParams, *, has_api_key: bool) -> Document:
        """The document `params` asks to run; RequestError when it may not or is unknown."""
        free_form = has_api_key or not self.trusted_only
        if params.document_id is not None:
            return await self._by_document_id(params, free_form=free_form)
        sha256_hash = persisted_hash(params.extensions)
        if sha256_hash is None:
            if params.query is None:
                raise RequestError("Parameter `query` wajib diisi.")
            if not free_form and document_hash(params.query) not in self.trusted:
                raise _trusted_only()
            return Document(params.query)
        if params.query is None:
            text = self.trusted.get(sha256_hash)
            if text is None and free_form:
                text = await self.store.get(sha256_hash)
            if text is None:
                raise RequestError(NOT_FOUND, 404, TopLevelCode.PERSISTED_QUERY_NOT_FOUND)
            return Document(text)
        if document_hash(params.query) != sha256_hash:
            raise RequestError(
                "sha256Hash pada extensions.persistedQuery tidak cocok dengan `query`.",
                400,
                TopLevelCode.PERSISTED_QUERY_HASH_MISMATCH,
            )
        if sha256_hash in self.trusted:
            return Document(params.query)
        if not free_form:
            raise _trusted_only()
        return Document(params.query, to_store=sha256_hash)

    async def _by_document_id(self, params: GraphQLParams, *, free_form: bool) -> Document:
        """A persisted document's `documentId` (`sha256:<hex>`) names a trusted document or,
        for free-form callers, one stored by APQ; it never registers a document."""
        found = DOCUMENT_ID.fullmatch((params.document_id or "").lower())
        if found is None or "persistedQuery" in (params.extensions or {}):
            raise RequestError(
                "documentId harus sha256:<64 digit heksadesimal>, tanpa extensions.persistedQuery."
            )
        sha256_hash = found[1]
        if params.query is not None and document_hash(params.query) != sha256_hash:
            raise RequestError(
                "documentId tidak cocok dengan `query`.",
                400,
                TopLevelCode.PERSISTED_QUERY_HASH_MISMATCH,
            )
        text = self.trusted.get(sha256_hash)
        if text is None and free_form:
            text = await self.store.get(sha256_hash)
        if text is None:
            raise RequestError(NOT_FOUND, 404, TopLevelCode.PERSISTED_QUERY_NOT_FOUND)
        return Document(text)

    async def store_document(self, document: Document) -> None:
        if document.to_store is not None:
            await self.store.put(document.to_store, document.text)


def persisted_hash(extensions: dict[str, Any] | None) -> str | None:
    """The lower-case `sha256Hash` of `extensions.persistedQuery`; None when there is none."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    version = persisted.get("version") if isinstance(persisted, dict) else None
    if not isinstance(persisted, dict) or isinstance(version, bool) or version != 1:
        raise RequestError("extensions.persistedQuery harus {version: 1, sha256Hash}.")
    sha256_hash = persisted.get("sha256Hash")
    if not isinstance(sha256_hash, str) or not SHA256_HEX.fullmatch(sha256_hash):
        raise RequestError("sha256Hash harus 64 digit heksadesimal (SHA-256 dari `query`).")
    return sha256_hash.lower()


def _trusted_only() -> RequestError:
    return RequestError(TRUSTED_ONLY, 400, TopLevelCode.TRUSTED_DOCUMENT_REQUIRED)
