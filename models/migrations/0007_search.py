"""Search indexes: one row per ACTIVE product and one per shop, with their words.

`search_product` holds the facts search filters, sorts and counts on. Triggers on
`product` and `shop` keep those facts in the same transaction as the change, whoever
makes it; the words (folded, stemmed by Sastrawi in Python) are written by
`resolvers.search.index` in the transaction that saves the product or shop.
SQLite indexes the words with FTS5; PostgreSQL with tsvector columns under GIN, and
keeps a vocabulary (`search_term`) for pg_trgm typo correction.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

# The facts of an ACTIVE product that search filters, sorts and counts on, and its words.
TABLES = """
CREATE TABLE search_product (
    product_id {key},
    shop_id BIGINT NOT NULL,
    category_id INT NOT NULL,
    kelurahan VARCHAR(13) NOT NULL,
    kecamatan VARCHAR(8) NOT NULL,
    cooperative_id BIGINT,
    price BIGINT NOT NULL,
    is_halal {flag} NOT NULL,
    in_stock {flag} NOT NULL,
    verified {flag} NOT NULL,
    units_sold INT NOT NULL,
    name_terms TEXT NOT NULL DEFAULT ''{product_words}
);
CREATE INDEX search_product_facets ON search_product (category_id, kecamatan, is_halal);
CREATE INDEX search_product_kecamatan ON search_product (kecamatan);
CREATE INDEX search_product_kelurahan ON search_product (kelurahan);
CREATE INDEX search_product_shop ON search_product (shop_id);
CREATE INDEX search_product_cooperative ON search_product (cooperative_id);
CREATE INDEX search_product_price ON search_product (price, product_id);
CREATE INDEX search_product_sold ON search_product (units_sold, product_id);

CREATE TABLE search_shop (
    shop_id {key},
    name_terms TEXT NOT NULL DEFAULT '',
    more_terms TEXT NOT NULL DEFAULT '',
    name_words TEXT NOT NULL DEFAULT ''{vectors}
);
"""
MORE_WORDS = """,
    more_terms TEXT NOT NULL DEFAULT '',
    name_words TEXT NOT NULL DEFAULT ''"""
VECTORS = """,
    document TSVECTOR GENERATED ALWAYS AS
        (to_tsvector('simple', name_terms || ' ' || more_terms)) STORED,
    words TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', name_words)) STORED"""

# Vocabulary counts (of source {source}) follow the words of {table} (PostgreSQL).
TERM_COUNTS = """
CREATE TRIGGER {table}_terms_added AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_term_count('{source}');
CREATE TRIGGER {table}_terms_changed AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_term_count('{source}');
CREATE TRIGGER {table}_terms_removed AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_term_count('{source}');
"""

# A product's row as its triggers (and a rebuild) make it, from `product` aliased {row}.
FACTS = """
INSERT INTO search_product (product_id, shop_id, category_id, kelurahan, kecamatan,
    cooperative_id, price, is_halal, in_stock, verified, units_sold)
SELECT {row}.id, {row}.shop_id, {row}.category_id, s.kelurahan_id, k.kecamatan_id,
    s.cooperative_id, {row}.price, {row}.is_halal, {row}.stock > 0, s.is_verified,
    {row}.units_sold
FROM shop s JOIN kelurahan k ON k.code = s.kelurahan_id WHERE s.id = {row}.shop_id"""

# Counts the terms of a search table's changed rows in the vocabulary, `search_term`: the
# function of the statement triggers of TERM_COUNTS.
TERM_COUNT = """CREATE FUNCTION search_term_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_term (source, term, documents)
        SELECT TG_ARGV[0], t, count(*) FROM new_rows, unnest(tsvector_to_array(document)) t
        GROUP BY t ORDER BY t
        ON CONFLICT (source, term) DO UPDATE SET documents = search_term.documents + excluded.documents;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE search_term SET documents = documents - gone.n
        FROM (SELECT t, count(*) AS n FROM old_rows, unnest(tsvector_to_array(document)) t
              GROUP BY t ORDER BY t) gone
        WHERE source = TG_ARGV[0] AND term = gone.t;
    ELSE
        INSERT INTO search_term (source, term, documents)
        SELECT TG_ARGV[0], t, sum(n) FROM (
            SELECT t, 1 AS n FROM new_rows, unnest(tsvector_to_array(document)) t
            UNION ALL
            SELECT t, -1 FROM old_rows, unnest(tsvector_to_array(document)) t
        ) changed GROUP BY t HAVING sum(n) <> 0 ORDER BY t
        ON CONFLICT (source, term) DO UPDATE SET documents = search_term.documents + excluded.documents;
    END IF;
    RETURN NULL;
END $$;
"""
# The row trigger's function that keeps a product's facts in `search_product` (`{create}`:
# CREATE or CREATE OR REPLACE); `{sale}` runs before the upsert (0047: a sale's path).
PRODUCT_SYNC = (
    """{create} FUNCTION product_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.status <> 'ACTIVE' THEN
        DELETE FROM search_product WHERE product_id = OLD.id;
        RETURN NULL;
    END IF;{sale}
"""
    + FACTS.format(row="NEW")
    + """
    ON CONFLICT (product_id) DO UPDATE SET category_id = excluded.category_id,
        price = excluded.price, is_halal = excluded.is_halal, in_stock = excluded.in_stock,
        units_sold = excluded.units_sold;
    RETURN NULL;
END $$;
"""
)

SQLITE = (
    TABLES.format(key="INTEGER PRIMARY KEY", flag="INT", product_words="", vectors="")
    + """
-- On SQLite the words live apart from the facts (keeping a copy of name_terms there for
-- relevance), so that scans and lookups of the facts stay narrow.
CREATE TABLE search_product_text (
    product_id INTEGER PRIMARY KEY,
    name_terms TEXT NOT NULL DEFAULT ''"""
    + MORE_WORDS
    + """
);
CREATE VIRTUAL TABLE search_product_fts USING fts5(
    name_terms, more_terms, content='search_product_text', content_rowid='product_id',
    detail='none'
);
CREATE VIRTUAL TABLE search_product_vocab USING fts5vocab(search_product_fts, row);
CREATE VIRTUAL TABLE search_product_words USING fts5(
    name_words, content='search_product_text', content_rowid='product_id', detail='none',
    prefix='2 3'
);

CREATE TRIGGER search_product_indexed AFTER INSERT ON search_product_text BEGIN
    INSERT INTO search_product_fts (rowid, name_terms, more_terms)
        VALUES (new.product_id, new.name_terms, new.more_terms);
    INSERT INTO search_product_words (rowid, name_words) VALUES (new.product_id, new.name_words);
END;
CREATE TRIGGER search_product_unindexed AFTER DELETE ON search_product_text BEGIN
    INSERT INTO search_product_fts (search_product_fts, rowid, name_terms, more_terms)
        VALUES ('delete', old.product_id, old.name_terms, old.more_terms);
    INSERT INTO search_product_words (search_product_words, rowid, name_words)
        VALUES ('delete', old.product_id, old.name_words);
END;
CREATE TRIGGER search_product_reindexed
AFTER UPDATE ON search_product_text BEGIN
    INSERT INTO search_product_fts (search_product_fts, rowid, name_terms, more_terms)
        VALUES ('delete', old.product_id, old.name_terms, old.more_terms);
    INSERT INTO search_product_words (search_product_words, rowid, name_words)
        VALUES ('delete', old.product_id, old.name_words);
    INSERT INTO search_product_fts (rowid, name_terms, more_terms)
        VALUES (new.product_id, new.name_terms, new.more_terms);
    INSERT INTO search_product_words (rowid, name_words) VALUES (new.product_id, new.name_words);
END;

CREATE TRIGGER product_search_insert AFTER INSERT ON product WHEN new.status = 'ACTIVE' BEGIN
"""
    + FACTS.format(row="new")
    + """;
END;
CREATE TRIGGER product_search_update AFTER UPDATE ON product BEGIN
    DELETE FROM search_product WHERE product_id = old.id AND new.status <> 'ACTIVE';
    UPDATE search_product SET category_id = new.category_id, price = new.price,
        is_halal = new.is_halal, in_stock = new.stock > 0, units_sold = new.units_sold
    WHERE product_id = new.id;
"""
    + FACTS.format(row="new")
    + """ AND new.status = 'ACTIVE'
        AND NOT EXISTS (SELECT 1 FROM search_product WHERE product_id = new.id);
END;
CREATE TRIGGER product_search_delete AFTER DELETE ON product BEGIN
    DELETE FROM search_product WHERE product_id = old.id;
END;
CREATE TRIGGER search_product_gone AFTER DELETE ON search_product BEGIN
    DELETE FROM search_product_text WHERE product_id = old.product_id;
END;
CREATE TRIGGER shop_search_update AFTER UPDATE OF kelurahan_id, is_verified, cooperative_id ON shop
WHEN old.kelurahan_id IS NOT new.kelurahan_id OR old.is_verified IS NOT new.is_verified
    OR old.cooperative_id IS NOT new.cooperative_id
BEGIN
    UPDATE search_product SET kelurahan = new.kelurahan_id,
        kecamatan = (SELECT kecamatan_id FROM kelurahan WHERE code = new.kelurahan_id),
        verified = new.is_verified, cooperative_id = new.cooperative_id
    WHERE shop_id = new.id;
END;

CREATE VIRTUAL TABLE search_shop_fts USING fts5(
    name_terms, more_terms, name_words, content='search_shop', content_rowid='shop_id',
    detail='column', prefix='2 3'
);
CREATE VIRTUAL TABLE search_shop_vocab USING fts5vocab(search_shop_fts, col);
CREATE TRIGGER search_shop_indexed AFTER INSERT ON search_shop BEGIN
    INSERT INTO search_shop_fts (rowid, name_terms, more_terms, name_words)
        VALUES (new.shop_id, new.name_terms, new.more_terms, new.name_words);
END;
CREATE TRIGGER search_shop_unindexed AFTER DELETE ON search_shop BEGIN
    INSERT INTO search_shop_fts (search_shop_fts, rowid, name_terms, more_terms, name_words)
        VALUES ('delete', old.shop_id, old.name_terms, old.more_terms, old.name_words);
END;
CREATE TRIGGER search_shop_reindexed AFTER UPDATE ON search_shop BEGIN
    INSERT INTO search_shop_fts (search_shop_fts, rowid, name_terms, more_terms, name_words)
        VALUES ('delete', old.shop_id, old.name_terms, old.more_terms, old.name_words);
    INSERT INTO search_shop_fts (rowid, name_terms, more_terms, name_words)
        VALUES (new.shop_id, new.name_terms, new.more_terms, new.name_words);
END;
CREATE TRIGGER shop_search_delete AFTER DELETE ON shop BEGIN
    DELETE FROM search_shop WHERE shop_id = old.id;
END;
"""
)

SQLITE_DROP = """
DROP TRIGGER IF EXISTS shop_search_delete;
DROP TRIGGER IF EXISTS shop_search_update;
DROP TRIGGER IF EXISTS product_search_delete;
DROP TRIGGER IF EXISTS product_search_update;
DROP TRIGGER IF EXISTS product_search_insert;
DROP TABLE IF EXISTS search_shop_vocab;
DROP TABLE IF EXISTS search_shop_fts;
DROP TABLE IF EXISTS search_shop;
DROP TABLE IF EXISTS search_product_words;
DROP TABLE IF EXISTS search_product_vocab;
DROP TABLE IF EXISTS search_product_fts;
DROP TABLE IF EXISTS search_product_text;
DROP TABLE IF EXISTS search_product;
"""

POSTGRES = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
    + TABLES.format(
        key="BIGINT PRIMARY KEY",
        flag="BOOLEAN",
        product_words=MORE_WORDS + VECTORS,
        vectors=VECTORS,
    )
    + """
CREATE INDEX search_product_document ON search_product USING GIN (document);
CREATE INDEX search_product_words ON search_product USING GIN (words);
CREATE INDEX search_shop_document ON search_shop USING GIN (document);
CREATE INDEX search_shop_words ON search_shop USING GIN (words);

-- How many rows of each search table use each term: the vocabulary typos are corrected to.
CREATE TABLE search_term (
    source VARCHAR(20) NOT NULL,
    term TEXT NOT NULL,
    documents INT NOT NULL,
    PRIMARY KEY (source, term)
);
CREATE INDEX search_term_trigram ON search_term USING GIN (term gin_trgm_ops);

"""
    + TERM_COUNT
    + """
"""
    + PRODUCT_SYNC.format(create="CREATE", sale="")
    + """CREATE TRIGGER product_search AFTER INSERT OR UPDATE OR DELETE ON product
    FOR EACH ROW EXECUTE FUNCTION product_search_sync();

CREATE FUNCTION shop_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_product SET kelurahan = NEW.kelurahan_id,
        kecamatan = (SELECT kecamatan_id FROM kelurahan WHERE code = NEW.kelurahan_id),
        verified = NEW.is_verified, cooperative_id = NEW.cooperative_id
    WHERE shop_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER shop_search AFTER UPDATE ON shop FOR EACH ROW
    WHEN (OLD.kelurahan_id IS DISTINCT FROM NEW.kelurahan_id
        OR OLD.is_verified IS DISTINCT FROM NEW.is_verified
        OR OLD.cooperative_id IS DISTINCT FROM NEW.cooperative_id)
    EXECUTE FUNCTION shop_search_sync();
CREATE FUNCTION shop_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_shop WHERE shop_id = OLD.id;
    RETURN NULL;
END $$;
CREATE TRIGGER shop_search_delete AFTER DELETE ON shop
    FOR EACH ROW EXECUTE FUNCTION shop_search_delete();
"""
    + TERM_COUNTS.format(table="search_product", source="search_product")
    + TERM_COUNTS.format(table="search_shop", source="search_shop")
)

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS shop_search_delete ON shop;
DROP TRIGGER IF EXISTS shop_search ON shop;
DROP TRIGGER IF EXISTS product_search ON product;
DROP FUNCTION IF EXISTS shop_search_delete();
DROP FUNCTION IF EXISTS shop_search_sync();
DROP FUNCTION IF EXISTS product_search_sync();
DROP TABLE IF EXISTS search_shop;
DROP TABLE IF EXISTS search_product;
DROP FUNCTION IF EXISTS search_term_count();
DROP TABLE IF EXISTS search_term;
"""


async def create_search(apps, schema_editor) -> None:
    # Rows already present get their words from `satupintu migrate`, which re-indexes
    # after applying this migration (the stemmer lives above the models layer).
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(POSTGRES if postgres else SQLITE)


async def drop_search(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(POSTGRES_DROP if postgres else SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0006_cooperatives")]

    initial = False

    operations = [ops.RunPython(create_search, drop_search)]
