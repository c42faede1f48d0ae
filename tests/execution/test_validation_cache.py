"""The validation cache keyed by document identity (`schema.execution.extensions.
validation_cache`) answers and refuses exactly as validating every request does: the same
documents, sent twice to the app and once to the same app without caches, get the same
status and body; schemas with other rules keep verdicts of their own; a document parsed
afresh is validated afresh."""

from __future__ import annotations

import httpx
from graphql import parse, specified_rules

from schema.execution.extensions import validated_documents
from schema.execution.extensions.validation_cache import ValidatedDocuments
from server.graphql_schema import CACHE_SIZE, make_schema
from tests.conftest import LiveServer, contract, make_settings

DEEP = "query Deep { categories { children { children { children { slug } } } } }"
DOCUMENTS = [
    (contract("SearchProducts"), {"query": "keripik", "first": 3}),
    ("query Unknown { products { totalCount nope } }", {}),  # no such field
    ("query Unused($x: Int) { kecamatan { code } }", {}),  # a variable never used
    ("query Bad($f: ProductFilter) { products(filter: $f) { totalCount } }", {"f": {"x": 1}}),
    (DEEP, {}),
    ("query Many { " + " ".join(f"a{i}: __typename" for i in range(40)) + " }", {}),  # aliases
    ("query A { kecamatan { code } } query B { kecamatan { name } }", {}),  # no name chosen
    ("query Frag { ...Missing }", {}),  # unknown fragment
]


async def _answers(url: str) -> list[tuple[int, dict]]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        found = []
        for query, variables in DOCUMENTS:
            response = await http.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"accept": "application/graphql-response+json"},
            )
            found.append((response.status_code, response.json()))
        return found


async def test_cached_verdicts_equal_fresh_ones(live, database_url, tmp_path):
    cache = validated_documents(CACHE_SIZE)
    first = await _answers(live.url)
    hits = cache.hits
    second = await _answers(live.url)  # every document validated before: from the cache
    assert cache.hits >= hits + len(DOCUMENTS) - 1  # but the one that fails to choose
    settings = make_settings(database_url, tmp_path / "media", MAX_QUERY_DEPTH="3")
    async with LiveServer(
        make_settings(database_url, tmp_path / "media"), caches=False, lifespan="off"
    ) as bare:
        fresh = await _answers(bare.url)
    assert first == second == fresh
    statuses = [status for status, _ in first]
    assert statuses == [200, 400, 400, 400, 200, 400, 400, 400]  # DEEP passes at depth 12
    codes = {body["errors"][0]["extensions"]["code"] for _, body in first if "errors" in body}
    assert codes == {"QUERY_TOO_COMPLEX", "BAD_USER_INPUT"}
    async with (
        LiveServer(settings, lifespan="off") as strict,  # the same cache, other rules
        httpx.AsyncClient(base_url=strict.url, timeout=60) as http,
    ):
        deep = await http.post("/graphql", json={"query": DEEP})
    assert deep.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    async with httpx.AsyncClient(base_url=live.url, timeout=60) as http:
        again = await http.post("/graphql", json={"query": DEEP})
    assert "errors" not in again.json()


async def test_a_document_parsed_again_is_validated_again(database_url, tmp_path):
    settings = make_settings(database_url, tmp_path / "media")
    schema = make_schema(settings)._schema
    cache = ValidatedDocuments(size=1)
    rules = tuple(specified_rules)
    one, other = parse("{ kecamatan { code } }"), parse("{ kecamatan { nope } }")
    assert cache.errors(schema, one, rules) == []
    assert (cache.hits, cache.misses) == (0, 1)
    assert cache.errors(schema, one, rules) == []
    assert (cache.hits, cache.misses) == (1, 1)
    assert cache.errors(schema, parse("{ kecamatan { code } }"), rules) == []  # same text
    assert (cache.hits, cache.misses) == (1, 2)
    assert len(cache.errors(schema, other, rules)) == 1  # and the size-1 cache drops `one`
    assert cache.errors(schema, one, rules) == []
    assert (cache.hits, cache.misses) == (1, 4)
