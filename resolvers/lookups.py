"""Rows looked up by text a client sent."""

from tortoise.models import Model


def fits(model: type[Model], field: str, value: str) -> bool:
    """Whether `value` fits column `field` of `model`. A longer value matches no row, and
    Tortoise refuses to compare with it: it checks filter values as it checks stored ones."""
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
