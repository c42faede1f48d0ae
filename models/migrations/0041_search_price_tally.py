"""A price tally: how many active products (and how many in stock) there are per price bucket
and (category, kecamatan, halal), so that a price range without words counts its total and
facets from a number of tally rows that does not grow with the catalogue (issue 30), instead
of every product in the range (`search_product_priced_facets`, 0035).

The buckets are hierarchical: at each shift in `SHIFTS` a product counts in the bucket
`price >> shift` (16 times wider from one shift to the next, from single prices up), so a
range is a union of whole buckets: at each shift at most 15 on each side of the coarser
buckets within it (`resolvers.search.products.price_pieces`), and nothing is counted from
the products themselves.

Kept in the writing transaction like the facet tally (0019, 0040): on SQLite by triggers
that write it at once; on PostgreSQL the facet tally's statement trigger also queues the
price changes (in the unlogged `search_price_change`) and its deferred trigger applies them
at commit after the facet tally's, in key order, so writers take the tally rows of both in
one order and crossing checkouts cannot deadlock. Backfilled from the index as it is.
"""

import importlib
from collections.abc import Callable

from tortoise import migrations
from tortoise.migrations import operations as ops

first = importlib.import_module("models.migrations.0019_search_facets")
previous = importlib.import_module("models.migrations.0040_search_stock_tally")

BITS = 4  # one shift to the next: buckets 16 times wider
SHIFTS = tuple(range(0, 40, BITS))  # 0 .. 36: the widest bucket holds 2^36 (Rp68 miliar)

TABLE = """
CREATE TABLE search_price_tally (
    shift SMALLINT NOT NULL,
    bucket BIGINT NOT NULL,
    category_id INT NOT NULL,
    kecamatan VARCHAR(8) NOT NULL,
    is_halal {flag} NOT NULL,
    products INT NOT NULL,
    stocked INT NOT NULL,
    PRIMARY KEY (shift, bucket, category_id, kecamatan, is_halal)
){options};
"""
KEY = "shift, bucket, category_id, kecamatan, is_halal"
# Adds the (key, products, stocked) rows of `{rows}`.
TALLY = f"""INSERT INTO search_price_tally ({KEY}, products, stocked)
    SELECT {{rows}}
    ON CONFLICT ({KEY}) DO UPDATE SET products = search_price_tally.products + excluded.products,
        stocked = search_price_tally.stocked + excluded.stocked;"""
FACTS = "price, category_id, kecamatan, is_halal, in_stock"

SQLITE_SHIFTS = f"json_each('[{','.join(map(str, SHIFTS))}]') l"
# SQLite: a product's row (`old` or `new`) in each bucket, counting `sign` (in stock: twice).
SQLITE_ROWS = (
    "l.value, {facts}.price >> l.value, {facts}.category_id, {facts}.kecamatan,"
    " {facts}.is_halal, {sign}, {sign} * {facts}.in_stock"
    " FROM {shifts} WHERE true"
)


def _sqlite_counted(sign: int, facts: str) -> str:
    return TALLY.format(rows=SQLITE_ROWS.format(sign=sign, facts=facts, shifts=SQLITE_SHIFTS))


SQLITE = f"""
{TABLE.format(flag="INT", options=" WITHOUT ROWID")}
CREATE TRIGGER search_price_added AFTER INSERT ON search_product BEGIN
    {_sqlite_counted(1, "new")}
END;
CREATE TRIGGER search_price_moved AFTER UPDATE OF {FACTS} ON search_product
WHEN old.price IS NOT new.price OR old.in_stock IS NOT new.in_stock
    OR {first.DIMENSIONS_CHANGED} BEGIN
    {_sqlite_counted(-1, "old")}
    {_sqlite_counted(1, "new")}
END;
CREATE TRIGGER search_price_removed AFTER DELETE ON search_product BEGIN
    {_sqlite_counted(-1, "old")}
END;
"""
# The whole tally, counted from the index (the backfill, and `rebuild` after bulk loads).
COUNTED = (
    "l.value, sp.price >> l.value, sp.category_id, sp.kecamatan, sp.is_halal, COUNT(*),"
    " SUM(CASE WHEN sp.in_stock THEN 1 ELSE 0 END) FROM search_product sp, {shifts} WHERE true"
    " GROUP BY l.value, sp.price >> l.value, sp.category_id, sp.kecamatan, sp.is_halal"
    " ORDER BY l.value, sp.price >> l.value, sp.category_id, sp.kecamatan, sp.is_halal"
)
SQLITE_BACKFILL = TALLY.format(rows=COUNTED.format(shifts=SQLITE_SHIFTS))
SQLITE_DROP = """
DROP TRIGGER search_price_added;
DROP TRIGGER search_price_moved;
DROP TRIGGER search_price_removed;
DROP TABLE search_price_tally;
"""

# PostgreSQL: the (bucket, facts) pairs of the rows `{rows}`, each counting `{sign}` product
# and, in stock, `{sign}` stocked.
PG_SHIFTS = f"unnest(ARRAY[{','.join(map(str, SHIFTS))}])"
PG_PAIRS = (
    "SELECT l.value AS shift, price >> l.value AS bucket, category_id, kecamatan, is_halal,"
    " {sign} AS n, CASE WHEN in_stock THEN {sign} ELSE 0 END AS s"
    f" FROM {{rows}}, {PG_SHIFTS} l(value)"
)
# Rows are written in key order (the backfill, `rebuild`), so that a range's buckets lie on
# few pages; room on each page keeps their updates there (heap-only tuples).
PG_OPTIONS = " WITH (fillfactor = 70)"
PRICES_APPLIED = previous.pg_apply("search_price_change", TALLY, KEY)


def pg_queues(facet_pairs: str = previous.PG_PAIRS) -> Callable[..., str]:
    """What queues the changes of both tallies, the facets' made of `facet_pairs`."""

    def queued(*changes: tuple[int, str]) -> str:
        facets = [facet_pairs.format(sign=sign, rows=rows) for sign, rows in changes]
        prices = [PG_PAIRS.format(sign=sign, rows=rows) for sign, rows in changes]
        return (
            f"{previous.pg_queue('search_facet_change', previous.KEY, *facets)}\n        "
            f"{previous.pg_queue('search_price_change', KEY, *prices, first=False)}"
        )

    return queued


def _pg_facets_only(*changes: tuple[int, str]) -> str:
    facets = [previous.PG_PAIRS.format(sign=sign, rows=rows) for sign, rows in changes]
    return previous.pg_queue("search_facet_change", previous.KEY, *facets)


POSTGRES = f"""
{TABLE.format(flag="BOOLEAN", options=PG_OPTIONS)}
CREATE UNLOGGED TABLE search_price_change (LIKE search_price_tally);
{first.pg_count(pg_queues(), create="CREATE OR REPLACE")}
{previous.pg_applier(previous.FACETS_APPLIED, PRICES_APPLIED, create="CREATE OR REPLACE")}
"""
POSTGRES_BACKFILL = TALLY.format(rows=COUNTED.format(shifts=f"{PG_SHIFTS} l(value)")) + (
    "\nANALYZE search_price_tally;"
)
POSTGRES_DROP = f"""
{first.pg_count(_pg_facets_only, create="CREATE OR REPLACE")}
{previous.pg_applier(previous.FACETS_APPLIED, create="CREATE OR REPLACE")}
DROP TABLE search_price_change;
DROP TABLE search_price_tally;
"""


async def create_price_tally(apps, schema_editor) -> None:
    await first.run(schema_editor.client, POSTGRES + POSTGRES_BACKFILL, SQLITE + SQLITE_BACKFILL)


async def drop_price_tally(apps, schema_editor) -> None:
    await first.run(schema_editor.client, POSTGRES_DROP, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0040_search_stock_tally")]

    initial = False

    operations = [ops.RunPython(create_price_tally, drop_price_tally)]
