"""Relevance: a judged set of realistic queries over a fixed catalogue, on either engine."""

import json
from pathlib import Path

import pytest

from tests.search.catalogue import Catalogue, build, names, search

JUDGED = json.loads((Path(__file__).parent / "judged_queries.json").read_text())
_built: dict[str, Catalogue] = {}


async def judged_catalogue(gql) -> Catalogue:
    key = str(gql.http.base_url)
    if key not in _built:
        _built[key] = await build(gql, JUDGED["shops"], JUDGED["products"])
    return _built[key]


def test_the_judged_set_is_large_enough_and_names_real_products():
    assert len(JUDGED["queries"]) >= 30
    known = {p["name"] for p in JUDGED["products"]}
    for case in JUDGED["queries"]:
        assert set(case["first"]) <= known, case


@pytest.mark.parametrize("case", JUDGED["queries"], ids=[c["query"] for c in JUDGED["queries"]])
async def test_judged_query(gql, case):
    catalogue = await judged_catalogue(gql)
    found = await search(gql, query=case["query"], filter=catalogue.scoped(), first=10)
    top = names(found)[: len(case["first"])]
    assert sorted(top) == sorted(case["first"]), names(found)
    assert found["suggestion"] == case.get("suggestion")
