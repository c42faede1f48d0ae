"""Each term's matches counted by price (issue 30): per term and price bucket, how many
active products hold the term, so that a one-word page sorted by price reads the matches of
the few buckets that hold the page (`resolvers.search.postings`) instead of walking the
price index past every product of other words.

The buckets are on a log-like scale: a price's number of digits and its first two
(`bucket`: 12,345 -> 512, 12,999 -> 512, 13,000 -> 513), so a bucket spans 1-10% of its
prices, at most 90 buckets per power of ten. Exact, kept in the writing transaction: on
SQLite by row triggers (a product counts under the terms of its text row, as the facet
tally 0019 does), on PostgreSQL by statement triggers that sum the net change per (term,
bucket) and write it in key order (so that writers lock rows in one order). Only inserts,
deletes, and updates that move a product's bucket or change its words write it: a checkout
changes stock and sales, and writes and locks nothing here. Backfilled from the index.
"""

import importlib

from tortoise import migrations
from tortoise.migrations import operations as ops

facets = importlib.import_module("models.migrations.0019_search_facets")

TABLE = """
CREATE TABLE search_term_price (
    term TEXT NOT NULL,
    bucket INT NOT NULL,
    products INT NOT NULL,
    PRIMARY KEY (term, bucket)
){options};
"""
TALLY = """INSERT INTO search_term_price (term, bucket, products)
    SELECT {rows}
    ON CONFLICT (term, bucket) DO UPDATE
    SET products = search_term_price.products + excluded.products;"""


def sqlite_bucket(facts: str) -> str:
    """The price bucket of the row `facts` (SQLite; prices are never negative)."""
    price = f"CAST({facts}.price AS TEXT)"
    return f"(length({price}) * 100 + CAST(substr({price}, 1, 2) AS INTEGER))"


def pg_bucket(facts: str) -> str:
    price = f"{facts}.price::text"
    return f"(length({price}) * 100 + left({price}, 2)::int)"


def _counts(sign: int, facts: str) -> str:
    return f"{sqlite_bucket(facts)}, {sign}"


def _product(sign: int, facts: str) -> str:
    """Each term of a product's (`old` or `new`) text row, in its bucket."""
    text = f"(SELECT * FROM search_product_text x WHERE x.product_id = {facts}.product_id) x"
    return facets._sqlite_terms(sign, facts, "x", text, TALLY, _counts)


def _words(sign: int, text: str) -> str:
    """Each term of a text row (`old` or `new`), when its product has facts."""
    found = f"(SELECT * FROM search_product f WHERE f.product_id = {text}.product_id) f"
    return facets._sqlite_terms(sign, "f", text, found, TALLY, _counts)


SQLITE = f"""
{TABLE.format(options=" WITHOUT ROWID")}
CREATE TRIGGER search_term_price_added AFTER INSERT ON search_product BEGIN
    {_product(1, "new")}
END;
CREATE TRIGGER search_term_price_moved AFTER UPDATE OF price ON search_product
WHEN {sqlite_bucket("old")} IS NOT {sqlite_bucket("new")} BEGIN
    {_product(-1, "old")}
    {_product(1, "new")}
END;
-- Before the row goes: its text goes after it (0019's search_product_gone), and the text's
-- own trigger then finds no facts and counts nothing.
CREATE TRIGGER search_term_price_removed BEFORE DELETE ON search_product BEGIN
    {_product(-1, "old")}
END;
CREATE TRIGGER search_term_price_words_added AFTER INSERT ON search_product_text BEGIN
    {_words(1, "new")}
END;
CREATE TRIGGER search_term_price_words_changed AFTER UPDATE OF name_terms, more_terms
ON search_product_text WHEN {facets.TERMS_CHANGED} BEGIN
    {_words(-1, "old")}
    {_words(1, "new")}
END;
CREATE TRIGGER search_term_price_words_removed AFTER DELETE ON search_product_text BEGIN
    {_words(-1, "old")}
END;
"""
SQLITE_BACKFILL = TALLY.format(
    rows=f"t.value, {sqlite_bucket('sp')}, COUNT(DISTINCT sp.product_id)"
    " FROM search_product sp JOIN search_product_text x ON x.product_id = sp.product_id,"
    f" {facets.TERMS_OF.format(row='x')} WHERE t.value <> ''"
    f" GROUP BY t.value, {sqlite_bucket('sp')}"
)
SQLITE_DROP = """
DROP TRIGGER search_term_price_added;
DROP TRIGGER search_term_price_moved;
DROP TRIGGER search_term_price_removed;
DROP TRIGGER search_term_price_words_added;
DROP TRIGGER search_term_price_words_changed;
DROP TRIGGER search_term_price_words_removed;
DROP TABLE search_term_price;
"""

# PostgreSQL: the (term, bucket) pairs of the rows `{rows}`, each counting `{sign}`.
PG_PAIRS = (
    "SELECT t AS term, {bucket} AS bucket, {sign} AS n"
    " FROM {rows}, unnest(tsvector_to_array(document)) t"
)
# An update's rows (old or new) whose bucket or words changed (checkouts change neither).
MOVED = """(SELECT {side}.price, {side}.document FROM new_rows n JOIN old_rows o
            ON o.product_id = n.product_id
            WHERE {new_bucket} <> {old_bucket}
            OR n.document IS DISTINCT FROM o.document) {side}"""


def _pairs(sign: int, rows: str, facts: str) -> str:
    return PG_PAIRS.format(bucket=pg_bucket(facts), sign=sign, rows=rows)


def _moved(side: str) -> str:
    return MOVED.format(side=side, new_bucket=pg_bucket("n"), old_bucket=pg_bucket("o"))


def _pg_tally(*pairs: str) -> str:
    changes = " UNION ALL ".join(pairs)
    return TALLY.format(
        rows=f"term, bucket, sum(n) FROM ({changes}) c GROUP BY term, bucket"
        " HAVING sum(n) <> 0 ORDER BY term, bucket"
    )


# Counts the changed rows' terms by bucket: the function of the statement triggers.
FUNCTION = f"""CREATE FUNCTION search_term_price_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_pg_tally(_pairs(1, "new_rows", "new_rows"))}
    ELSIF TG_OP = 'DELETE' THEN
        {_pg_tally(_pairs(-1, "old_rows", "old_rows"))}
    ELSE
        {_pg_tally(_pairs(1, _moved("n"), "n"), _pairs(-1, _moved("o"), "o"))}
    END IF;
    RETURN NULL;
END $$;
"""
POSTGRES = f"""
{TABLE.format(options="")}
{FUNCTION}CREATE TRIGGER search_term_price_added AFTER INSERT ON search_product
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_term_price_count();
CREATE TRIGGER search_term_price_changed AFTER UPDATE ON search_product
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_term_price_count();
CREATE TRIGGER search_term_price_removed AFTER DELETE ON search_product
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_term_price_count();
"""
POSTGRES_BACKFILL = TALLY.format(
    rows=f"t, {pg_bucket('sp')}, COUNT(*) FROM search_product sp,"
    f" unnest(tsvector_to_array(sp.document)) t GROUP BY t, {pg_bucket('sp')} ORDER BY 1, 2"
) + ("\nANALYZE search_term_price;")
POSTGRES_DROP = """
DROP TRIGGER search_term_price_added ON search_product;
DROP TRIGGER search_term_price_changed ON search_product;
DROP TRIGGER search_term_price_removed ON search_product;
DROP FUNCTION search_term_price_count();
DROP TABLE search_term_price;
"""


async def create_term_prices(apps, schema_editor) -> None:
    await facets.run(schema_editor.client, POSTGRES + POSTGRES_BACKFILL, SQLITE + SQLITE_BACKFILL)


async def drop_term_prices(apps, schema_editor) -> None:
    await facets.run(schema_editor.client, POSTGRES_DROP, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0045_search_serial_scans")]

    initial = False

    operations = [ops.RunPython(create_term_prices, drop_term_prices)]
