"""`satupintu serve` stopping (SIGTERM, as systemd, Docker and the topology's script stop it):
a request in flight is answered in full, and WebSockets are closed with 1012 (service restart),
the code on which clients reconnect, to another host behind the load balancer."""

import asyncio
import json
import logging
import os
import signal
import sys

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import TEST_SECRET, LiveServer, free_port, make_settings
from tests.server.helpers import open_socket

BODY = json.dumps({"query": "{ categories { slug } }"}).encode()


@pytest.fixture
async def serving(live, tmp_path):
    """`satupintu serve` in a process of its own, on the tests' database."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": live.settings.database_url,
        "SECRET_KEY": TEST_SECRET,
        "SATUPINTU_VAR_DIR": str(tmp_path),
        "REDIS_KEY_PREFIX": live.settings.redis_key_prefix,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", "serve", "--port", str(port), env=env,
        stdout=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            try:
                if (await http.get(f"{url}/healthz")).status_code == 200:
                    break
            except httpx.HTTPError:
                await asyncio.sleep(0.05)
    yield process, port
    if process.returncode is None:
        process.kill()
    await process.wait()


async def test_a_request_in_flight_is_answered_after_sigterm(serving):
    process, port = serving
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"POST /graphql HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
        + BODY[:10]
    )
    await writer.drain()
    await asyncio.sleep(0.3)  # the request has begun
    process.send_signal(signal.SIGTERM)
    await asyncio.sleep(0.5)
    writer.write(BODY[10:])
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    assert b"connection: close" in head.lower()
    assert "categories" in json.loads(body)["data"]
    assert await stopped(process)


async def test_websockets_are_closed_with_service_restart(serving):
    process, port = serving
    socket = await open_socket(_At(port), {})
    assert json.loads(await socket.recv())["type"] == "connection_ack"
    process.send_signal(signal.SIGTERM)
    with pytest.raises(ConnectionClosed) as closed:
        await asyncio.wait_for(socket.recv(), 10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1012
    assert await stopped(process)


async def stopped(process) -> bool:
    """Whether the server stopped cleanly: uvicorn re-raises the signal once it has shut down."""
    return await asyncio.wait_for(process.wait(), 15) in (0, -signal.SIGTERM)


class _At:
    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"


async def test_the_tests_server_names_a_request_that_holds_its_shutdown(live, tmp_path, caplog):
    """A client that never finishes its request body keeps the request running past the
    shutdown; the tests' live server logs which one, then uvicorn cancels it."""
    settings = make_settings(live.settings.database_url, tmp_path / "media")
    server = LiveServer(settings, lifespan="off")
    await server.__aenter__()
    _, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(
        b"POST /graphql HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
        + BODY[:10]
    )
    await writer.drain()
    await asyncio.sleep(0.3)
    with caplog.at_level(logging.WARNING, logger="tests.conftest"):
        await asyncio.wait_for(server.__aexit__(None, None, None), 15)
    writer.close()
    held = "\n".join(r.getMessage() for r in caplog.records if r.name == "tests.conftest")
    assert "still open at shutdown: HttpToolsProtocol http /graphql" in held
    assert "still running at shutdown" in held
    assert "read_body" in held  # the app waits for the rest of the body
