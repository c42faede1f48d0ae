"""Kota Tangerang's kecamatan and kelurahan."""

from __future__ import annotations

from collections.abc import Awaitable

import strawberry

from models import regions as m
from resolvers import regions


@strawberry.type
class Kecamatan:
    code: str
    name: str

    @strawberry.field
    async def kelurahan(self) -> list[Kelurahan]:
        directory = await regions.directory()
        return [Kelurahan.of(k) for k in directory.kelurahan_of(self.code)]

    @classmethod
    def of(cls, kecamatan: m.Kecamatan) -> Kecamatan:
        return cls(code=kecamatan.code, name=kecamatan.name)


@strawberry.type
class Kelurahan:
    code: str
    name: str
    kecamatan_code: strawberry.Private[str]

    @strawberry.field
    def kecamatan(self) -> Kecamatan:
        directory = regions.loaded()
        if directory is None:
            return self._kecamatan_later()
        return Kecamatan.of(directory.kecamatan_by_code[self.kecamatan_code])

    async def _kecamatan_later(self) -> Kecamatan:
        found = await regions.kecamatan(self.kecamatan_code)
        assert found is not None  # the foreign key guarantees it
        return Kecamatan.of(found)

    @classmethod
    def of(cls, kelurahan: m.Kelurahan) -> Kelurahan:
        return cls(code=kelurahan.code, name=kelurahan.name, kecamatan_code=kelurahan.kecamatan_id)

    @classmethod
    def referenced(cls, code: str) -> Kelurahan | Awaitable[Kelurahan]:
        """The kelurahan a row's foreign key names, which therefore exists: at once when the
        directory has been read, else once it is."""
        directory = regions.loaded()
        if directory is None:
            return cls._referenced_later(code)
        return cls.of(directory.kelurahan_by_code[code])

    @classmethod
    async def _referenced_later(cls, code: str) -> Kelurahan:
        found = await regions.kelurahan(code)
        assert found is not None  # the foreign key guarantees it
        return cls.of(found)


@strawberry.type
class Query:
    @strawberry.field(description="Kota Tangerang's 13 kecamatan, each with its kelurahan.")
    async def kecamatan(self) -> list[Kecamatan]:
        return [Kecamatan.of(k) for k in (await regions.directory()).kecamatan]
