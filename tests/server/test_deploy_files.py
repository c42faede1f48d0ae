"""The deployment files in deploy/ run, not only read: the nginx site before two live API
hosts over HTTPS, HAProxy's and systemd's own checks of theirs, and compose.yaml and the
Dockerfile held to the settings and commands the app reads. Rendering only puts this machine's
addresses, ports and paths in place of the production ones; every directive tested is the
file's own."""

import asyncio
import contextlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tomllib
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from websockets.asyncio.client import connect

from server.cli import _parser
from server.settings import Settings
from tests.conftest import LiveServer, free_port
from topology.deployed import DEPLOY, rendered

ROOT = Path(__file__).resolve().parents[2]
SBIN = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
CATEGORIES = "{ categories { slug } }"
JSON = {"Content-Type": "application/json"}


def binary(name: str) -> str:
    """The path of a tool the check needs; the check is skipped where it is not installed."""
    found = shutil.which(name, path=SBIN)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


@dataclass
class Site:
    """A balancer before two hosts (`live` first), and its own log."""

    url: str
    tls: ssl.SSLContext
    hosts: tuple[LiveServer, LiveServer]
    log: Path


@pytest.fixture
async def site(live: LiveServer, tmp_path: Path) -> AsyncIterator[Site]:
    """deploy/nginx/satupintu.conf in a foreground nginx, before `live` and a second host."""
    nginx = binary("nginx")
    cert, key = self_signed(tmp_path)
    port = free_port()
    async with LiveServer(live.settings, lifespan="off") as second:
        site = rendered(
            (DEPLOY / "nginx" / "satupintu.conf").read_text(),
            {
                "server 10.0.0.11:8000 ": f"server 127.0.0.1:{live.port} ",
                "server 10.0.0.12:8000 ": f"server 127.0.0.1:{second.port} ",
                "listen 443 ": f"listen 127.0.0.1:{port} ",
                "/etc/ssl/satupintu/fullchain.pem": str(cert),
                "/etc/ssl/satupintu/privkey.pem": str(key),
            },
        )
        (tmp_path / "site.conf").write_text(site)
        (tmp_path / "nginx.conf").write_text(main_config(tmp_path))
        process = await asyncio.create_subprocess_exec(
            nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
            "-e", str(tmp_path / "error.log"), "-g", "daemon off;",
        )  # fmt: skip
        try:
            await listening(port, process, tmp_path / "error.log")
            tls = ssl.create_default_context(cafile=str(cert))
            yield Site(f"https://127.0.0.1:{port}", tls, (live, second), tmp_path / "access.log")
        finally:
            process.send_signal(signal.SIGQUIT)  # nginx's graceful stop
            await asyncio.wait_for(process.wait(), 10)


def self_signed(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    subprocess.run(
        [binary("openssl"), "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def main_config(directory: Path) -> str:
    """The nginx.conf around the site, as Debian's includes sites-enabled: everything in the
    test's directory, and an access log of each request's id to compare with the API's."""
    temp_paths = "".join(
        f"  {kind}_temp_path {directory / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, nginx's workers would run as `nobody`, who cannot enter pytest's directories.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}pid {directory / 'nginx.pid'};\nworker_processes 1;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "  log_format ids '$request_method $uri $status $request_id';\n"
        f"  access_log {directory / 'access.log'} ids;\n"
        f"{temp_paths}"
        f"  include {directory / 'site.conf'};\n"
        "}\n"
    )


async def listening(port: int, process: asyncio.subprocess.Process, error_log: Path) -> None:
    for _ in range(200):
        if process.returncode is not None:
            raise AssertionError(f"exited: {text(error_log)}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise AssertionError(f"does not listen: {text(error_log)}")


def text(path: Path) -> str:
    return path.read_text() if path.exists() else ""


async def test_a_graphql_post_is_answered_through_nginx_over_https(site: Site) -> None:
    async with httpx.AsyncClient(base_url=site.url, verify=site.tls) as client:
        answer = await client.post("/graphql", json={"query": CATEGORIES})
    assert answer.status_code == 200
    assert "errors" not in answer.json()
    assert isinstance(answer.json()["data"]["categories"], list)


async def test_graphql_requests_keep_their_connections_to_the_hosts(site: Site) -> None:
    """The upstream's keepalive holds for /graphql too: a request that is no WebSocket does
    not close its connection to the host (each would otherwise open a new one)."""
    async with httpx.AsyncClient(base_url=site.url, verify=site.tls) as client:
        for _ in range(4):
            assert (await client.post("/graphql", json={"query": CATEGORIES})).status_code == 200
    await asyncio.sleep(0.3)  # a closed connection has left its server's list by now
    assert all(host.server.server_state.connections for host in site.hosts)


async def test_the_request_id_nginx_sets_reaches_the_api_and_its_error_answer(site: Site) -> None:
    async with httpx.AsyncClient(base_url=site.url, verify=site.tls) as client:
        answer = await client.post(
            "/graphql",
            content=b"{",
            headers={**JSON, "X-Request-ID": "chosen-by-the-client"},
        )
    assert answer.status_code == 400
    [error] = answer.json()["errors"]
    request_id = answer.headers["x-request-id"]
    assert error["extensions"]["requestId"] == request_id
    # The site sets its own id (a client's is not trusted); it is the one nginx logged.
    assert request_id != "chosen-by-the-client"
    assert await logged(site.log) == ["POST", "/graphql", "400", request_id]


async def logged(log: Path) -> list[str]:
    """nginx's line for the one request, once written (after the answer is sent)."""
    for _ in range(100):
        if (line := text(log)).endswith("\n"):
            return line.split()
        await asyncio.sleep(0.02)
    raise AssertionError("nginx logged no request")


async def test_a_subscription_runs_over_a_websocket_through_nginx(site: Site) -> None:
    url = site.url.replace("https://", "wss://") + "/graphql"
    async with connect(url, subprotocols=["graphql-transport-ws"], ssl=site.tls) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
        await socket.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": 'subscription { orderEvents(shopId: "1") { type } }'},
                }
            )
        )
        answer = json.loads(await asyncio.wait_for(socket.recv(), 10))
    # The subscription ran on a host, which looked for the shop.
    assert (answer["id"], answer["type"]) == ("1", "next"), answer
    assert [e["extensions"]["code"] for e in answer["payload"]["errors"]] == ["NOT_FOUND"]


async def test_metrics_are_denied_at_nginx(site: Site) -> None:
    async with httpx.AsyncClient(base_url=site.url, verify=site.tls) as client:
        assert (await client.get("/metrics")).status_code == 403
        direct = await client.get(f"{site.hosts[0].url}/metrics")
    assert direct.status_code == 200  # scraped on each host directly


async def test_reads_are_answered_with_one_host_stopped(site: Site) -> None:
    await reads_survive_a_stopped_host(site, httpx.AsyncClient(base_url=site.url, verify=site.tls))


async def reads_survive_a_stopped_host(site: Site, client: httpx.AsyncClient) -> None:
    """Both hosts take turns; once one stops, every GET is still answered by the other."""
    first, second = site.hosts
    served = first.server.server_state.total_requests, second.server.server_state.total_requests
    async with client:
        for _ in range(4):
            answer = await client.get("/graphql", params={"query": CATEGORIES})
            assert answer.status_code == 200, answer.text
        # Both hosts are in the site's upstream and take turns.
        assert first.server.server_state.total_requests > served[0]
        assert second.server.server_state.total_requests > served[1]
        await second.__aexit__(None, None, None)
        for _ in range(6):
            answer = await client.get("/graphql", params={"query": CATEGORIES})
            assert answer.status_code == 200, answer.text
            assert "errors" not in answer.json()


@pytest.fixture
async def balancer(live: LiveServer, tmp_path: Path) -> AsyncIterator[Site]:
    """deploy/haproxy.cfg in a foreground HAProxy, before `live` and a second host."""
    haproxy = binary("haproxy")
    port = free_port()
    async with LiveServer(live.settings, lifespan="off") as second:
        config = tmp_path / "haproxy.cfg"
        config.write_text(
            rendered(
                (DEPLOY / "haproxy.cfg").read_text(),
                {
                    "bind :8000\n": f"bind 127.0.0.1:{port}\n",
                    " api1:8000 ": f" 127.0.0.1:{live.port} ",
                    " api2:8000 ": f" 127.0.0.1:{second.port} ",
                },
            )
        )
        log = tmp_path / "haproxy.log"
        with log.open("w") as output:
            process = await asyncio.create_subprocess_exec(
                haproxy, "-db", "-f", str(config), stdout=output, stderr=output
            )
        try:
            await listening(port, process, log)
            yield Site(
                f"http://127.0.0.1:{port}", ssl.create_default_context(), (live, second), log
            )
        finally:
            process.terminate()
            await asyncio.wait_for(process.wait(), 10)


async def test_haproxy_sets_the_request_id_and_keeps_a_clients(balancer: Site) -> None:
    async with httpx.AsyncClient(base_url=balancer.url) as client:
        own = await client.post("/graphql", content=b"{", headers=JSON)
        given = await client.post(
            "/graphql", content=b"{", headers={**JSON, "X-Request-ID": "dari-klien-1"}
        )
    [error] = own.json()["errors"]
    assert error["extensions"]["requestId"] == own.headers["x-request-id"]
    assert re.match(r"^[0-9A-F]+-[0-9A-F]+-", own.headers["x-request-id"])  # unique-id-format
    assert given.json()["errors"][0]["extensions"]["requestId"] == "dari-klien-1"


async def test_haproxy_answers_reads_with_one_host_stopped(balancer: Site) -> None:
    await reads_survive_a_stopped_host(balancer, httpx.AsyncClient(base_url=balancer.url))


def test_haproxy_accepts_its_config(tmp_path: Path) -> None:
    haproxy = binary("haproxy")
    config = tmp_path / "haproxy.cfg"
    # compose's service names resolve only on its network; an address stands in for each.
    config.write_text(
        rendered(
            (DEPLOY / "haproxy.cfg").read_text(),
            {" api1:8000 ": " 127.0.0.1:8000 ", " api2:8000 ": " 127.0.0.1:8000 "},
        )
    )
    check = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "WARNING" not in check.stdout + check.stderr


A_RECORD = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x01\x00\x04"


class Names(asyncio.DatagramProtocol):
    """A DNS server on loopback that answers A queries from `addresses` (NXDOMAIN for a name
    it does not hold, an empty answer for other types): Docker's, as HAProxy sees it."""

    def __init__(self) -> None:
        self.addresses: dict[str, str] = {}
        self.transport: asyncio.DatagramTransport | None = None

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        labels, at = [], 12
        while length := data[at]:
            labels.append(data[at + 1 : at + 1 + length].decode())
            at += 1 + length
        question = data[12 : at + 5]
        qtype = int.from_bytes(data[at + 1 : at + 3])
        address = self.addresses.get(".".join(labels).lower())
        answers = b""
        if address and qtype == 1:  # the name (a pointer to the question's), A, IN, 1 s, 4 bytes
            answers = A_RECORD + socket.inet_aton(address)
        rcode = 0 if address else 3
        header = data[:2] + bytes([0x81, 0x80 | rcode]) + b"\x00\x01"
        header += (1 if answers else 0).to_bytes(2) + b"\x00\x00\x00\x00"
        assert self.transport is not None
        self.transport.sendto(header + question + answers, addr)


async def identity(request: Request) -> Response:
    return PlainTextResponse(request.scope["server"][0])


async def test_haproxy_in_compose_finds_a_host_at_its_new_address(tmp_path: Path) -> None:
    """compose's HAProxy starts before its hosts have addresses, and follows a host that comes
    back at another address, asking Docker's DNS (here one on loopback) again and again."""
    haproxy = binary("haproxy")
    loop = asyncio.get_running_loop()
    names = Names()
    transport, _ = await loop.create_datagram_endpoint(lambda: names, local_addr=("127.0.0.1", 0))
    names.transport = transport
    dns_port = transport.get_extra_info("sockname")[1]
    port, host_port = free_port(), free_port()
    config = tmp_path / "haproxy.cfg"
    config.write_text(
        rendered(
            (DEPLOY / "haproxy.cfg").read_text(),
            {
                "bind :8000\n": f"bind 127.0.0.1:{port}\n",
                "127.0.0.11:53": f"127.0.0.1:{dns_port}",
                " api1:8000 ": f" api1.test:{host_port} ",
                " api2:8000 ": f" api2.test:{host_port} ",
                "option httpchk GET /healthz": "option httpchk GET /",
            },
        )
    )
    log = tmp_path / "haproxy.log"
    with log.open("w") as output:
        process = await asyncio.create_subprocess_exec(
            haproxy, "-db", "-f", str(config), stdout=output, stderr=output
        )
    hosts = []
    try:
        # Neither host resolves yet: HAProxy starts all the same, and answers 503.
        await listening(port, process, log)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            assert (await client.get("/")).status_code == 503
            for address in ("127.0.0.2", "127.0.0.3"):
                names.addresses = {"api1.test": address, "api2.test": address}
                host = uvicorn.Server(uvicorn.Config(
                    Starlette(routes=[Route("/", identity)]), host=address, port=host_port,
                    log_level="warning", lifespan="off",
                ))  # fmt: skip
                hosts.append((host, asyncio.create_task(host.serve())))
                if len(hosts) == 2:  # the first host's container is gone
                    first, task = hosts[0]
                    first.should_exit = True
                    await task
                assert await answered_by(client, address), text(log)
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 10)
        for host, task in hosts:
            host.should_exit = True
            await task
        transport.close()


async def answered_by(client: httpx.AsyncClient, address: str, seconds: float = 20) -> bool:
    """Whether, within `seconds`, HAProxy sends the requests to the host at `address`."""
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            answer = await client.get("/")
            if answer.status_code == 200 and answer.text == address:
                return True
        await asyncio.sleep(0.2)
    return False


def test_systemd_verifies_the_units(tmp_path: Path) -> None:
    """systemd-analyze verify needs no running systemd: it reads the units, their
    dependencies (the migrations unit beside the API's) and their commands' executables."""
    analyze = binary("systemd-analyze")
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        # The package is installed in /opt/satupintu on a VM; here a real executable stands in.
        text = rendered(unit.read_text(), {"/opt/satupintu/bin/satupintu ": f"{sys.executable} "})
        (tmp_path / unit.name).write_text(text)
    units = sorted(str(path) for path in tmp_path.glob("*.service"))
    verify = subprocess.run([analyze, "verify", *units], capture_output=True, text=True)
    # Unknown keys and bad values are only warnings: any output is a finding.
    assert (verify.returncode, verify.stdout + verify.stderr) == (0, "")


class Reads(Mapping[str, str]):
    """An environment that notes every name the settings look up."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)
        self.names: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.names.add(name)
        return self.values[name]

    def __contains__(self, name: object) -> bool:
        self.names.add(str(name))
        return name in self.values

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def settings_read(values: Mapping[str, str]) -> tuple[Settings, set[str]]:
    environment = Reads(values)
    return Settings.from_env(environment), environment.names


def compose() -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def api_services(services: dict) -> dict[str, dict]:
    """The services built from the repository's Dockerfile: the API hosts."""
    return {name: service for name, service in services.items() if service.get("build")}


SECRETS = {
    "POSTGRES_PASSWORD": "kata-sandi-basis-data",
    "S3_ACCESS_KEY": "kunci-akses",
    "S3_SECRET_KEY": "kunci-rahasia-s3",
    "SECRET_KEY": "k" * 40,
}


def test_compose_gives_the_hosts_only_settings_the_app_reads() -> None:
    services = compose()["services"]
    hosts = api_services(services)
    assert sorted(hosts) == ["api1", "api2"]
    for name, service in hosts.items():
        given = {
            key: re.sub(r"\$\{(\w+)\}", lambda m: SECRETS[m.group(1)], str(value))
            for key, value in service["environment"].items()
        }
        settings, read = settings_read(given)
        assert sorted(set(given) - read) == [], f"{name} sets names the app never reads"
        assert settings.media_backend == "s3"
        assert settings.database_replica_url
        assert settings.redis_url
        assert "statement_cache_size=0" in settings.database_url  # PgBouncer, transaction mode
        assert "command" not in service  # the Dockerfile's CMD serves
        assert set(service["depends_on"]) <= set(services)


def test_the_dockerfile_serves_with_the_cli_and_copies_every_package() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    [cmd] = re.findall(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    program, *arguments = json.loads(cmd)
    assert program == "satupintu"
    served = _parser().parse_args(arguments)
    assert (served.host, served.workers) == ("0.0.0.0", 2)
    # HAProxy in compose reaches each host on the port the image serves on.
    haproxy = (DEPLOY / "haproxy.cfg").read_text()
    servers = re.findall(r"^\s*server \w+ (\w+):(\d+) ", haproxy, re.MULTILINE)
    assert servers == [
        (name, str(served.port)) for name in sorted(api_services(compose()["services"]))
    ]
    [env] = re.findall(r"^ENV ((?:.*\\\n)*.*)$", dockerfile, re.MULTILINE)
    names = set(re.findall(r"(\w+)=", env)) - {
        "PATH",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONUNBUFFERED",
    }
    assert names
    assert names <= settings_read({"SECRET_KEY": SECRETS["SECRET_KEY"]})[1]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {
        p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    copied = set(re.findall(r"^COPY (\w+) \1$", dockerfile, re.MULTILINE))
    assert sorted(packages - copied) == []


def test_the_units_run_commands_and_settings_the_app_has() -> None:
    commands, names = [], set()
    for unit in (DEPLOY / "systemd").glob("*.service"):
        text = unit.read_text()
        commands += re.findall(r"^ExecStart=/opt/satupintu/bin/satupintu (.*)$", text, re.MULTILINE)
        names |= set(re.findall(r"^Environment=(\w+)=", text, re.MULTILINE))
    assert sorted(command.split()[0] for command in commands) == ["migrate", "serve"]
    for command in commands:
        _parser().parse_args(shlex.split(command))
    assert names
    assert names <= settings_read({"SECRET_KEY": SECRETS["SECRET_KEY"]})[1]
