"""Kecamatan and kelurahan. Reference data that only migrations change, so it is read once."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass

from models.platform import Kecamatan, Kelurahan


@dataclass(frozen=True)
class Directory:
    kecamatan: list[Kecamatan]
    kelurahan_by_code: dict[str, Kelurahan]
    kecamatan_by_code: dict[str, Kecamatan]

    def kelurahan_of(self, kecamatan_code: str) -> list[Kelurahan]:
        return [k for k in self.kelurahan_by_code.values() if k.kecamatan_id == kecamatan_code]


_directory: Directory | None = None


async def directory() -> Directory:
    global _directory
    if _directory is None:
        kecamatan = await Kecamatan.all().order_by("code")
        kelurahan = await Kelurahan.all().order_by("code")
        _directory = Directory(
            kecamatan=kecamatan,
            kelurahan_by_code={k.code: k for k in kelurahan},
            kecamatan_by_code={k.code: k for k in kecamatan},
        )
    return _directory


def directory_now() -> Directory | Awaitable[Directory]:
    """The directory at once when it has been read already, else `directory()` to await."""
    return _directory if _directory is not None else directory()


async def kelurahan(code: str) -> Kelurahan | None:
    return (await directory()).kelurahan_by_code.get(code)
