"""A Jakarta month holds exactly the instants of its first to its last minute, on both
databases: in a filter whose bounds are Jakarta datetimes, and in the per-month SQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tortoise import connections
from tortoise.expressions import RawSQL
from tortoise.functions import Count

from models.platform.accounts import User
from resolvers.platform.clock import JAKARTA, MONTH_SQL, month_start

# Each instant, and the Jakarta month it belongs to.
INSTANTS = {
    datetime(2025, 12, 31, 23, 59, tzinfo=JAKARTA): "2025-12",  # 16:59 UTC
    datetime(2026, 1, 1, 0, 0, tzinfo=JAKARTA): "2026-01",  # 17:00 UTC the day before
    datetime(2026, 1, 1, 6, 59, tzinfo=JAKARTA): "2026-01",  # still 2025-12-31 in UTC
    datetime(2026, 1, 31, 23, 59, tzinfo=JAKARTA): "2026-01",
    datetime(2026, 2, 1, 0, 0, tzinfo=JAKARTA): "2026-02",
    datetime(2028, 2, 29, 23, 59, tzinfo=JAKARTA): "2028-02",  # a leap day's last minute
    datetime(2028, 3, 1, 0, 0, tzinfo=JAKARTA): "2028-03",
}


async def users_at(instants) -> list[int]:
    tag = uuid.uuid4().hex[:8]
    ids = []
    for n, moment in enumerate(instants):
        # Stored as an instant, whichever zone it was given in.
        given = moment if n % 2 else moment.astimezone(UTC)
        user = await User.create(
            name="Jam", email=f"w{tag}{n}@contoh.id", password_hash="-", created_at=given
        )
        ids.append(user.id)
    return ids


def month_of(period: str) -> tuple[datetime, datetime]:
    start = month_start(period)
    following = (start + timedelta(days=32)).strftime("%Y-%m")
    return start, month_start(following)


def test_month_start_is_midnight_in_jakarta():
    assert month_start("2026-01") == datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    assert month_of("2028-02")[1] == datetime(2028, 2, 29, 17, 0, tzinfo=UTC)


async def test_a_jakarta_window_holds_its_first_and_last_minute(gql):  # gql: ORM ready
    ids = await users_at(INSTANTS)
    by_id = dict(zip(ids, INSTANTS.values(), strict=True))
    for period in sorted(set(INSTANTS.values())):
        start, end = month_of(period)
        for bounds in ((start, end), (start.astimezone(UTC), end.astimezone(UTC))):
            found = await User.filter(
                id__in=ids, created_at__gte=bounds[0], created_at__lt=bounds[1]
            ).values_list("id", flat=True)
            assert sorted(found) == [i for i in ids if by_id[i] == period], period


async def test_the_month_sql_names_the_jakarta_month(gql):
    ids = await users_at(INSTANTS)
    dialect = connections.get("default").capabilities.dialect
    rows = (
        await User.filter(id__in=ids)
        .annotate(month=RawSQL(MONTH_SQL[dialect].format(column='"user"."created_at"')))
        .group_by("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    expected: dict[str, int] = {}
    for period in INSTANTS.values():
        expected[period] = expected.get(period, 0) + 1
    assert dict(rows) == expected
