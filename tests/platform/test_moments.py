"""`Moment` reads what Tortoise's DatetimeField reads, the same instants, only faster."""

from __future__ import annotations

import pytest
from tortoise import fields

from models.platform.moments import Moment

SPELLINGS = [
    "2026-12-02 01:33:30.316421+00:00",  # as Tortoise writes to SQLite
    "2026-12-02 08:33:30+07:00",
    "2026-12-02T01:33:30Z",
    "2026-12-02 01:33:30",  # naive: taken as the default timezone
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_moment_reads_the_instant_tortoise_reads(text):
    assert Moment().to_python_value(text) == fields.DatetimeField().to_python_value(text)


def test_moment_leaves_other_values_to_tortoise():
    assert Moment(null=True).to_python_value(None) is None
    with pytest.raises(ValueError, match="kemarin"):
        Moment().to_python_value("kemarin")
