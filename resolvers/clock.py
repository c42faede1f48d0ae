"""Time in the city's zone: business days and monthly periods are Asia/Jakarta."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(JAKARTA).date()
