"""Lean resolvers and direct reads answer exactly as Strawberry's general path does."""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission
from strawberry.types import Info

from schema.execution.compiled import CompiledExecutionContext
from schema.execution.lean import lean_resolvers


class Deny(BasePermission):
    message = "Tidak boleh."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return False


@strawberry.enum
class Colour(Enum):
    MERAH = "MERAH"
    HIJAU = "HIJAU"


@strawberry.type
class Thing:
    name: str
    note: str | None
    required: str
    count: int
    colour: Colour

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def fails(self) -> str | None:
        raise ValueError("rusak")

    @strawberry.field
    def nothing(self) -> str:
        return self.note  # None breaks the non-null promise

    @strawberry.field
    def asks(self, info: Info) -> str:
        return f"{info.field_name}:{info.context['who']}"

    @strawberry.field
    def repeated(self, times: int = 2) -> str:
        return self.name * times

    @strawberry.field(permission_classes=[Deny])
    def secret(self) -> str | None:
        return "rahasia"

    @strawberry.field
    @staticmethod
    def rooted(root: Thing) -> str:
        return f"root {root.name}"

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return f"later {self.name}"

    @strawberry.field
    def pending(self) -> str:
        async def wait() -> str:
            return f"pending {self.name}"

        return wait()  # a sync resolver may hand back an awaitable


GOOD = Thing(name="batik", note="halus", required="ada", count=3, colour=Colour.MERAH)
BAD = Thing(name="kain", note=None, required=None, count="banyak", colour="UNGU")  # type: ignore[arg-type]


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing | None]:
        return [GOOD, BAD]

    @strawberry.field
    def thing(self) -> Thing | None:
        return BAD


def stock() -> strawberry.Schema:
    return strawberry.Schema(query=Query)


def lean(extensions: list | None = None) -> strawberry.Schema:
    schema = strawberry.Schema(
        query=Query, extensions=extensions or [], execution_context_class=CompiledExecutionContext
    )
    lean_resolvers(schema)
    return schema


FIELDS = "name note count colour shout fails asks repeated secret rooted later pending"
QUERIES = [
    f"{{ things {{ {FIELDS} }} }}",
    "{ things { name aliased: shout again: shout } }",
    "{ thing { name required } }",  # null for a non-null stored field
    "{ thing { name nothing } }",  # null from a lean resolver
    "{ thing { count } }",  # a value Int refuses
    "{ thing { colour } }",  # a value the enum refuses
    "{ things { __typename name ... on Thing { shout } } }",
]


def answer(schema: strawberry.Schema, query: str) -> tuple[Any, list]:
    result = asyncio.run(schema.execute(query, context_value={"who": "tester"}))
    errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or [])
    return result.data, errors


@pytest.mark.parametrize("query", QUERIES)
def test_answers_and_errors_match_strawberrys_general_path(query):
    assert answer(lean(), query) == answer(stock(), query)


def test_the_good_thing_is_answered_through_the_lean_path():
    data, errors = answer(lean(), f"{{ things {{ {FIELDS} }} }}")
    first = data["things"][0]
    assert first["shout"] == "BATIK"
    assert first["asks"] == "asks:tester"  # the resolver got a Strawberry Info
    assert first["rooted"] == "root batik"
    assert (first["later"], first["pending"]) == ("later batik", "pending batik")
    assert first["colour"] == "MERAH"
    assert ("Tidak boleh.", ("things", 0, "secret")) in errors


def test_only_resolvers_without_arguments_extensions_or_async_are_replaced():
    schema = lean()
    fields = schema._schema.type_map["Thing"].fields
    general = stock()._schema.type_map["Thing"].fields
    replaced = {name for name, f in fields.items() if f.resolve is not general[name].resolve}
    assert {"shout", "fails", "nothing", "asks", "rooted", "pending"} <= replaced
    assert not {"repeated", "secret", "later"} & {
        name for name, f in fields.items() if f.resolve.__qualname__.startswith("_lean")
    }


def test_field_middleware_still_sees_every_field():
    seen: list[str] = []

    class Watch(SchemaExtension):
        def resolve(self, _next, root, info, *args, **kwargs):
            seen.append(info.field_name)
            return _next(root, info, *args, **kwargs)

    data, _ = answer(lean([Watch]), "{ things { name count colour } }")
    assert data["things"][0] == {"name": "batik", "count": 3, "colour": "MERAH"}
    assert data["things"][1] is None  # "banyak" is no Int
    assert seen.count("name") == seen.count("count") == 2
