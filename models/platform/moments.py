"""The datetime field of every model: Tortoise's, read faster from SQLite."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from tortoise import fields

_clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def use_clock(clock: Callable[[], datetime]) -> None:
    """Stamp `auto_now` and `auto_now_add` columns with `clock` (resolvers' one clock, which
    a test clock moves) instead of the wall clock."""
    global _clock
    _clock = clock


class Moment(fields.DatetimeField):
    """Tortoise's `DatetimeField`, the same column and the same migrations, but text read
    with `datetime.fromisoformat` (in C) before Tortoise's own parser (in Python).

    SQLite keeps datetimes as `isoformat(" ")` text, and parsing it was most of the time
    Tortoise spent building a product, shop or photo from its row there. PostgreSQL hands
    datetimes over as such, so nothing changes for it.
    """

    def to_python_value(self, value: Any) -> datetime | None:
        if isinstance(value, str):
            with suppress(ValueError):  # another ISO 8601 spelling: Tortoise's parser reads it
                value = datetime.fromisoformat(value)
        return super().to_python_value(value)

    def to_db_value(self, value: Any, instance: Any) -> Any:
        """Every instant in UTC, written or compared: SQLite compares these columns as text, so
        a bound in another zone (a Jakarta month's first moment) would be compared by its
        digits, not its instant. A stamped column takes the clock's time."""
        if hasattr(instance, "_saved_in_db") and (
            self.auto_now
            or (self.auto_now_add and getattr(instance, self.model_field_name) is None)
        ):
            value = _clock()
            setattr(instance, self.model_field_name, value)
            return value.astimezone(UTC)
        value = super().to_db_value(value, instance)
        if isinstance(value, datetime) and value.utcoffset():
            return value.astimezone(UTC)
        return value

    # Migrations see Tortoise's own field: the column is the same.
    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        _, args, kwargs = super().deconstruct()
        return "tortoise.fields.data.DatetimeField", args, kwargs

    def describe(self, serializable: bool) -> dict[str, Any]:
        return {**super().describe(serializable), "field_type": "DatetimeField"}
