"""Time in the city's zone: business days and monthly periods are Asia/Jakarta."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(JAKARTA).date()


def month_start(period: str) -> datetime:
    """The first instant of a "YYYY-MM" month in Jakarta."""
    return datetime.combine(date.fromisoformat(period + "-01"), time(), JAKARTA)


def last_months(count: int, until: date) -> list[str]:
    """The `count` months up to and including `until`'s, oldest first, as "YYYY-MM"."""
    year, month = until.year, until.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


# The Jakarta month of a timestamp column, per dialect: Jakarta is UTC+7 all year round.
MONTH_SQL = {
    "sqlite": "strftime('%Y-%m', {column}, '+7 hours')",
    "postgres": "to_char({column} AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM')",
}
