"""The interface every media backend implements; resolvers see only this."""

from typing import Protocol


class StorageError(Exception):
    """The store could not be reached or refused the operation."""


class Storage(Protocol):
    async def save(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` under `key`, atomically: a reader sees all of it or nothing."""

    async def delete(self, key: str) -> None:
        """Remove `key`; removing a missing key is not an error."""

    def url(self, key: str) -> str:
        """The URL a browser fetches the object from."""

    async def check(self) -> None:
        """Raise StorageError unless the store is usable now."""
