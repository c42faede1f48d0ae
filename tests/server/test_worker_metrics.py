"""With several workers, /metrics counts the requests of all of them (PostgreSQL only: SQLite
serves one worker)."""

import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import TEST_SECRET, free_port

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_POSTGRES_URL"), reason="several workers need PostgreSQL"
)
REQUESTS = 40


def start_server(database_url: str, var_dir: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "SATUPINTU_VAR_DIR": var_dir,
           "SECRET_KEY": TEST_SECRET, "RATE_LIMIT_PER_MINUTE": "100000"}  # fmt: skip
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [sys.executable, "-m", "server.cli", "serve", "--workers", "2", "--port", str(port)]
    # A session of its own, so that stopping it stops its workers too.
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 90  # two workers importing the app on a loaded machine
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    stop(server)
    raise AssertionError(server.communicate()[1].decode()[-2000:])


def stop(server: subprocess.Popen) -> None:
    """The supervisor and its workers; killed if they do not stop in time."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def probe_count(metrics: str) -> float:
    found = re.search(
        r'^satupintu_graphql_requests_total\{operation="Probe",outcome="ok"\} (\S+)$',
        metrics,
        re.MULTILINE,
    )
    return float(found.group(1)) if found else 0.0


def test_metrics_add_up_over_two_workers(database_url, tmp_path):
    port = free_port()
    server = start_server(database_url, str(tmp_path), port)
    try:
        for _ in range(REQUESTS):  # a new connection each, so both workers take some
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
                client.post("/graphql", json={"query": "query Probe { __typename }"})
        scrapes = []
        for _ in range(4):
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
                scrapes.append(probe_count(client.get("/metrics").text))
    finally:
        stop(server)
    assert scrapes == [REQUESTS] * 4
