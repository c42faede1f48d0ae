"""The API behind PgBouncer in transaction mode: asyncpg keeps no named prepared statements
(`?statement_cache_size=0` in DATABASE_URL, which Tortoise passes to asyncpg), so statements
of many clients can share the few server connections the pooler has."""

import asyncio
import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

import httpx
import pytest

from tests.conftest import GraphQL, free_port, sign_up
from tests.server.helpers import ServerProcess

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
HAS_PGBOUNCER = os.path.exists(PGBOUNCER)

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_POSTGRES_URL"), reason="needs the PostgreSQL run (TEST_POSTGRES_URL)"
)


@contextlib.asynccontextmanager
async def pgbouncer(database_url: str):
    """PgBouncer on a port of its own, in transaction mode with two server connections."""
    assert HAS_PGBOUNCER, "PgBouncer is missing: apt-get install pgbouncer"
    with tempfile.TemporaryDirectory() as folder:
        async with _pgbouncer(Path(folder), database_url) as url:
            yield url


@contextlib.asynccontextmanager
async def _pgbouncer(tmp_path: Path, database_url: str):
    upstream = urlsplit(database_url)
    port = free_port()
    _configure(tmp_path, upstream, port)
    user = ["-u", "postgres"] if os.geteuid() == 0 else []
    process = await asyncio.create_subprocess_exec(
        PGBOUNCER, *user, str(tmp_path / "pgbouncer.ini")
    )
    try:
        for _ in range(100):
            assert process.returncode is None, "PgBouncer did not start"
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            await asyncio.sleep(0.05)
        netloc = f"{upstream.username}@127.0.0.1:{port}"
        yield f"postgres://{netloc}{upstream.path}?statement_cache_size=0"
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


def _configure(folder: Path, upstream: SplitResult, port: int) -> None:
    folder.chmod(0o755)  # PgBouncer refuses to run as root: it drops to postgres
    (folder / "users.txt").write_text(f'"{upstream.username}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={upstream.hostname} port={upstream.port or 5432}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder / 'users.txt'}\n"
        "pool_mode = transaction\ndefault_pool_size = 2\nmax_client_conn = 200\n"
    )


async def test_the_api_works_through_pgbouncer_in_transaction_mode(live, tmp_path):
    async with (
        pgbouncer(live.settings.database_url) as through_pooler,
        ServerProcess(live, tmp_path / "api", DATABASE_URL=through_pooler) as api,
        httpx.AsyncClient(base_url=api.url, timeout=60) as http,
    ):
        gql = GraphQL(http)
        # Many clients at once, each a transaction (sign-up) then reads, over two connections.
        accounts = await asyncio.gather(*(sign_up(gql, f"Warga {i}") for i in range(12)))
        tokens = [account["token"] for account in accounts]
        answers = await asyncio.gather(
            *(gql("query { me { name } }", token=token) for token in tokens for _ in range(3))
        )
        names = sorted({answer["data"]["me"]["name"] for answer in answers})
        assert names == sorted(f"Warga {i}" for i in range(12))
        assert all("errors" not in answer for answer in answers)
        health = await http.get("/healthz")
        assert health.json()["checks"]["database"] == "ok"
