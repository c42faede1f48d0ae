"""The registry of trusted documents, known by the SHA-256 of their text: every operation of
the contract (schema/contract/) and of the storefront (storefront/operations/), and the
documents of the persisted-documents manifests added with `satupintu trusted-documents add`
(kept in MANIFEST_DIR under the var directory, read at start).

The contract's and the storefront's text is what a client sends: the operation with the
fragments it uses, printed by graphql-core's `print_ast` (what
`schema.execution.operations.contract_documents()` and `storefront.operations.documents()` give,
and what `satupintu trusted-documents` exports). A manifest's text is whatever its client
hashed: GraphQL Code Generator's client preset writes `persisted-documents.json` as
`{"sha256:<hex>": "<its normalised document>"}`, and its client sends the key as `documentId`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from graphql import GraphQLError, GraphQLSchema, OperationDefinitionNode, parse, validate

from schema.execution import contract_documents
from storefront.operations import documents as storefront_documents

MANIFEST_DIR = "trusted-documents"  # under SATUPINTU_VAR_DIR
# `sha256:<hex>` as the client preset (and the GraphQL-over-HTTP persisted documents
# appendix) writes a document id; a bare hex hash as `satupintu trusted-documents` exports.
DOCUMENT_ID = re.compile(r"(?:sha256:)?([0-9a-f]{64})")
MANIFEST_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class ManifestError(ValueError):
    """A manifest that cannot be trusted as it is; the message names the file and why."""


def document_hash(text: str) -> str:
    """The hex SHA-256 of a document's UTF-8 text, as Apollo's persisted queries name it."""
    return hashlib.sha256(text.encode()).hexdigest()


def read_manifest(path: Path) -> dict[str, str]:
    """A persisted-documents manifest's documents by hex hash: a JSON object of `sha256:<hex>`
    or `<hex>` -> document, each key the SHA-256 of its document's UTF-8 text."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ManifestError(f"{path}: {error.strerror or error}") from None
    except ValueError:
        raise ManifestError(f"{path} is not UTF-8 JSON") from None
    if not isinstance(manifest, dict):
        raise ManifestError(f"{path} must be a JSON object of document id -> document")
    documents = {}
    for key, text in manifest.items():
        found = DOCUMENT_ID.fullmatch(key.lower())
        if found is None:
            raise ManifestError(
                f"{path}: {key[:80]!r} is not sha256:<hex> (the client preset's "
                "persistedDocuments.hashAlgorithm must be 'sha256')"
            )
        if not isinstance(text, str) or document_hash(text) != found[1]:
            raise ManifestError(f"{path}: {key[:80]} is not the SHA-256 of its document")
        documents[found[1]] = text
    return documents


def checked_manifest(path: Path, schema: GraphQLSchema) -> dict[str, str]:
    """`read_manifest`, each document also parsing and validating against `schema` as one
    operation with its fragments (what a client may send by id alone)."""
    documents = read_manifest(path)
    for digest, text in documents.items():
        try:
            document = parse(text)
        except GraphQLError as error:
            raise ManifestError(
                f"{path}: sha256:{digest} does not parse: {error.message}"
            ) from None

        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        problems = [error.message for error in validate(schema, document)]
        if len(operations) != 1:
            problems.append("a persisted document holds exactly one operation")
        if problems:
            raise ManifestError(f"{path}: sha256:{digest} is not valid: {problems[0]}")
    return documents


def added_manifests(directory: Path) -> list[Path]:
    """The manifests `satupintu trusted-documents add` keeps, by name."""
    return sorted(directory.glob("*.json")) if directory.is_dir() else []


class TrustedDocuments:
    """Documents known in advance, by hash."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._by_hash = {document_hash(text): text for text in texts}

    @classmethod
    def registered(cls, manifests: Path | None = None) -> TrustedDocuments:
        """The contract's operations and the storefront's, and the documents of every
        manifest in the directory `manifests` (ManifestError for one that is not as added)."""
        paths = added_manifests(manifests) if manifests else []
        added = [text for path in paths for text in read_manifest(path).values()]
        return cls([*contract_documents().values(), *storefront_documents().values(), *added])

    def get(self, sha256_hash: str) -> str | None:
        return self._by_hash.get(sha256_hash)

    def __contains__(self, sha256_hash: object) -> bool:
        return sha256_hash in self._by_hash

    def manifest(self) -> Mapping[str, str]:
        """Hash -> document, sorted by hash (the persisted-documents JSON clients ship)."""
        return dict(sorted(self._by_hash.items()))

    def manifest_json(self) -> str:
        return json.dumps(self.manifest(), ensure_ascii=False, indent=2) + "\n"


def add_manifest(source: Path, directory: Path, name: str, schema: GraphQLSchema) -> int:
    """Keep `source`'s documents as the manifest `name` in `directory` (replacing an earlier
    one of that name, as a client's next build replaces its documents); how many it holds."""
    if not MANIFEST_NAME.fullmatch(name):
        raise ManifestError(f"--name {name[:80]!r}: letters, digits, '.', '_' or '-' only")
    documents = checked_manifest(source, schema)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{name}.json"
    written = target.with_suffix(".json.tmp")
    manifest = {f"sha256:{digest}": text for digest, text in sorted(documents.items())}
    written.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    written.replace(target)  # at once: a server starting meanwhile reads the old or the new
    return len(documents)
