"""Kota Tangerang's kecamatan and kelurahan."""

from __future__ import annotations

import strawberry

from models.platform import regions as m
from resolvers.platform import regions
from schema.platform.eventually import then


@strawberry.type(description="A district (kecamatan) of Kota Tangerang.")
class Kecamatan:
    code: str = strawberry.field(description="Its Kemendagri code, e.g. 36.71.01.")
    name: str = strawberry.field(description="Its name, e.g. Tangerang.")

    @strawberry.field(description="Its kelurahan.")
    async def kelurahan(self) -> list[Kelurahan]:
        directory = await regions.directory()
        return [Kelurahan.of(k) for k in directory.kelurahan_of(self.code)]

    @classmethod
    def of(cls, kecamatan: m.Kecamatan) -> Kecamatan:
        return cls(code=kecamatan.code, name=kecamatan.name)


@strawberry.type(description="A village-level urban area (kelurahan) of Kota Tangerang.")
class Kelurahan:
    code: str = strawberry.field(description="Its Kemendagri code, e.g. 36.71.01.1001.")
    name: str = strawberry.field(description="Its name.")
    kecamatan_code: strawberry.Private[str]

    @strawberry.field(description="The kecamatan it is in.")
    def kecamatan(self) -> Kecamatan:
        # The foreign key guarantees it exists.
        return then(
            regions.directory_now(),
            lambda directory: Kecamatan.of(directory.kecamatan_by_code[self.kecamatan_code]),
        )

    @classmethod
    def of(cls, kelurahan: m.Kelurahan) -> Kelurahan:
        return cls(code=kelurahan.code, name=kelurahan.name, kecamatan_code=kelurahan.kecamatan_id)

    @classmethod
    def referenced(cls, code: str) -> Kelurahan:
        """The kelurahan a row's foreign key names, which therefore exists: at once when the
        directory has been read, else once it is."""
        return then(
            regions.directory_now(),
            lambda directory: cls.of(directory.kelurahan_by_code[code]),
        )


@strawberry.type
class Query:
    @strawberry.field(description="Kota Tangerang's 13 kecamatan, each with its kelurahan.")
    async def kecamatan(self) -> list[Kecamatan]:
        return [Kecamatan.of(k) for k in (await regions.directory()).kecamatan]
