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
