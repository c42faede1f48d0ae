"""The topology's processes on one machine, each on its own port, data and logs under one
folder: PostgreSQL primary and streaming replica, PgBouncer (transaction mode) in front of
both, Redis, moto's S3 server, a fake Midtrans (`topology.midtrans`), API hosts (`satupintu
serve`) and HAProxy before them (deploy/haproxy.cfg, rendered for this machine).

`up` leaves them running and writes their process ids to `state.json`; `down` stops them.
`upgrade` applies pending migrations (the app's, and the topology's own schema change,
`topology/migrations`), starts every host's new build beside the old one, and swaps them
behind HAProxy one host at a time.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx
import tortoise

from fakes.midtrans import SERVER_KEY
from topology.deployed import DEPLOY, rendered
from topology.postgres import AS_POSTGRES, BIN, Cluster, ReplicaPair, build_pair

PGBOUNCER = "/usr/sbin/pgbouncer"
HAPROXY = "/usr/sbin/haproxy"
MIGRATIONS = Path(__file__).parents[1] / "models" / "migrations"
SECRET = "topology-secret-key-of-at-least-thirty-two-bytes"
# How often each API host re-checks the work that outside answers left pending (bills at the
# biller, receipts): seconds, so that a fault's leftovers are settled before the checks.
RECHECK_INTERVAL = 2


@dataclass
class Ports:
    base: int = 25400

    primary = property(lambda self: self.base)
    replica = property(lambda self: self.base + 1)
    pgbouncer = property(lambda self: self.base + 2)
    redis = property(lambda self: self.base + 3)
    s3 = property(lambda self: self.base + 4)
    midtrans = property(lambda self: self.base + 5)
    balancer = property(lambda self: self.base + 10)

    def api(self, host: int, slot: int = 0) -> int:
        """An API host's port in one of its two slots: the build serving, and the next."""
        return self.base + 11 + host + 10 * slot


@dataclass
class Topology:
    root: Path
    ports: Ports = field(default_factory=Ports)
    hosts: int = 2
    pids: dict[str, int] = field(default_factory=dict)
    slots: dict[int, int] = field(default_factory=dict)  # each host's serving slot, 0 or 1

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports.balancer}"

    @property
    def pair(self) -> ReplicaPair:
        return ReplicaPair(
            Cluster(self.root / "pg" / "primary", self.ports.primary),
            Cluster(self.root / "pg" / "replica", self.ports.replica),
        )

    @property
    def direct_url(self) -> str:
        """The primary itself, for migrations, seeding and audits."""
        return self.pair.primary.url

    def database_url(self, database: str = "satupintu") -> str:
        port = self.ports.pgbouncer
        return f"postgres://postgres@127.0.0.1:{port}/{database}?statement_cache_size=0"

    def up(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "logs").mkdir(exist_ok=True)
        build_pair(self.root / "pg", self.ports.primary, self.ports.replica)
        self._migrate_fresh()
        self.start_pgbouncer()
        self.start_redis()
        self.start("s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                          "-p", str(self.ports.s3)])  # fmt: skip
        self.start("midtrans", [sys.executable, "-m", "topology.midtrans",
                                str(self.ports.midtrans)])  # fmt: skip
        self.start_api(*range(self.hosts))  # meanwhile the S3 and Midtrans servers start
        _wait_http(f"http://127.0.0.1:{self.ports.s3}/moto-api/")
        _wait_port(self.ports.midtrans)
        self.start_balancer()
        self.save()

    def down(self) -> None:
        stopping = []
        for pid in self.pids.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
                stopping.append(pid)
        for pid in stopping:
            _wait_gone(pid)
        self.pids.clear()
        pair = self.pair
        for cluster in (pair.replica, pair.primary):
            if cluster.running:
                cluster.stop("fast")
        shutil.rmtree(self.root, ignore_errors=True)

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        log = (self.root / "logs" / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        self.pids[name] = process.pid

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        pid = self.pids.pop(name)
        os.kill(pid, sig)
        _wait_gone(pid)

    def start_api(self, *hosts: int, name: str = "api{}", next_slot: bool = False) -> None:
        """Start these API hosts at once (`next_slot`: beside the serving ones), and wait
        until each answers `/healthz`."""
        ports = [self.ports.api(h, self.slot(h) ^ next_slot) for h in hosts]
        for host, port in zip(hosts, ports, strict=True):
            command = [sys.executable, "-m", "server.cli", "serve", "--port", str(port)]
            self.start(name.format(host), command, self._api_env(host))
        for port in ports:
            _wait_http(f"http://127.0.0.1:{port}/healthz")

    def slot(self, host: int) -> int:
        return self.slots.get(host, 0)

    def _api_env(self, host: int) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url(),
            "DATABASE_REPLICA_URL": self.database_url("satupintu_replica"),
            "REDIS_URL": f"redis://127.0.0.1:{self.ports.redis}/0",
            "MEDIA_BACKEND": "s3",
            "S3_ENDPOINT_URL": f"http://127.0.0.1:{self.ports.s3}",
            "AWS_ACCESS_KEY_ID": "topology",
            "AWS_SECRET_ACCESS_KEY": "topology",
            "SECRET_KEY": SECRET,
            "SATUPINTU_VAR_DIR": str(self.root / f"api{host}"),
            "RATE_LIMIT_PER_MINUTE": "1000000",
            "AUTH_FAILURES_PER_MINUTE": "1000000",
            "BILL_RECHECK_INTERVAL": str(RECHECK_INTERVAL),
            "PAYMENT_PROVIDER": "midtrans",
            "MIDTRANS_SERVER_KEY": SERVER_KEY,
            "MIDTRANS_BASE_URL": f"http://127.0.0.1:{self.ports.midtrans}",
        }

    def upgrade(self) -> None:
        """Serving throughout: pending migrations first (each must suit the old build and the
        new); then every host's new build started beside the old one (its host's other slot);
        then host by host: the new one put in rotation and counted UP by HAProxy, the old one
        drained (no new requests) and stopped with SIGTERM once its requests are done
        (in-flight ones finish, sockets close with a reconnect code)."""
        moments = [time.monotonic()]
        self._migrate()
        self._run("topology.expand", self.direct_url)
        moments.append(time.monotonic())
        hosts = range(self.hosts)
        self.start_api(*hosts, name="api{}-next", next_slot=True)
        moments.append(time.monotonic())
        steps = (f"{b - a:.1f}" for a, b in itertools.pairwise(moments))
        print(f"migrated, new builds started in {', '.join(steps)} s", flush=True)
        for host in hosts:
            moments = [time.monotonic()]
            old, new = self.server(host), self.server(host, next_slot=True)
            self.balancer_command(f"set server {new} state ready")
            if not _wait_until(partial(self._server_is, new, "status", "UP"), 20):
                raise RuntimeError(f"{new} did not come into rotation")
            moments.append(time.monotonic())
            self.balancer_command(f"set server {old} state drain")
            # Live subscriptions hold their sessions until the host closes them on SIGTERM.
            _wait_until(partial(self._server_is, old, "scur", "0"), 2)
            moments.append(time.monotonic())
            self.kill(f"api{host}", signal.SIGTERM)
            self.balancer_command(f"set server {old} state maint")
            self.pids[f"api{host}"] = self.pids.pop(f"api{host}-next")
            self.slots[host] = self.slot(host) ^ 1
            moments.append(time.monotonic())
            steps = (f"{b - a:.1f}" for a, b in itertools.pairwise(moments))
            print(f"api{host} swapped: new UP, old drained, old stopped in "
                  f"{', '.join(steps)} s", flush=True)  # fmt: skip
        self.save()

    def server(self, host: int, *, next_slot: bool = False) -> str:
        """HAProxy's name of a host's serving slot, or of its next one."""
        return f"hosts/api{host}s{self.slot(host) ^ next_slot}"

    def balancer_command(self, command: str) -> str:
        """One command on HAProxy's runtime API (its stats socket), and its answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(str(self.root / "haproxy.sock"))
            client.sendall(command.encode() + b"\n")
            answer = b""
            while chunk := client.recv(65536):
                answer += chunk
        return answer.decode()

    def _server_is(self, server: str, column: str, value: str) -> bool:
        """Whether `show stat` has `value` in `column` for `backend/server`."""
        lines = self.balancer_command("show stat").splitlines()
        header = lines[0].removeprefix("# ").split(",")
        backend, name = server.split("/")
        for line in lines[1:]:
            row = dict(zip(header, line.split(","), strict=False))
            if (row.get("pxname"), row.get("svname")) == (backend, name):
                return row[column] == value
        raise RuntimeError(f"HAProxy has no server {server}")

    def start_redis(self) -> None:
        folder = self.root / "redis"
        folder.mkdir(exist_ok=True)
        self.start("redis", ["redis-server", "--bind", "127.0.0.1", "--port",
                             str(self.ports.redis), "--save", "", "--appendonly", "no",
                             "--dir", str(folder)])  # fmt: skip
        for _ in range(100):
            ping = subprocess.run(["redis-cli", "-p", str(self.ports.redis), "ping"],
                                  capture_output=True, text=True)  # fmt: skip
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise RuntimeError("Redis did not start")

    def start_pgbouncer(self) -> None:
        folder = self.root / "pgbouncer"
        folder.mkdir(exist_ok=True)
        (folder / "users.txt").write_text('"postgres" ""\n')
        primary, replica = self.ports.primary, self.ports.replica
        (folder / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"satupintu = host=127.0.0.1 port={primary} dbname=satupintu\n"
            f"satupintu_replica = host=127.0.0.1 port={replica} dbname=satupintu\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.ports.pgbouncer}\n"
            f"unix_socket_dir =\nauth_type = trust\nauth_file = {folder / 'users.txt'}\n"
            "pool_mode = transaction\ndefault_pool_size = 20\nmax_client_conn = 500\n"
            # A replica that is down fails its clients fast instead of queueing them.
            "server_connect_timeout = 2\nquery_wait_timeout = 5\nserver_login_retry = 1\n"
        )
        if AS_POSTGRES:
            shutil.chown(folder, "postgres")
            for path in folder.iterdir():
                shutil.chown(path, "postgres")
        user = ["-u", "postgres"] if AS_POSTGRES else []
        self.start("pgbouncer", [PGBOUNCER, *user, str(folder / "pgbouncer.ini")])
        _wait_port(self.ports.pgbouncer)

    def start_balancer(self) -> None:
        """deploy/haproxy.cfg, the file compose runs, with this machine's addresses: its
        frontend on the topology's port, a runtime API (stats socket) for `upgrade`, and in
        place of compose's two hosts each host's serving slot and the next one (out of
        rotation) that upgrades fill."""
        servers = "".join(
            f"  server api{h}s{s} 127.0.0.1:{self.ports.api(h, s)} check"
            f"{' disabled' if s != self.slot(h) else ''}\n"
            for h in range(self.hosts)
            for s in (0, 1)
        )
        runtime_api = f"  stats socket {self.root / 'haproxy.sock'} level admin\n"
        config = self.root / "haproxy.cfg"
        config.write_text(
            rendered(
                (DEPLOY / "haproxy.cfg").read_text(),
                {
                    "\nglobal\n": f"\nglobal\n{runtime_api}",
                    "  bind :8000\n": f"  bind 127.0.0.1:{self.ports.balancer}\n",
                    "  server api1 api1:8000 check\n  server api2 api2:8000 check\n": servers,
                },
            )
        )
        self.start("balancer", [HAPROXY, "-db", "-f", str(config)])
        _wait_http(f"{self.url}/healthz")

    def save(self) -> None:
        state = {"base": self.ports.base, "hosts": self.hosts, "pids": self.pids,
                 "slots": self.slots}  # fmt: skip
        (self.root / "state.json").write_text(json.dumps(state))

    @classmethod
    def load(cls, root: Path) -> Topology:
        state = json.loads((root / "state.json").read_text())
        slots = {int(host): slot for host, slot in state.get("slots", {}).items()}
        return cls(root, Ports(state["base"]), state["hosts"], state["pids"], slots)

    def _migrate(self) -> None:
        self._run("server.cli", "migrate")

    def _migrate_fresh(self) -> None:
        """The new database migrated: restored from a dump of one that these migrations (and
        this Tortoise) migrated, which an earlier run left in `var/topology-cache/`; else by
        `satupintu migrate`, then dumped for the next run. Tortoise takes 30 s of CPU or more
        to apply every migration, the restore 1 or 2 s."""
        cache = self.root.parent / "topology-cache"
        key = hashlib.sha256(tortoise.__version__.encode())
        for path in sorted(MIGRATIONS.glob("*.py")):
            key.update(path.read_bytes())
        dump = cache / f"migrated-{key.hexdigest()[:16]}.dump"
        server = ["-h", "127.0.0.1", "-p", str(self.ports.primary), "-U", "postgres"]
        if dump.exists():
            _client("pg_restore", *server, "-d", "satupintu", "--exit-on-error", str(dump))
            return
        self._migrate()
        cache.mkdir(exist_ok=True)
        _client("pg_dump", *server, "-Fc", "-f", f"{dump}.part", "satupintu")
        Path(f"{dump}.part").rename(dump)

    def _run(self, module: str, *args: str) -> None:
        """`python -m module args` against the primary directly, which must succeed."""
        env = {**os.environ, "DATABASE_URL": self.direct_url, "SECRET_KEY": SECRET}
        done = subprocess.run([sys.executable, "-m", module, *args], env=env,
                              capture_output=True, text=True)  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"{module} {' '.join(args)} failed: {done.stdout}{done.stderr}")


def _client(program: str, *args: str) -> None:
    """One of PostgreSQL's client programs, as this user, which must succeed."""
    done = subprocess.run([str(BIN / program), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{program} failed: {done.stderr.strip()}")


def _wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def _wait_until(done: Callable[[], bool], seconds: float) -> bool:
    """Whether `done()` held within `seconds`."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def _wait_port(port: int) -> None:
    import socket

    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def _wait_gone(pid: int, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # not our child: poll for it
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        else:
            if done:
                return
        time.sleep(0.05)
