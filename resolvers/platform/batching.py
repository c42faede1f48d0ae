"""Helpers for DataLoader batch functions: answers in the order of the keys asked for."""

from typing import TypeVar

from tortoise.functions import Count
from tortoise.models import Model
from tortoise.queryset import QuerySet

M = TypeVar("M", bound=Model)


async def counts_by(query: QuerySet, key: str, keys: list[int]) -> list[int]:
    """How many rows of `query` have each of `keys` in column `key` (0 for none)."""
    rows = (
        await query.filter(**{f"{key}__in": keys})
        .group_by(key)
        .annotate(n=Count("id"))
        .values(key, "n")
    )
    counts = {r[key]: r["n"] for r in rows}
    return [counts.get(k, 0) for k in keys]


async def rows_by_ids(model: type[M], ids: list[int]) -> list[M | None]:
    """The rows with these ids, in the order asked for; None where there is none."""
    found = {row.pk: row for row in await model.filter(id__in=ids)}
    return [found.get(i) for i in ids]


async def rows_grouped_by(query: QuerySet, key: str, keys: list[int]) -> list[list]:
    """The rows of `query` whose column `key` holds each of `keys`, in the query's order."""
    grouped: dict[int, list] = {k: [] for k in keys}
    for row in await query.filter(**{f"{key}__in": keys}):
        grouped[getattr(row, key)].append(row)
    return [grouped[k] for k in keys]


async def row_per(query: QuerySet, key: str, keys: list[int]) -> list:
    """For each of `keys`, the row of `query` whose column `key` holds it, or None."""
    found = {getattr(row, key): row for row in await query.filter(**{f"{key}__in": keys})}
    return [found.get(k) for k in keys]
