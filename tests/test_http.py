"""GraphQL over HTTP conventions, and hostile requests refused without harm."""

import json
import time

import pytest

from tests.conftest import LiveServer, make_settings

GQL_RESPONSE = "application/graphql-response+json"


async def test_graphql_response_json_answers_400_without_data_on_validation_failure(client):
    response = await client.post(
        "/graphql", json={"query": "{ nope }"}, headers={"Accept": GQL_RESPONSE}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GQL_RESPONSE)
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_plain_json_answers_200_with_errors_on_parse_failure(client):
    response = await client.post("/graphql", json={"query": "{"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_get_runs_queries_but_not_mutations(client):
    ok = await client.get("/graphql", params={"query": "{ __typename }"})
    assert ok.json()["data"] == {"__typename": "Query"}
    refused = await client.get("/graphql", params={"query": "mutation { logout { ok } }"})
    assert refused.status_code == 405
    assert refused.headers["allow"] == "POST"


async def test_graphiql_for_browsers_and_sdl(client):
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    sdl = await client.get("/schema.graphql")
    assert "type Query" in sdl.text


async def test_cost_is_reported_and_request_id_returned(client):
    response = await client.post(
        "/graphql",
        json={"query": "{ kecamatan { code } }"},
        headers={"X-Request-Id": "uji-12345678"},
    )
    assert response.headers["x-request-id"] == "uji-12345678"
    assert response.json()["extensions"]["cost"] == {"requested": 2, "maximum": 5000}


async def test_health_and_metrics(client):
    health = await client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["checks"]["database"] == "ok"
    query = "query Regions { kecamatan { code } }"
    await client.post("/graphql", json={"query": query, "operationName": "Regions"})
    await client.post("/graphql", json={"query": "query NamedInDocument { __typename }"})
    metrics = await client.get("/metrics")
    assert 'satupintu_graphql_requests_total{operation="Regions",outcome="ok"}' in metrics.text
    assert '{operation="NamedInDocument",outcome="ok"}' in metrics.text


def deep_query(levels: int) -> str:
    opening = "{ kecamatan { kelurahan " + "{ kecamatan { kelurahan " * (levels // 2)
    return opening + "{ code }" + " } }" * (levels // 2) + " } }"


PRICE_VARIABLE = 'mutation($price: Rupiah!) { updateProduct(id: "x", input: {price: $price}) { product { id } } }'


def price_literal(value: str) -> str:
    return (
        f'mutation {{ updateProduct(id: "x", input: {{price: {value}}}) {{ product {{ id }} }} }}'
    )


HOSTILE = [
    ("depth 100", {"json": {"query": deep_query(100)}}, 200, "QUERY_TOO_COMPLEX"),
    (
        "10,000 aliases",
        {"json": {"query": "{ " + " ".join(f"a{i}: __typename" for i in range(10_000)) + " }"}},
        200,
        "QUERY_TOO_COMPLEX",
    ),
    (
        "40 aliases",
        {"json": {"query": "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"}},
        200,
        "QUERY_TOO_COMPLEX",
    ),
    (
        "1 MB document",
        {"json": {"query": "{ __typename " + " " * 1_048_576 + "}"}},
        413,
        "QUERY_TOO_COMPLEX",
    ),
    ("batch array", {"json": [{"query": "{ __typename }"}] * 3}, 200, "BAD_USER_INPUT"),
    (
        "malformed JSON",
        {"content": b'{"query": "{', "headers": {"content-type": "application/json"}},
        400,
        "BAD_USER_INPUT",
    ),
    (
        "wrong content type",
        {"content": b"query=%7B__typename%7D", "headers": {"content-type": "text/plain"}},
        415,
        "BAD_USER_INPUT",
    ),
    (
        "variables not an object",
        {"json": {"query": "{ __typename }", "variables": "[]"}},
        200,
        "BAD_USER_INPUT",
    ),
    (
        "id as a float",
        {"json": {"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": 1.5}}},
        200,
        "BAD_USER_INPUT",
    ),
    (
        "rupiah as a float",
        {"json": {"query": PRICE_VARIABLE, "variables": {"price": 1500.5}}},
        200,
        "BAD_USER_INPUT",
    ),
    (
        "rupiah beyond 2^53",
        {"json": {"query": price_literal("9007199254741001")}},
        200,
        "BAD_USER_INPUT",
    ),
    ("rupiah as a string", {"json": {"query": price_literal('"15000"')}}, 200, "BAD_USER_INPUT"),
]


@pytest.mark.parametrize(
    ("name", "request_kwargs", "status", "code"), HOSTILE, ids=[h[0] for h in HOSTILE]
)
async def test_hostile_request_is_refused_quickly(client, name, request_kwargs, status, code):
    started = time.perf_counter()
    response = await client.post("/graphql", **request_kwargs)
    elapsed = time.perf_counter() - started
    assert response.status_code == status
    body = response.json()
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == code
    assert "Traceback" not in response.text
    assert elapsed < 2, f"{name} took {elapsed:.2f}s"
    still_serving = await client.post("/graphql", json={"query": "{ __typename }"})
    assert still_serving.json() == {
        "data": {"__typename": "Query"},
        "extensions": {"cost": {"requested": 1, "maximum": 5000}},
    }


async def test_multipart_without_preflight_header_is_refused(client):
    operations = json.dumps({"query": "{ __typename }", "variables": {}})
    response = await client.post(
        "/graphql", data={"operations": operations, "map": "{}"}, files={"x": ("a.txt", b"x")}
    )
    assert response.json()["errors"][0]["message"].startswith("Unggahan butuh header")


async def test_rate_limit_answers_429_rate_limited(live, database_url, tmp_path):
    settings = make_settings(database_url, tmp_path / "media", RATE_LIMIT_PER_MINUTE="3")
    async with LiveServer(settings, lifespan="off") as server:
        import httpx

        async with httpx.AsyncClient(base_url=server.url) as http:
            statuses = []
            for _ in range(5):
                response = await http.post("/graphql", json={"query": "{ __typename }"})
                statuses.append(response.status_code)
            assert statuses[-1] == 429
            assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
            assert int(response.headers["retry-after"]) > 0
