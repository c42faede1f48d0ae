"""Every cooperative test ends with the books as they must always be."""

import pytest

from tests.cooperatives.helpers import assert_books_balance


@pytest.fixture(autouse=True)
async def books_balance(live):
    yield
    await assert_books_balance()
