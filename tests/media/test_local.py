"""LocalStorage: atomic writes, idempotent deletes, no way out of the media root."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from media.local import LocalStorage
from media.storage import StorageError


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


async def test_save_overwrite_and_delete(tmp_path: Path):
    storage = LocalStorage(tmp_path / "media")
    await storage.check()
    key = "img/ab/abcdef/160.webp"
    await storage.save(key, b"first", "image/webp")
    assert (tmp_path / "media" / key).read_bytes() == b"first"
    await storage.save(key, b"second", "image/webp")
    assert (tmp_path / "media" / key).read_bytes() == b"second"
    assert leftovers(tmp_path) == []
    assert storage.url(key) == f"/media/{key}"
    await storage.delete(key)
    assert not (tmp_path / "media" / key).exists()
    await storage.delete(key)  # a missing key is not an error


async def test_concurrent_writers_leave_one_whole_file(tmp_path: Path):
    storage = LocalStorage(tmp_path)
    bodies = [bytes([n]) * 200_000 for n in range(8)]
    await asyncio.gather(*(storage.save("same.bin", body, "x/y") for body in bodies))
    assert (tmp_path / "same.bin").read_bytes() in bodies
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("key", ["../outside.txt", "img/../../outside.txt", "/etc/passwd"])
async def test_keys_cannot_leave_the_root(tmp_path: Path, key: str):
    storage = LocalStorage(tmp_path / "media")
    with pytest.raises(StorageError):
        await storage.save(key, b"x", "text/plain")
    with pytest.raises(StorageError):
        await storage.delete(key)
    assert not (tmp_path / "outside.txt").exists()


async def test_failed_write_raises_storage_error_and_leaves_nothing(tmp_path: Path):
    storage = LocalStorage(tmp_path)
    (tmp_path / "img").write_bytes(b"a file where a folder should be")
    with pytest.raises(StorageError):
        await storage.save("img/ab/1.webp", b"x", "image/webp")
    assert leftovers(tmp_path) == []


async def test_check_fails_when_the_root_cannot_be_made(tmp_path: Path):
    (tmp_path / "blocker").write_bytes(b"")
    with pytest.raises(StorageError):
        await LocalStorage(tmp_path / "blocker" / "media").check()
