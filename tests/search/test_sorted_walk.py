"""A common word's first page in an order an index holds (price, best selling), read down
the index rather than every match sorted (SQLite; PostgreSQL's planner chooses alone): the
same page as the sort, and the order an independent sort of the products gives."""

import random

import pytest

from models.catalog.product import Product
from resolvers.search import products as product_search
from resolvers.search.engines import engine
from tests.search.catalogue import build, names, search

SORTS = ["PRICE_ASC", "PRICE_DESC", "BEST_SELLING", "RATING"]


def _word() -> str:
    """A made-up word of consonant-vowel pairs (stems to itself), in no other test's names."""
    pick = random.Random()
    return "".join(pick.choice("bdgjklmpst") + pick.choice("aiou") for _ in range(5))


@pytest.mark.parametrize("sort", SORTS)
async def test_walked_pages_are_the_sorted_pages(gql, monkeypatch, sort):
    word = _word()
    prices = [7000, 3000, 3000, 12000, 5000, 9000, 3000, 15000, 5000, 11000, 4000, 8000]
    await build(
        gql,
        [{"key": "s", "name": "Toko Walk", "kelurahan": "36.71.03.1001", "verified": True}],
        [{"shop": "s", "name": f"{word.title()} Nomor {i}", "category": "kue-roti",
          "price": price, "stock": 3} for i, price in enumerate(prices)],
    )  # fmt: skip
    ids = {p.name: p.id for p in await Product.filter(name__startswith=word.title())}
    sold = {name: (7 * i) % 5 for i, name in enumerate(sorted(ids))}
    for name, units in sold.items():
        await Product.filter(id=ids[name]).update(units_sold=units)
    price = {f"{word.title()} Nomor {i}": p for i, p in enumerate(prices)}
    expected = sorted(
        ids,
        key={
            "PRICE_ASC": lambda n: (price[n], ids[n]),
            "PRICE_DESC": lambda n: (-price[n], -ids[n]),
            "BEST_SELLING": lambda n: (-sold[n], -ids[n]),
            "RATING": lambda n: -ids[n],  # none rated
        }[sort],
    )

    async def first_page(size: int) -> dict:
        return await search(gql, query=word, sort=sort, first=size)

    monkeypatch.setattr(product_search, "BEST_FIRST_FROM", 10**9)
    sorted_pages = {size: await first_page(size) for size in (1, 5, 12, 20)}
    assert names(sorted_pages[20]) == expected
    monkeypatch.setattr(product_search, "BEST_FIRST_FROM", 0)
    walked = []
    read = product_search._walked_rows

    async def counted(*args):
        found = await read(*args)
        walked.append(found is not None)
        return found

    monkeypatch.setattr(product_search, "_walked_rows", counted)
    # From the index's first few rows (mostly other tests' products: too few matches, so
    # the sort answers) to all of them.
    for walk_rows in (2, 6, 10**6):
        monkeypatch.setattr(product_search, "WALK_ROWS", walk_rows)
        for size, page in sorted_pages.items():
            assert await first_page(size) == page, (walk_rows, size)
    assert len(walked) == 12
    # With every row of the index read, SQLite answers each page from the walk.
    assert all(walked[-4:]) == (engine().dialect == "sqlite")
