"""GraphQL over HTTP conventions, and hostile requests refused without harm."""

import json

from tests.conftest import LiveServer, fresh_rate_window, make_settings

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


async def test_multipart_without_preflight_header_is_refused(client):
    operations = json.dumps({"query": "{ __typename }", "variables": {}})
    response = await client.post(
        "/graphql", data={"operations": operations, "map": "{}"}, files={"x": ("a.txt", b"x")}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("Unggahan butuh header")


async def test_rate_limit_answers_429_rate_limited(live, database_url, tmp_path, monkeypatch):
    settings = make_settings(database_url, tmp_path / "media", RATE_LIMIT_PER_MINUTE="3")
    async with LiveServer(settings, lifespan="off") as server:
        import httpx

        async with httpx.AsyncClient(base_url=server.url) as http:
            fresh_rate_window(monkeypatch)
            statuses = []
            for _ in range(5):
                response = await http.post("/graphql", json={"query": "{ __typename }"})
                statuses.append(response.status_code)
            assert statuses[-1] == 429
            assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
            wait = int(response.headers["retry-after"])
            assert 0 < wait <= 60
            assert f"dalam {wait} detik" in response.json()["errors"][0]["message"]
