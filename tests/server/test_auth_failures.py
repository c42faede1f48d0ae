"""Failed authentications, from both sides: a credential that does not sign in is 401 with
its reason; guesses are limited per address and per account tried, while requests without
credentials and other people's valid tokens from the same address go on."""

from datetime import timedelta

from models.platform.accounts import AuthToken
from resolvers.platform.clock import now
from resolvers.platform.sessions import digest
from tests.conftest import fresh_rate_window, sign_up
from tests.server.test_limits import LOGIN, limited_client, post

ME = "{ me { email } }"
CREATE_KEY_WITH_ID = "mutation($name: String!) { createApiKey(name: $name) { key apiKey { id } } }"
REVOKE_KEY = "mutation($id: ID!) { revokeApiKey(id: $id) { ok errors { code } } }"


def reason_of(response) -> tuple[int, str, str | None]:
    extensions = response.json()["errors"][0]["extensions"]
    return response.status_code, extensions["code"], extensions.get("reason")


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def login(email: str, password: str = "rahasia123") -> dict[str, str]:
    return {"email": email, "password": password}


async def test_a_credential_that_does_not_sign_in_says_why(gql, client):
    user = await sign_up(gql)
    assert (await post(client, ME, **bearer(user["token"]))).status_code == 200
    assert reason_of(await post(client, ME, **bearer("tebakan"))) == (
        401, "UNAUTHENTICATED", "TOKEN_INVALID",
    )  # fmt: skip
    malformed = await post(client, ME, authorization=f"Token {user['token']}")
    assert reason_of(malformed) == (401, "UNAUTHENTICATED", "TOKEN_INVALID")

    old = now() - timedelta(days=365)
    await AuthToken.filter(digest=digest(user["token"])).update(created_at=old, last_used_at=old)
    expired = await post(client, ME, **bearer(user["token"]))
    assert reason_of(expired) == (401, "UNAUTHENTICATED", "TOKEN_EXPIRED")
    assert "berakhir" in expired.json()["errors"][0]["message"]

    other = await sign_up(gql)
    await gql("mutation { logout { ok } }", token=other["token"])
    revoked = await post(client, ME, **bearer(other["token"]))
    assert reason_of(revoked) == (401, "UNAUTHENTICATED", "TOKEN_REVOKED")


async def test_an_api_key_that_does_not_sign_in_says_why(gql, client):
    owner = await sign_up(gql)
    made = await gql(CREATE_KEY_WITH_ID, {"name": "kampus"}, token=owner["token"])
    key, key_id = made["data"]["createApiKey"]["key"], made["data"]["createApiKey"]["apiKey"]["id"]
    assert (await post(client, "{ __typename }", **{"x-api-key": key})).status_code == 200
    unknown = await post(client, "{ __typename }", **{"x-api-key": "sp_palsu"})
    assert reason_of(unknown) == (401, "UNAUTHENTICATED", "TOKEN_INVALID")
    revoked = await gql(REVOKE_KEY, {"id": key_id}, token=owner["token"])
    assert revoked["data"]["revokeApiKey"]["errors"] == []
    refused = await post(client, "{ __typename }", **{"x-api-key": key})
    assert reason_of(refused) == (401, "UNAUTHENTICATED", "TOKEN_REVOKED")


async def test_one_address_guessing_does_not_lock_out_others(
    gql, database_url, tmp_path, monkeypatch
):
    """Past the limit only the address's further guesses (and sign-ins) are refused, with a
    message that says why; its anonymous reads and valid tokens go on, and other addresses
    are not touched."""
    victim = await sign_up(gql)
    neighbour = await sign_up(gql)  # behind the same campus NAT
    nat = {"x-forwarded-for": "198.51.100.7"}
    async with limited_client(database_url, tmp_path, AUTH_FAILURES_PER_MINUTE="3") as http:
        fresh_rate_window(monkeypatch)
        for _ in range(10):  # requests without credentials never count
            assert (await post(http, "{ __typename }", **nat)).status_code == 200
        guesses = [
            (await post(http, ME, **nat, **bearer(f"tebakan{n}"))).status_code for n in range(3)
        ]
        refused = await post(http, ME, **nat, **{"x-api-key": "sp_tebakan"})
        anonymous = await post(http, "{ __typename }", **nat)
        valid = await post(http, ME, **nat, **bearer(neighbour["token"]))
        signing_in = await post(http, LOGIN, login(victim["user"]["email"]), **nat)
        elsewhere = await post(http, ME, **bearer("tebakan"), **{"x-forwarded-for": "192.0.2.1"})
        elsewhere_login = await post(
            http, LOGIN, login(victim["user"]["email"]), **{"x-forwarded-for": "192.0.2.1"}
        )
    assert guesses == [401, 401, 401]
    assert reason_of(refused)[:2] == (429, "RATE_LIMITED")
    message = refused.json()["errors"][0]["message"]
    assert "percobaan masuk yang gagal" in message
    assert f"dalam {refused.headers['retry-after']} detik" in message
    assert anonymous.status_code == 200
    assert valid.json()["data"]["me"]["email"] == neighbour["user"]["email"]
    answer = signing_in.json()["data"]["login"]
    assert answer["token"] is None
    assert answer["errors"][0]["code"] == "LIMIT_EXCEEDED"
    assert "percobaan masuk yang gagal" in answer["errors"][0]["message"]
    assert reason_of(elsewhere) == (401, "UNAUTHENTICATED", "TOKEN_INVALID")
    assert elsewhere_login.json()["data"]["login"]["token"]


async def test_stale_sessions_are_not_counted_as_guesses(gql, database_url, tmp_path, monkeypatch):
    """Many stale tokens behind one address (every student's old session) are each told to
    sign in again, never turned into a lock-out."""
    stale = await sign_up(gql)
    await gql("mutation { logout { ok } }", token=stale["token"])
    async with limited_client(database_url, tmp_path, AUTH_FAILURES_PER_MINUTE="2") as http:
        fresh_rate_window(monkeypatch)
        answers = [reason_of(await post(http, ME, **bearer(stale["token"]))) for _ in range(5)]
        guess = await post(http, ME, **bearer("tebakan"))
    assert answers == [(401, "UNAUTHENTICATED", "TOKEN_REVOKED")] * 5
    assert guess.status_code == 401  # the first guess: nothing counted before it


async def test_one_account_tried_from_many_addresses_is_limited(
    gql, database_url, tmp_path, monkeypatch
):
    victim = await sign_up(gql)
    email = victim["user"]["email"]
    async with limited_client(database_url, tmp_path, AUTH_FAILURES_PER_MINUTE="3") as http:
        fresh_rate_window(monkeypatch)
        codes = []
        for n in range(4):  # fewer than the account's free wrong passwords
            spread = {"x-forwarded-for": f"203.0.113.{n + 1}"}
            answer = await post(http, LOGIN, login(email, f"tebakan{n}"), **spread)
            codes.append(answer.json()["data"]["login"]["errors"][0]["code"])
        fresh = {"x-forwarded-for": "203.0.113.99"}
        right = (await post(http, LOGIN, login(email), **fresh)).json()["data"]["login"]
        other = await sign_up(gql)
        theirs = await post(http, LOGIN, login(other["user"]["email"]), **fresh)
    assert codes == ["INVALID"] * 3 + ["LIMIT_EXCEEDED"]
    assert right["token"] is None
    assert right["errors"][0]["code"] == "LIMIT_EXCEEDED"
    assert theirs.json()["data"]["login"]["token"]  # the addresses were not blocked


async def test_many_accounts_tried_from_one_address_are_limited(
    gql, database_url, tmp_path, monkeypatch
):
    accounts = [(await sign_up(gql))["user"]["email"] for _ in range(4)]
    spray = {"x-forwarded-for": "198.51.100.66"}
    async with limited_client(database_url, tmp_path, AUTH_FAILURES_PER_MINUTE="3") as http:
        fresh_rate_window(monkeypatch)
        codes = []
        for email in accounts:
            answer = await post(http, LOGIN, login(email, "salah-sekali"), **spray)
            codes.append(answer.json()["data"]["login"]["errors"][0]["code"])
        guess = await post(http, ME, **bearer("tebakan"), **spray)
        right = await post(http, LOGIN, login(accounts[0]), **{"x-forwarded-for": "192.0.2.9"})
    assert codes == ["INVALID"] * 3 + ["LIMIT_EXCEEDED"]
    assert reason_of(guess)[:2] == (429, "RATE_LIMITED")
    assert right.json()["data"]["login"]["token"]  # from elsewhere, the account is fine
