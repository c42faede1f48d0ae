"""The kinds of search a buyer makes, each drawn from the catalogue's own words.

`await kinds(per_kind)` reads the active products' names and prices and returns, per kind of
search, `per_kind` searches of that kind (the same for the same catalogue): one common word,
two words of a product's name, a typo of a common word, browsing (all, by category), a price
range sorted by price (about a quarter of the products), a common word in stock, in a
kecamatan, halal, sorted by price, newest and best selling, a rare word (one of the
names' rarest), and a word that matches nothing. The heavy kinds (`HEAVY`) filter or sort
thousands of matches.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

from bench.search_mix import MixSearch
from resolvers.catalog import category_tree
from resolvers.platform import regions
from resolvers.search.engines import Statement, engine
from resolvers.search.products import ProductFilter, Sort
from resolvers.search.text import words

COMMON = 20  # how many of the commonest words the common-word kinds draw from
RARE = 20  # how many of the rarest words the rare-word kind draws from
HEAVY = (
    "browse by category", "price range by price", "word in stock", "word in kecamatan",
    "word halal", "word by price", "word newest", "word best selling",
)  # fmt: skip


async def _catalogue() -> tuple[list[str], list[int]]:
    """The active products' names, and their prices in order."""
    st = Statement(engine())
    rows = await st.rows("SELECT name, price FROM product WHERE status = 'ACTIVE' ORDER BY id")
    return [row[0] for row in rows], sorted(int(row[1]) for row in rows)


def _typo(word: str, known: set[str], pick: random.Random) -> str:
    """`word` with one inner letter dropped, when that is not a word itself."""
    for _ in range(10):
        at = pick.randrange(1, len(word) - 1)
        found = word[:at] + word[at + 1 :]
        if found not in known:
            return found
    return word + "x"


async def kinds(per_kind: int, seed: int = 30) -> dict[str, list[MixSearch]]:
    """Kind -> `per_kind` searches of it."""
    pick = random.Random(seed)
    names, prices = await _catalogue()
    split = [words(n) for n in names]
    documents = Counter(w for ws in split for w in set(ws))
    common = [w for w, _ in documents.most_common() if len(w) >= 4][:COMMON]
    rare = [w for w, _ in reversed(documents.most_common()) if len(w) >= 4][:RARE]
    pairs = [" ".join(ws[i : i + 2]) for ws in split for i in range(len(ws) - 1)] or common
    slugs = sorted(c.slug for c in (await category_tree()).by_id.values() if c.parent_id is None)
    kecamatan = sorted((await regions.directory()).kecamatan_by_code)

    def word() -> str:
        return pick.choice(common)

    def priced() -> ProductFilter:
        low = pick.randrange(0, 75)
        cut = [prices[len(prices) * q // 100] for q in (low, low + 25)]
        return ProductFilter(price_min=cut[0], price_max=cut[1])

    makers: dict[str, Callable[[], MixSearch]] = {
        "one common word": lambda: MixSearch("", word()),
        "two words": lambda: MixSearch("", pick.choice(pairs)),
        "typo": lambda: MixSearch("", _typo(word(), set(documents), pick)),
        "browse": lambda: MixSearch(""),
        "browse by category": lambda: MixSearch(
            "", filter=ProductFilter(categories=[pick.choice(slugs)])
        ),
        "price range by price": lambda: MixSearch("", filter=priced(), sort=Sort.PRICE_ASC),
        "word in stock": lambda: MixSearch("", word(), ProductFilter(in_stock=True)),
        "word in kecamatan": lambda: MixSearch(
            "", word(), ProductFilter(kecamatan=[pick.choice(kecamatan)])
        ),
        "word halal": lambda: MixSearch("", word(), ProductFilter(halal=True)),
        "word by price": lambda: MixSearch("", word(), sort=Sort.PRICE_ASC),
        "word newest": lambda: MixSearch("", word(), sort=Sort.NEWEST),
        "word best selling": lambda: MixSearch("", word(), sort=Sort.BEST_SELLING),
        "rare word": lambda: MixSearch("", pick.choice(rare)),
        "no match": lambda: MixSearch("", f"zqx{pick.randrange(10**6)}"),
    }
    found = {}
    for kind, make in makers.items():
        made = [make() for _ in range(per_kind)]
        found[kind] = [MixSearch(kind, s.query, s.filter, s.sort) for s in made]
    return found


def half_heavy(mix: list[MixSearch], by_kind: dict[str, list[MixSearch]]) -> list[MixSearch]:
    """`mix` with a heavy search (filtered or sorted over thousands of matches) after each of
    its searches: half of the result is heavy, its kinds taken in turn."""
    turns = [by_kind[HEAVY[i % len(HEAVY)]] for i in range(len(mix))]
    heavy = [searches[i % len(searches)] for i, searches in enumerate(turns)]
    return [s for pair in zip(mix, heavy, strict=True) for s in pair]
