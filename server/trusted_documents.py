"""The registry of trusted documents: every operation of the contract (schema/contract/) and of
the storefront (storefront/operations/), known by the SHA-256 of its text.

The text hashed is the text a client sends: the operation with the fragments it uses, printed
by graphql-core's `print_ast` (what `schema.execution.operations.contract_documents()` and
`storefront.operations.documents()` give, and what `satupintu trusted-documents` exports).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

from schema.execution import contract_documents
from storefront.operations import documents as storefront_documents


def document_hash(text: str) -> str:
    """The hex SHA-256 of a document's UTF-8 text, as Apollo's persisted queries name it."""
    return hashlib.sha256(text.encode()).hexdigest()


class TrustedDocuments:
    """Documents known in advance, by hash."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._by_hash = {document_hash(text): text for text in texts}

    @classmethod
    def registered(cls) -> TrustedDocuments:
        """The contract's operations and the storefront's."""
        return cls([*contract_documents().values(), *storefront_documents().values()])

    def get(self, sha256_hash: str) -> str | None:
        return self._by_hash.get(sha256_hash)

    def __contains__(self, sha256_hash: object) -> bool:
        return sha256_hash in self._by_hash

    def manifest(self) -> Mapping[str, str]:
        """Hash -> document, sorted by hash (the persisted-documents JSON clients ship)."""
        return dict(sorted(self._by_hash.items()))

    def manifest_json(self) -> str:
        return json.dumps(self.manifest(), ensure_ascii=False, indent=2) + "\n"
