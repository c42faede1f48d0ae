"""Rows looked up by text a client sent."""

from typing import Any, TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)


async def row_where(model: type[M], field: str, value: str, *related: str) -> M | None:
    """The row whose column `field` holds `value` (with `related` rows joined), or None.

    A value longer than the column matches no row, and is not asked for: Tortoise checks
    filter values as it checks stored ones, and would refuse it."""
    if not fits(model, field, value):
        return None
    where: dict[str, Any] = {field: value}
    return await model.get_or_none(**where).select_related(*related)


def fits(model: type[Model], field: str, value: str) -> bool:
    """Whether `value` is no longer than the column `field` (always, for unbounded text)."""
    limit = getattr(model._meta.fields_map[field], "max_length", None)
    return limit is None or len(value) <= limit


MAX_ROW_ID = 2**63 - 1  # BIGINT


def row_id(text: str) -> int:
    """The row id written in `text` (ASCII digits within BIGINT), else 0, which no row has."""
    if text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ROW_ID)):
        number = int(text)
        if number <= MAX_ROW_ID:
            return number
    return 0
