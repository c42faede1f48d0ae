"""Media on the local disk, written atomically (temp file, then rename)."""

import contextlib
import os
import uuid
from pathlib import Path

import aiofiles
import aiofiles.os

from media.storage import StorageError


class LocalStorage:
    def __init__(self, root: Path, base_url: str = "/media") -> None:
        self.root = root
        self.base_url = base_url.rstrip("/")

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise StorageError(f"key outside the media root: {key!r}")
        return path

    async def save(self, key: str, data: bytes, content_type: str) -> None:
        target = self.path(key)
        temp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        try:
            await aiofiles.os.makedirs(target.parent, exist_ok=True)
            async with aiofiles.open(temp, "wb") as handle:
                await handle.write(data)
                await handle.flush()
            await aiofiles.os.replace(temp, target)
        except OSError as exc:  # a full disk among them: leave no partial file behind
            with contextlib.suppress(OSError):
                await aiofiles.os.remove(temp)
            raise StorageError(str(exc)) from exc

    async def delete(self, key: str) -> None:
        try:
            await aiofiles.os.remove(self.path(key))
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StorageError(str(exc)) from exc

    def url(self, key: str) -> str:
        return f"{self.base_url}/{key}"

    async def check(self) -> None:
        try:
            await aiofiles.os.makedirs(self.root, exist_ok=True)
        except OSError as exc:
            raise StorageError(str(exc)) from exc
        if not os.access(self.root, os.W_OK):
            raise StorageError(f"media root is not writable: {self.root}")
