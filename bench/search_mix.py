"""A realistic mix of searches over the demo catalogue, timed at the engine (no HTTP).

For benchmarks: `await run_mix(rounds=5)` returns each search's latencies in
milliseconds, each timed from the query to its page, total and facets all computed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from resolvers.catalog import category_tree
from resolvers.search.products import ProductFilter, Sort, search_products
from resolvers.search.suggestions import suggestions


@dataclass(frozen=True)
class MixSearch:
    label: str
    query: str | None = None
    filter: ProductFilter = field(default_factory=ProductFilter)
    sort: Sort = Sort.RELEVANCE


TEXT = [
    "keripik", "keripik singkong", "KERIPIK Pisang", "batik", "kemeja batik", "kopi robusta",
    "sambal", "nastar", "dodol betawi", "tas anyaman", "jamu kunyit asam", "beras pandan wangi",
    "bandeng presto", "kerupuk udang", "gamis", "cuci setrika kiloan", "nasi uduk", "sabun sereh",
    "monstera", "tumpeng mini", "dapur bu ani", "warung berkah", "membatik", "keripiknya",
]  # fmt: skip
TYPOS = ["kripik", "batk", "sambel bawang", "krupuk", "robsta", "kripik singkong"]
HALAL_IN_STOCK = ProductFilter(halal=True, in_stock=True)
SNACKS = ProductFilter(categories=["camilan-keripik"])
CIPONDOH = ProductFilter(kecamatan=["36.71.05"])

MIX: list[MixSearch] = [
    *(MixSearch(f"text {q!r}", q) for q in TEXT),
    *(MixSearch(f"typo {q!r}", q) for q in TYPOS),
    MixSearch("keripik, halal in stock", "keripik", HALAL_IN_STOCK),
    MixSearch("batik, Rp100-500 ribu", "batik", ProductFilter(price_min=10**5, price_max=500_000)),
    MixSearch("kopi in Cipondoh", "kopi", CIPONDOH),
    MixSearch("pedas in snacks, cheapest", "pedas", SNACKS, Sort.PRICE_ASC),
    MixSearch("batik, best selling", "batik", sort=Sort.BEST_SELLING),
    MixSearch("browse newest"),
    MixSearch("browse best selling", sort=Sort.BEST_SELLING),
    MixSearch("browse snacks", filter=SNACKS),
    MixSearch("browse Cipondoh, cheapest", filter=CIPONDOH, sort=Sort.PRICE_ASC),
    MixSearch("browse halal in stock, dearest", filter=HALAL_IN_STOCK, sort=Sort.PRICE_DESC),
    MixSearch("browse one kelurahan", filter=ProductFilter(kelurahan=["36.71.01.1001"])),
]  # fmt: skip
PREFIXES = ["ke", "ker", "keri", "kerip", "bat", "batik k", "dap", "kopi r", "sam", "warung b"]


async def run_mix(rounds: int = 5, mix: list[MixSearch] = MIX) -> dict[str, list[float]]:
    """Each search of `mix`, `rounds` times over: label -> latencies in milliseconds."""
    timings: dict[str, list[float]] = {s.label: [] for s in mix}
    for _ in range(rounds):
        for search in mix:
            start = time.perf_counter()
            found = await search_products(
                search.query,
                search.filter,
                search.sort,
                tree=await category_tree(),
                first=20,
                after=None,
            )
            await found.page.count()
            await found.facets()
            timings[search.label].append((time.perf_counter() - start) * 1000)
    return timings


async def run_suggestions(
    rounds: int = 5, prefixes: list[str] = PREFIXES
) -> dict[str, list[float]]:
    """Completions for each prefix, `rounds` times over: prefix -> latencies in milliseconds."""
    timings: dict[str, list[float]] = {p: [] for p in prefixes}
    for _ in range(rounds):
        for prefix in prefixes:
            start = time.perf_counter()
            await suggestions(prefix, 8, await category_tree())
            timings[prefix].append((time.perf_counter() - start) * 1000)
    return timings
