"""Test fixtures: a database per worker (a copy of the run's migrated template), and the real app served by uvicorn on loopback;
what the tests of every domain share (sign_up, city_admin, contract, the books check), and
moto's S3 server.

SQLite by default. With TEST_POSTGRES_URL (a server URL, e.g. postgres://postgres@127.0.0.1:5432)
each worker gets its own database there; with REDIS_URL, events and rate limits use Redis.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypedDict

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse, print_ast
from tortoise import Tortoise

from fakes.loopback import free_port
from media.s3 import S3Storage
from models.platform import CLOCK_ROW, ClockOffset, ClockSweep
from models.platform.accounts import User
from resolvers.cooperatives.books import audit
from resolvers.platform import accounts
from schema.execution import CONTRACT_DIR
from server import rate_limit
from server.app import BACKGROUND, create_app
from server.rate_limit import WINDOW_SECONDS
from server.settings import Settings
from tests.databases import Databases

log = logging.getLogger(__name__)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "seeds_demo: fills the shared database with the demo")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that seed the demo (104 shops, 800 products) into the shared database run
    after all others: the search tests judge rankings and suggestions over products of their
    own, which the demo's would crowd out."""
    items.sort(key=lambda item: item.get_closest_marker("seeds_demo") is not None)


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """The tests' own server hashes passwords at argon2's lowest cost: at the production cost
    a sign-up takes half a second of a busy 2-core machine, and the suite signs up thousands.
    tests/platform/test_password_cost.py checks the app's own cost, in a process of its own."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_hasher", cheap)
        patch.setattr(accounts, "_DUMMY_HASH", cheap.hash(uuid.uuid4().hex))
        yield


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Databases:
    """New migrated databases, copies of the run's template (tests/databases.py)."""
    return Databases.of_run(tmp_path_factory)


@pytest.fixture(scope="session")
async def database_url(databases: Databases) -> AsyncIterator[str]:
    async with databases.fresh() as url:
        try:
            yield url
        finally:
            await Tortoise.close_connections()


# At least 32 bytes, as the settings require of any secret given to them.
TEST_SECRET = "test-secret-of-at-least-thirty-two-bytes"


def make_settings(database_url: str, media_root: Path, **overrides: Any) -> Settings:
    env = {
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "SECRET_KEY": TEST_SECRET,
        "RATE_LIMIT_PER_MINUTE": "100000",
        "AUTH_FAILURES_PER_MINUTE": "100000",
        # The server's own sweep would race the tests that expire orders on purpose.
        "ORDER_EXPIRY_INTERVAL": "86400",
        # And the auto-debit's would pay bills the auto-debit tests' own runs are to pay.
        "AUTO_DEBIT_INTERVAL": "86400",
        # The tests send the outbox themselves, through notifiers that count.
        "OUTBOX_INTERVAL": "86400",
        "SATUPINTU_VAR_DIR": str(media_root.parent),
        # The tests' database keeps every test's pending rows: a test's re-check sweep asks
        # about all of them in one run (tests/payouts/test_sweep_batches.py sets its own).
        "RECHECK_BATCH_SIZE": "1000000",
        # Counters and channels of their own in a Redis that others use too.
        "REDIS_KEY_PREFIX": f"satupintu-test-{uuid.uuid4().hex[:10]}:",
    }
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    env.update(overrides)
    return Settings.from_env(env)


class LiveServer:
    """The real app on a real socket; `url` is its base URL."""

    def __init__(
        self,
        settings: Settings,
        *,
        lifespan: Literal["auto", "on", "off"] = "on",
        caches: bool = True,
    ) -> None:
        # A second server in the same process must leave the ORM to the first: its
        # shutdown would close the connections the first one still uses.
        self.settings = settings
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings, caches=caches),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan=lifespan,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            # As `satupintu serve`: a request still running at the end is cancelled (uvicorn
            # logs it) rather than waited for without end.
            timeout_graceful_shutdown=5,
        )
        self.server = uvicorn.Server(config)
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LiveServer:
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.02)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.should_exit = True
        if self.task:
            done, _ = await asyncio.wait([self.task], timeout=3)
            if not done:
                self._name_what_keeps_running()
            await self.task

    def _name_what_keeps_running(self) -> None:
        """Logs each connection and request still open 3 s into the shutdown, with where its
        task waits: what uvicorn will cancel once its grace runs out."""
        state = self.server.server_state
        for connection in state.connections:
            cycle = getattr(connection, "cycle", None)
            scope = getattr(connection, "scope", None) or getattr(cycle, "scope", {})
            log.warning("still open at shutdown: %s %s %s", type(connection).__name__,
                        scope.get("type"), scope.get("path"))  # fmt: skip
        for task in state.tasks:
            log.warning("still running at shutdown: %s%s", task.get_name(), _awaiting(task))


def _awaiting(task: asyncio.Task[Any]) -> str:
    """Where a suspended task waits: each coroutine along its chain of awaits."""
    lines: list[str] = []
    step: Any = task.get_coro()
    while step is not None:
        frame = getattr(step, "cr_frame", None) or getattr(step, "ag_frame", None)
        if frame is not None:
            lines.append(f"\n  {frame.f_code.co_filename}:{frame.f_lineno} {frame.f_code.co_name}")
        step = getattr(step, "cr_await", None) or getattr(step, "ag_await", None)
    return "".join(lines)


@pytest.fixture(scope="session")
async def live(database_url: str, tmp_path_factory: pytest.TempPathFactory):
    media = tmp_path_factory.mktemp("var") / "media"
    async with LiveServer(make_settings(database_url, media)) as server:
        yield server


@pytest.fixture
async def sandbox(
    live: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[LiveServer]:
    """A sandbox on the tests' database: a second server with TEST_CLOCK on (`live` keeps the
    real clock). Afterwards the clock is back at the real time and no day counts as swept, so
    no test sees another's clock."""
    media = tmp_path_factory.mktemp("sandbox") / "media"
    settings = make_settings(live.settings.database_url, media, TEST_CLOCK="on")
    try:
        async with LiveServer(settings, lifespan="off") as server:
            yield server
    finally:
        await reset_test_clock()


async def reset_test_clock() -> None:
    """The test clock back at the real time (only tests move it back), no day swept."""
    await ClockOffset.filter(id=CLOCK_ROW).update(offset_days=0, lease=None, leased_until=None)
    await ClockSweep.all().delete()


@pytest.fixture
async def client(live: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
        yield http


class GraphQL:
    """Posts operations the way a client would; `token` signs them in."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=sent
        )
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQL:
    return GraphQL(client)


REGISTER = """
mutation Register($input: RegisterInput!) {
  register(input: $input) { token user { id name email phone } errors { field code message } }
}"""


async def sign_up(gql: GraphQL, name: str = "Warga Uji", **extra: Any) -> dict[str, Any]:
    """A new account with a unique email; returns `register`'s payload."""
    email = extra.pop("email", f"u{uuid.uuid4().hex[:12]}@contoh.id")
    body = {"name": name, "email": email, "password": "rahasia123", **extra}
    result = await gql(REGISTER, {"input": body})
    payload = result["data"]["register"]
    assert payload["errors"] == [], payload
    return payload


async def city_admin(gql: GraphQL) -> dict[str, Any]:
    """A new account of the Dinas (CITY_ADMIN); returns `register`'s payload."""
    admin = await sign_up(gql, "Petugas Dinas")
    await User.filter(email=admin["user"]["email"]).update(is_city_admin=True)
    return admin


@cache
@cache
def contract(name: str) -> str:
    """The operation `name` exactly as the contract writes it, with the fragments it uses."""
    for path in CONTRACT_DIR.glob("*.graphql"):
        document = parse(path.read_text())
        for definition in document.definitions:
            if (
                isinstance(definition, OperationDefinitionNode)
                and definition.name is not None
                and definition.name.value == name
            ):
                text = print_ast(definition)
                fragments = [
                    d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
                ]
                used = [print_ast(f) for f in fragments if f"...{f.name.value}" in text]
                return "\n".join([text, *used])
    raise KeyError(name)


async def assert_books_balance() -> None:
    """The journal invariant: every entry balanced, every savings balance the sum of its
    lines and never negative."""
    assert await audit() == []


@pytest.fixture
async def books_balance(live: LiveServer) -> AsyncIterator[None]:
    """Ends the test with the cooperatives' books as they must always be. The cooperative,
    loan, bill, SHU and cooperative-health test modules name it in their `pytestmark`."""
    yield
    await assert_books_balance()


class _ClockAhead:
    """The `time` module, its `time()` `ahead` seconds later."""

    def __init__(self, ahead: float) -> None:
        self.ahead = ahead

    def time(self) -> float:
        return time.time() + self.ahead

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


def fresh_rate_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new rate-limit window begins now, for the rest of the test: the limiters' clock
    (server/rate_limit.py's) is moved on to the next window's start, so a test that counts
    requests against a limit does not see the count reset halfway, and waits for nothing."""
    ahead = WINDOW_SECONDS - time.time() % WINDOW_SECONDS + 0.05
    monkeypatch.setattr(rate_limit, "time", _ClockAhead(ahead))


class StatementCounter(logging.Handler):
    """Counts the SQL statements Tortoise sends while it is installed, but the server's
    background sweeps' (they run whenever they are due, also while a test counts)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []
        self.bound: list[tuple[str, Any]] = []  # (SQL, values) of those logged with values

    def emit(self, record: logging.LogRecord) -> None:
        try:
            task = asyncio.current_task()
        except RuntimeError:  # logged outside an event loop
            task = None
        if task is not None and task.get_name().startswith(BACKGROUND):
            return
        message = record.getMessage()
        if message.lstrip().split(" ", 1)[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            self.statements.append(message)
            if isinstance(record.args, tuple) and len(record.args) == 2:
                self.bound.append((str(record.args[0]), record.args[1]))

    def __enter__(self) -> StatementCounter:
        logger = logging.getLogger("tortoise.db_client")
        self._level = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logger = logging.getLogger("tortoise.db_client")
        logger.removeHandler(self)
        logger.setLevel(self._level)


# S3 is moto's server, for the media tests and the outage tests alike.
class Credentials(TypedDict):
    access_key_id: str
    secret_access_key: str


CREDENTIALS = Credentials(access_key_id="testing", secret_access_key="testing")


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(endpoint, process, log)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(endpoint: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"moto server exited: {log.read_text()}")
        try:
            httpx.get(f"{endpoint}/moto-api/", timeout=1, trust_env=False)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"moto server did not answer on {endpoint}: {log.read_text()}")


@pytest.fixture
async def bucket(moto_endpoint: str) -> str:
    name = f"media-{uuid.uuid4().hex[:12]}"
    await S3Storage(name, endpoint_url=moto_endpoint, **CREDENTIALS).ensure_bucket()
    return name
