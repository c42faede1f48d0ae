"""Marketplace product search: words, filters, facets, sorts and keyset cursors."""

from __future__ import annotations

import asyncio
import base64
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from models.catalog import Product
from resolvers.platform import BadInput, Page, page_size, regions, rows_by_ids
from resolvers.search import relevance, walks
from resolvers.search.engines import Engine, Matches, Statement, engine
from resolvers.search.words import Understood, understand

if TYPE_CHECKING:
    from resolvers.catalog import CategoryTree

T = TypeVar("T")
MAX_FILTER_VALUES = 100
MAX_KEY = 2**62
HALAL_LABELS = {1: "Halal", 0: "Belum bersertifikat halal"}
# What the facet tally (migrations 0019, 0040) counts per row, by the stock filter.
TALLIED = {None: "sp.products", True: "sp.stocked", False: "(sp.products - sp.stocked)"}

# The price tally (migration 0041): a product counts in the bucket `price >> shift` at each
# of these shifts, its buckets 16 times wider from one shift to the next.
PRICE_BITS = 4
PRICE_SHIFTS = tuple(range(0, 40, PRICE_BITS))


class Sort(StrEnum):
    RELEVANCE = "RELEVANCE"
    NEWEST = "NEWEST"
    PRICE_ASC = "PRICE_ASC"
    PRICE_DESC = "PRICE_DESC"
    BEST_SELLING = "BEST_SELLING"
    RATING = "RATING"


@dataclass
class ProductFilter:
    categories: list[str] | None = None
    kecamatan: list[str] | None = None
    kelurahan: list[str] | None = None
    shop_id: int | None = None
    cooperative_id: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    halal: bool | None = None
    in_stock: bool | None = None
    # The lowest rating average, in tenths of a star as shown (rounded half up); unrated
    # products never match it.
    min_rating: int | None = None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    field: str
    values: list[FacetValue]


@dataclass
class ProductResults:
    page: Page[Any]  # of Product rows, or of what the search's `cards` read
    suggestion: str | None
    facets: Callable[[], Awaitable[list[Facet]]]


@dataclass(frozen=True)
class Key:
    sql: str
    descending: bool = True


def _keys(sort: Sort, product_id: str) -> list[Key]:
    """The sort keys of `sort` (RELEVANCE: its tie breaks), most significant first."""
    newest = Key(product_id)
    return {
        Sort.NEWEST: [newest],
        Sort.PRICE_ASC: [Key("sp.price", descending=False), Key(product_id, descending=False)],
        Sort.PRICE_DESC: [Key("sp.price"), newest],
        Sort.BEST_SELLING: [Key("sp.units_sold"), newest],
        # Unrated products hold 0, below every rating (at least 1 star).
        Sort.RATING: [Key("sp.rating"), Key("sp.rating_count"), newest],
        Sort.RELEVANCE: [
            Key("CAST(sp.verified AS INTEGER)"), Key("CAST(sp.in_stock AS INTEGER)"), newest
        ],
    }[sort]  # fmt: skip


class Once(Generic[T]):
    """An awaitable computed at most once, however many fields ask for it."""

    def __init__(self, make: Callable[[], Awaitable[T]]) -> None:
        self._make = make
        self._task: asyncio.Future[T] | None = None

    def __call__(self) -> Awaitable[T]:
        if self._task is None:
            self._task = asyncio.ensure_future(self._make())
        return self._task


def _encode(sort: str, values: list[int]) -> str:
    raw = f"{sort}:{','.join(str(v) for v in values)}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(cursor: str, sort: str, size: int) -> list[int]:
    try:
        kind, _, raw = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        values = [int(v) for v in raw.split(",")]
    except (ValueError, UnicodeError):
        values, kind = [], ""
    if kind != sort or len(values) != size or any(abs(v) > MAX_KEY for v in values):
        raise BadInput("Cursor tidak valid.")
    return values


def _bounded(values: list[str] | None, label: str) -> list[str] | None:
    if values is not None and len(values) > MAX_FILTER_VALUES:
        raise BadInput(f"Filter {label} paling banyak {MAX_FILTER_VALUES} nilai.")
    return values


async def _matches(
    st: Statement, words: Understood | None, chosen: ProductFilter, tree: CategoryTree
) -> Matches:
    """The rows holding the words and passing the filter."""
    found = st.engine.products(st, words.terms if words else None)
    where = [*found.where, *await _conditions(st, chosen, tree)]
    return Matches(found.source, where, found.id)


async def _conditions(st: Statement, chosen: ProductFilter, tree: CategoryTree) -> list[str]:
    where = []
    if (categories := _bounded(chosen.categories, "kategori")) is not None:
        ids = tree.with_children(categories)
        where.append(f"sp.category_id IN ({st.bind_all(ids)})")
    for column, values, label in (
        ("kecamatan", chosen.kecamatan, "kecamatan"),
        ("kelurahan", chosen.kelurahan, "kelurahan"),
    ):
        if (bounded := _bounded(values, label)) is not None:
            where.append(f"sp.{column} IN ({st.bind_all([v[:13] for v in bounded])})")
    for column, operator, value in (
        ("shop_id", "=", chosen.shop_id),
        ("cooperative_id", "=", chosen.cooperative_id),
        ("price", "<=", chosen.price_max),
        ("is_halal", "=", chosen.halal),
        ("in_stock", "=", chosen.in_stock),
    ):
        if value is not None:
            where.append(f"sp.{column} {operator} {st.bind(value)}")
    if chosen.price_min is not None:
        where.append(await _priced_from(st, chosen.price_min, chosen.price_max))
    if chosen.min_rating is not None:
        where.append(f"sp.rating >= {st.bind(max(chosen.min_rating, 1))}")
    return where


# Active variants of products with options priced within a range, whose product's lowest
# price (`sp.price`) is below it: the products a range holds for a dearer variant only.
DEARER = """SELECT v.product_id FROM product_variant v JOIN product p ON p.id = v.product_id
WHERE v.is_active AND NOT v.is_default AND v.price >= {low} AND v.price <= {high}
AND p.price < {low}"""


async def _priced_from(st: Statement, low: int, high: int | None) -> str:
    """A product matches a price range when any active variant is within it. `sp.price` is
    its lowest: from `low` up it matches, and below only by a dearer variant, which few
    products have; while none has, the condition is the plain one on `sp.price`."""
    plain = f"sp.price >= {st.bind(low)}"
    if not await _any_dearer(st.engine, low, high):
        return plain
    return f"({plain} OR sp.product_id IN ({_dearer(st, low, high)}))"


async def _any_dearer(search: Engine, low: int, high: int | None) -> bool:
    """Whether any product matches the range for a dearer variant only."""
    probe = Statement(search)
    return bool(await probe.rows(f"{_dearer(probe, low, high)} LIMIT 1"))


def _dearer(st: Statement, low: int, high: int | None) -> str:
    return DEARER.format(low=st.bind(low), high=st.bind(MAX_KEY if high is None else high))


def price_pieces(low: int, high: int) -> list[tuple[int, int, int, int]]:
    """The prices `low` to `high` (both included) as whole buckets of the price tally, each
    (sign, shift, first bucket, last bucket): the range's count is the sum of the buckets',
    each times its sign. At each shift the range's ends are the fewer buckets: those within
    the range up to the next shift's, or that next shift's bucket (taken whole at the next
    shift) less those outside the range. So at most 8 runs of buckets at each end, and at
    the widest shift one run."""
    pieces = []
    lo, hi = low, high + 1  # from `lo` up to `hi` excluded, in buckets of the shift
    for shift in PRICE_SHIFTS:
        if lo >= hi:
            break
        up, down = -(-lo >> PRICE_BITS), hi >> PRICE_BITS  # the next shift's whole buckets
        if shift == PRICE_SHIFTS[-1] or up >= down:
            pieces.append((1, shift, lo, hi - 1))
            break
        half = 1 << (PRICE_BITS - 1)
        if (up << PRICE_BITS) - lo > half:
            up -= 1
            pieces.append((-1, shift, up << PRICE_BITS, lo - 1))
        elif lo < up << PRICE_BITS:
            pieces.append((1, shift, lo, (up << PRICE_BITS) - 1))
        if hi - (down << PRICE_BITS) > half:
            pieces.append((-1, shift, hi, ((down + 1) << PRICE_BITS) - 1))
            down += 1
        elif down << PRICE_BITS < hi:
            pieces.append((1, shift, down << PRICE_BITS, hi - 1))
        lo, hi = up, down
    return pieces


@dataclass(frozen=True)
class Order:
    name: str  # the cursor's name for the order
    keys: list[Key]  # most significant first


def _order(st: Statement, words: Understood | None, sort: Sort, product_id: str) -> Order:
    if words is None and sort == Sort.RELEVANCE:
        return Order("NEWEST", _keys(Sort.NEWEST, product_id))
    if words is None or sort != Sort.RELEVANCE:
        return Order(sort.value, _keys(sort, product_id))
    # How many of the query's terms the product's name holds: a score that depends on the
    # product and the query only, so pages stay put while other products come and go.
    name = "' ' || sp.name_terms || ' '"
    holds = [st.engine.contains(name, st.bind(f" {t} ")) for t in words.terms]
    score = " + ".join(f"CASE WHEN {h} THEN 1 ELSE 0 END" for h in holds)
    return Order("RELEVANCE", [Key(f"({score})"), *_keys(Sort.RELEVANCE, product_id)])


def _after(st: Statement, keys: list[Key], values: list[int]) -> str:
    """Rows strictly after `values` in the order of `keys`."""
    alternatives = []
    for i, key in enumerate(keys):
        same = [f"{k.sql} = {st.bind(v)}" for k, v in zip(keys[:i], values, strict=False)]
        beyond = f"{key.sql} {'<' if key.descending else '>'} {st.bind(values[i])}"
        alternatives.append("(" + " AND ".join([*same, beyond]) + ")")
    return "(" + " OR ".join(alternatives) + ")"


async def search_products(
    query: str | None,
    chosen: ProductFilter,
    sort: Sort,
    *,
    tree: CategoryTree,
    first: int | None,
    after: str | None,
    asked: frozenset[str] = frozenset({"total", "facets"}),
    cards: Callable[[list[int]], Awaitable[list[Any]]] | None = None,
) -> ProductResults:
    """A page of matches; of the counts over every match, only those `asked` ("total",
    "facets") are computed ahead: a total alone is one COUNT, not the facets' grouping.
    `tree` is the catalog's categories, which filters and facets name. The page holds the
    matched Product rows, or what `cards` reads for their ids (in order, missing ones
    left out)."""
    search = engine()
    size = page_size(first, None)
    words = await understand(search, "search_product", query or "")
    st = Statement(search)
    found = await _matches(st, words, chosen, tree)
    order = _order(st, words, sort, found.id)
    cursor = _decode(after, order.name, len(order.keys)) if after else None
    groups = Once(lambda: _groups(search, words, chosen, tree))
    total = Once(
        (lambda: _total(groups))
        if "facets" in asked
        else (lambda: _count(search, words, chosen, tree))
    )
    if search.concurrent and asked & {"total", "facets"}:
        # counted on another pooled connection while the page is read
        (groups if "facets" in asked else total)()
    rows: list[Any] | None = None
    if size and words is not None and len(words.terms) == 1:
        if sort == Sort.RELEVANCE and words.documents >= relevance.TIERS_FROM:
            # tier by tier (`relevance`), not every match sorted
            tallied = chosen != ProductFilter() and _tallied(words, chosen)
            if tallied and not await total():
                # Nothing passes the filter, which the tally knows at once; the tiers
                # would read every row of the word's to find that (the planner expects
                # the filter's share of the word's rows, e.g. halal, to be its share of all).
                rows = []
            else:
                tiered = Statement(search)
                filters = await _conditions(tiered, chosen, tree)
                # On PostgreSQL a tier's statement first asks the tally whether the tier
                # holds any match (0048): the tally's dimensions only, or none.
                counted = None
                if search.dialect == "postgres" and (tallied or chosen == ProductFilter()):
                    counted = await _conditions(tiered, replace(chosen, in_stock=None), tree)
                rows = await relevance.tier_rows(
                    tiered, words.terms[0], filters, chosen.in_stock, cursor, size, counted
                )
        else:
            rows = await _walked_rows(search, words, chosen, order, size, cursor)
    if rows is None:
        if cursor is not None:
            found = replace(found, where=[*found.where, _after(st, order.keys, cursor)])
        rows = await _rows(st, found, order.keys, size)
    products = await (cards or _products)([row[-1] for row in rows[:size]])
    page = Page(
        items=products,
        cursors=[_encode(order.name, [int(v) for v in row]) for row in rows[:size]],
        has_next=len(rows) > size,
        has_previous=after is not None,
        count=total,
        size=size,
    )
    return ProductResults(page, words.suggestion if words else None, lambda: _facets(groups, tree))


async def _rows(st: Statement, found: Matches, keys: list[Key], size: int) -> list[Any]:
    """The sort keys of the page's rows, and of one more when there is a next page."""
    if not size:
        return []
    columns = ", ".join(k.sql for k in keys)
    order = ", ".join(f"{k.sql} {'DESC' if k.descending else 'ASC'}" for k in keys)
    return await st.rows(
        f"SELECT {columns} FROM {found.source} {_where(found.where)}"
        f" ORDER BY {order} LIMIT {size + 1}"
    )


async def _walked_rows(
    search: Engine,
    words: Understood,
    chosen: ProductFilter,
    order: Order,
    size: int,
    cursor: list[int] | None,
) -> list[Any] | None:
    """A one-word page without filters in an order an index holds (`walks`); None for the
    others."""
    if chosen != ProductFilter() or order.name not in walks.WALKS:
        return None
    keys = _keys(Sort(order.name), "sp.product_id")
    return await walks.walked_rows(
        search, words.terms[0], words.documents, keys, order.name, size, cursor
    )


def _where(conditions: list[str]) -> str:
    return f"WHERE {' AND '.join(conditions)}" if conditions else ""


async def _products(ids: list[int]) -> list[Product]:
    if not ids:
        return []
    return [p for p in await rows_by_ids(Product, ids) if p is not None]


async def _groups(
    search: Engine, words: Understood | None, chosen: ProductFilter, tree: CategoryTree
) -> list[tuple[int, str, int, int]]:
    """Matches counted per (category, kecamatan, halal): facets and total in one pass."""
    st, source, count = await _counted(search, words, chosen, tree)
    # Grouped by the bare columns, which a covering index (or the tally's key) orders.
    rows = await st.rows(
        f"SELECT sp.category_id, sp.kecamatan, sp.is_halal, {count} FROM {source}"
        " GROUP BY sp.category_id, sp.kecamatan, sp.is_halal"
    )
    # (A group the price tally's buckets add and take away alike counts nothing.)
    return [(row[0], row[1], int(row[2]), int(row[3])) for row in rows if row[3]]


async def _count(
    search: Engine, words: Understood | None, chosen: ProductFilter, tree: CategoryTree
) -> int:
    """Matches counted alone, when no facet is asked for."""
    st, source, count = await _counted(search, words, chosen, tree)
    rows = await st.rows(f"SELECT {count} FROM {source}")
    return int(rows[0][0] or 0)


async def _counted(
    search: Engine, words: Understood | None, chosen: ProductFilter, tree: CategoryTree
) -> tuple[Statement, str, str]:
    """Where the matches are counted (a FROM and WHERE on `sp`), and the aggregate that
    counts them: the facet tally (migrations 0019, 0040) when it holds the answer, else the rows."""
    st = Statement(search)
    if words is None and _price_tallied(chosen):
        return st, await _price_counted(st, chosen, tree), "SUM(sp.n)"
    if _tallied(words, chosen):
        term = words.terms[0] if words else ""
        counted = TALLIED[chosen.in_stock]
        where = [
            f"sp.term = {st.bind(term)}",
            f"{counted} > 0",
            *await _conditions(st, replace(chosen, in_stock=None), tree),
        ]
        return st, f"search_facet sp {_where(where)}", f"SUM({counted})"
    found = await _matches(st, words, chosen, tree)
    return st, f"{found.source} {_where(found.where)}", "COUNT(*)"


def _tallied(words: Understood | None, chosen: ProductFilter) -> bool:
    """Whether the tally counts these matches: one term or none, filtered at most on the
    tally's dimensions (category, kecamatan, halal) and on stock."""
    others = (chosen.kelurahan, chosen.shop_id, chosen.cooperative_id, chosen.price_min,
              chosen.price_max, chosen.min_rating)  # fmt: skip
    return (words is None or len(words.terms) == 1) and all(v is None for v in others)


def _price_tallied(chosen: ProductFilter) -> bool:
    """Whether the price tally counts the matches (with no words): a price range, filtered
    otherwise at most on the tally's dimensions and on stock."""
    others = (chosen.kelurahan, chosen.shop_id, chosen.cooperative_id, chosen.min_rating)
    priced = chosen.price_min is not None or chosen.price_max is not None
    return priced and all(v is None for v in others)


async def _price_counted(st: Statement, chosen: ProductFilter, tree: CategoryTree) -> str:
    """The matches of a price range per (category, kecamatan, halal), as rows `sp` whose `n`
    add up to them: the whole buckets of the price tally (migration 0041) that make up the
    range, and the products that match it for a dearer variant only (their lowest price is
    below it), counted one by one."""
    low = -MAX_KEY if chosen.price_min is None else chosen.price_min
    high = MAX_KEY if chosen.price_max is None else chosen.price_max
    within: dict[int, list[str]] = {1: [], -1: []}
    for sign, shift, first, last in price_pieces(low, high):  # shifts: ints of PRICE_SHIFTS
        within[sign].append(
            f"(sp.shift = {shift} AND sp.bucket BETWEEN {st.bind(first)} AND {st.bind(last)})"
        )
    added, taken = (" OR ".join(within[sign]) or "false" for sign in (1, -1))
    counted = TALLIED[chosen.in_stock]
    facts = await _conditions(
        st, replace(chosen, price_min=None, price_max=None, in_stock=None), tree
    )
    rows = (
        "SELECT sp.category_id, sp.kecamatan, sp.is_halal,"
        f" CASE WHEN {taken} THEN -{counted} ELSE {counted} END AS n FROM search_price_tally sp"
        f" {_where([f'({added} OR {taken})', f'{counted} > 0', *facts])}"
    )
    if chosen.price_min is not None and await _any_dearer(st.engine, low, chosen.price_max):
        stock = [] if chosen.in_stock is None else [f"sp.in_stock = {st.bind(chosen.in_stock)}"]
        dearer = [f"sp.product_id IN ({_dearer(st, low, chosen.price_max)})", *facts, *stock]
        rows += (
            " UNION ALL SELECT sp.category_id, sp.kecamatan, sp.is_halal, 1"
            f" FROM search_product sp {_where(dearer)}"
        )
    return f"({rows}) sp"


async def _total(groups: Once[list[tuple[int, str, int, int]]]) -> int:
    return sum(g[3] for g in await groups())


async def _facets(groups: Once[list[tuple[int, str, int, int]]], tree: CategoryTree) -> list[Facet]:
    category, kecamatan, halal = Counter[int](), Counter[str](), Counter[int]()
    for category_id, kecamatan_code, is_halal, count in await groups():
        category[category_id] += count
        kecamatan[kecamatan_code] += count
        halal[is_halal] += count
    directory = await regions.directory()
    return [
        Facet("category", _values(
            (tree.by_id[i].slug, tree.by_id[i].name, n) for i, n in category.items()
        )),
        Facet("kecamatan", _values(
            (code, directory.kecamatan_by_code[code].name, n) for code, n in kecamatan.items()
        )),
        Facet("halal", _values(
            ("true" if h else "false", HALAL_LABELS[h], n) for h, n in halal.items()
        )),
    ]  # fmt: skip


def _values(found: Any) -> list[FacetValue]:
    ordered = sorted(found, key=lambda v: (-v[2], v[1]))
    return [FacetValue(value, label, count) for value, label, count in ordered]
