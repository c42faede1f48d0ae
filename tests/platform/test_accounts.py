"""accounts.graphql through HTTP: sign-up, login, logout, Me, API keys."""

from tests.conftest import REGISTER, sign_up

LOGIN = """
mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { token user { id name roles } errors { field code message } }
}"""
ME = "query { me { id name email phone roles } }"
LOGOUT = "mutation { logout { ok } }"
CREATE_KEY = """
mutation CreateApiKey($name: String!) {
  createApiKey(name: $name) { key apiKey { id name createdAt } errors { field code message } }
}"""
REVOKE_KEY = "mutation($id: ID!) { revokeApiKey(id: $id) { ok errors { field code message } } }"


async def test_register_normalises_phone_and_signs_in(gql):
    payload = await sign_up(gql, "Siti Aminah", phone="0812-3456-7890")
    assert payload["user"]["phone"] == "+6281234567890"
    me = await gql(ME, token=payload["token"])
    assert me["data"]["me"]["name"] == "Siti Aminah"
    assert me["data"]["me"]["roles"] == ["BUYER"]


async def test_me_is_null_when_not_signed_in(gql):
    assert (await gql(ME))["data"]["me"] is None


async def test_register_reports_every_bad_field(gql):
    bad = {"name": " ", "email": "bukan-email", "password": "pendek", "phone": "12345"}
    payload = (await gql(REGISTER, {"input": bad}))["data"]["register"]
    assert payload["token"] is None
    codes = {(e["field"], e["code"]) for e in payload["errors"]}
    assert codes == {
        ("name", "REQUIRED"),
        ("email", "INVALID"),
        ("password", "INVALID"),
        ("phone", "INVALID"),
    }
    assert all(e["message"] for e in payload["errors"])


async def test_duplicate_email_is_refused_case_insensitively(gql):
    first = await sign_up(gql)
    again = {"name": "X", "email": first["user"]["email"].upper(), "password": "rahasia123"}
    payload = (await gql(REGISTER, {"input": again}))["data"]["register"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("email", "DUPLICATE")]


async def test_login_does_not_reveal_whether_the_email_exists(gql):
    user = await sign_up(gql)
    wrong_password = await gql(LOGIN, {"email": user["user"]["email"], "password": "salah12345"})
    unknown_email = await gql(LOGIN, {"email": "tidak.ada@contoh.id", "password": "salah12345"})
    assert wrong_password["data"]["login"]["errors"] == unknown_email["data"]["login"]["errors"]
    assert wrong_password["data"]["login"]["token"] is None


async def test_login_then_logout_revokes_the_token(gql, client):
    user = await sign_up(gql)
    login = await gql(LOGIN, {"email": user["user"]["email"], "password": "rahasia123"})
    token = login["data"]["login"]["token"]
    assert login["data"]["login"]["user"]["roles"] == ["BUYER"]
    assert (await gql(LOGOUT, token=token))["data"]["logout"]["ok"] is True
    response = await client.post(
        "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_tokens_and_keys_are_stored_hashed(gql):
    from models.platform.accounts import ApiKey, AuthToken

    user = await sign_up(gql)
    created = (await gql(CREATE_KEY, {"name": "Kampus"}, token=user["token"]))["data"]
    key = created["createApiKey"]["key"]
    assert not await AuthToken.filter(digest=user["token"]).exists()
    assert not await ApiKey.filter(digest=key).exists()
    assert await ApiKey.filter(name="Kampus").exists()


async def test_api_key_is_shown_once_works_and_can_be_revoked(gql, client):
    user = await sign_up(gql)
    created = (await gql(CREATE_KEY, {"name": "Tim UNIS"}, token=user["token"]))["data"]
    key = created["createApiKey"]["key"]
    key_id = created["createApiKey"]["apiKey"]["id"]
    assert key.startswith("sp_")
    ok = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"X-Api-Key": key})
    assert ok.status_code == 200

    stranger = await sign_up(gql)
    denied = await gql(REVOKE_KEY, {"id": key_id}, token=stranger["token"])
    assert denied["data"]["revokeApiKey"]["errors"][0]["code"] == "NOT_FOUND"  # not probed

    revoked = await gql(REVOKE_KEY, {"id": key_id}, token=user["token"])
    assert revoked["data"]["revokeApiKey"] == {"ok": True, "errors": []}
    refused = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"X-Api-Key": key}
    )
    assert refused.status_code == 401


async def test_api_key_needs_a_signed_in_user(gql):
    payload = (await gql(CREATE_KEY, {"name": "Anon"}))["data"]["createApiKey"]
    assert payload["key"] is None
    assert payload["errors"][0]["code"] == "UNAUTHENTICATED"


async def test_another_users_node_is_not_found(gql):
    alice = await sign_up(gql)
    bob = await sign_up(gql)
    query = "query($id: ID!) { node(id: $id) { id ... on User { email } } }"
    own = await gql(query, {"id": alice["user"]["id"]}, token=alice["token"])
    assert own["data"]["node"]["email"] == alice["user"]["email"]
    other = await gql(query, {"id": alice["user"]["id"]}, token=bob["token"])
    assert other["data"] == {"node": None}
    assert "errors" not in other
