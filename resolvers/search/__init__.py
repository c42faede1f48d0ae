"""Search: products (words, filters, facets, sorts), completions and the shops directory.

One interface, two engines chosen by the database (`engines`): SQLite FTS5 by default,
PostgreSQL full text with pg_trgm in production. Words are folded and stemmed in Python
(`text`) for both, and written in the transaction that changes them (`index`). Other
domains use the modules below; the catalog's categories reach a search as an argument, so
that the catalog and the shops can index their rows without an import circle.
"""

from resolvers.search import engines, index, products, shops, suggestions, text

__all__ = ["engines", "index", "products", "shops", "suggestions", "text"]
