"""Search: products (words, filters, facets, sorts), completions and the shops directory.

One interface, two engines chosen by the database (`engines`): SQLite FTS5 by default,
PostgreSQL full text with pg_trgm in production. Words are folded and stemmed in Python
(`text`) for both, and written in the transaction that changes them (`index`). Callers
import the module they need (`products`, `suggestions`, `shops`, `index`), which keeps
`resolvers.catalog` and `resolvers.shops` free to index without an import cycle.
"""
