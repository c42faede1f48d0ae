"""PostgreSQL's parser reads exactly the words `text` writes, so its full-text matches, the
vocabulary and the facet tally all speak of the same terms (FTS5 splits only at what
`fold` already turned into spaces)."""

from __future__ import annotations

import random
import string

import pytest
from tortoise import connections

from resolvers.search import text

TRICKY = [
    "0e31abc 12e4cfc 2e4 500gr abc2e4 3d 1e 1e5x x1e5 e5 0x1f 12 007 1e99999 9e9e9 1e23x",
    "Kue2 Lebaran 250gr isi 2e3pcs, v2.0 (1.5e3 ml)",
]


def samples() -> list[str]:
    draw = random.Random(16)
    alphabet = string.ascii_lowercase[:6] + string.digits + "e"
    made = ["".join(draw.choices(alphabet, k=draw.randint(1, 9))) for _ in range(400)]
    return TRICKY + [" ".join(made[i : i + 8]) for i in range(0, len(made), 8)]


async def test_postgres_reads_the_words_this_module_writes(gql):
    client = connections.get("default")
    if client.capabilities.dialect != "postgres":
        pytest.skip("the test database is SQLite")
    for sample in samples():
        folded = " ".join(text.words(sample))
        _, rows = await client.execute_query(
            "SELECT tsvector_to_array(to_tsvector('simple', $1))", [folded]
        )
        assert set(rows[0][0]) == set(folded.split()), sample
