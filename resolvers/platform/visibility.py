"""Who may see what: one rule per Node type, used by every path that reaches its objects.

A rule is a filter of the type's rows for a viewer (a Tortoise `Q`), so that one rule
serves a lookup by id (`node(id:)`), a connection or a nested list (`visible()` on any
query) and a subscription's events alike, in SQL and in one statement. Each domain
registers its types where it defines their behaviour, one line each:

    visibility.register("SavingsAccount", SavingsAccount, member_or_pengurus)

`tests/platform/test_visibility.py` walks every type of the schema that implements Node and fails
for one that has no rule here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from tortoise.expressions import Q, Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from models.platform import User

M = TypeVar("M", bound=Model)
# The rows a viewer may see, or None when they may see none at all.
Where = Callable[[User | None], Q | None]


@dataclass(frozen=True)
class Rule:
    model: type[Model]
    where: Where
    related: tuple[str, ...] = ()  # what the type's fields read from related rows

    @property
    def public(self) -> bool:
        return self.where is everyone


RULES: dict[str, Rule] = {}


def everyone(_viewer: User | None) -> Q:
    return Q()


def register(type_name: str, model: type[Model], where: Where, *related: str) -> None:
    RULES[type_name] = Rule(model, where, tuple(related))


def visible(type_name: str, viewer: User | None, query: QuerySet[M]) -> QuerySet[M]:
    """`query` narrowed to the rows of `type_name` that `viewer` may see."""
    where = RULES[type_name].where(viewer)
    return query.filter(id__in=[]) if where is None else query.filter(where)


def visible_ids(type_name: str, viewer: User | None) -> Subquery | None:
    """The ids of the rows of `type_name` that `viewer` may see, as a subquery for another
    type's rule (`Q(complaint_id__in=...)`); None when they may see none."""
    rule = RULES[type_name]
    where = rule.where(viewer)
    return None if where is None else Subquery(rule.model.filter(where).values("id"))


async def by_ids(type_name: str, viewer: User | None, ids: Sequence[int]) -> list[Model | None]:
    """The rows with these ids, in order; None for each one missing or not for `viewer`."""
    rule = RULES[type_name]
    wanted = [i for i in ids if i]
    if not wanted:
        return [None] * len(ids)
    query = visible(type_name, viewer, rule.model.filter(id__in=wanted))
    if rule.related:
        query = query.select_related(*rule.related)
    found = {row.pk: row for row in await query}
    return [found.get(i) for i in ids]
