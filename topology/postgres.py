"""A PostgreSQL 15 primary and its streaming replica on loopback, built from Debian's
binaries (initdb, pg_basebackup -R, pg_ctl) in a folder of their own, on ports of their own."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@dataclass
class Cluster:
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/satupintu"

    @property
    def running(self) -> bool:
        return (self.folder / "postmaster.pid").exists()

    def start(self) -> None:
        run("pg_ctl", "-D", self.folder, "-l", f"{self.folder}.log", "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        run("pg_ctl", "-D", self.folder, "-m", mode, "-w", "stop")

    def sql(self, statement: str) -> str:
        return run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "satupintu",
            "-Atc", statement,
        )  # fmt: skip


@dataclass
class ReplicaPair:
    primary: Cluster
    replica: Cluster


@contextlib.contextmanager
def replica_pair(var_dir: Path = Path("var")) -> Iterator[ReplicaPair]:
    """A primary with a database `satupintu` and a replica streaming from it, both running;
    stopped and removed afterwards."""
    root = (var_dir / f"replica-pair-{uuid.uuid4().hex[:8]}").absolute()
    pair = build_pair(root, free_port(), free_port())
    try:
        yield pair
    finally:
        for cluster in (pair.replica, pair.primary):
            if cluster.running:
                cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def build_pair(root: Path, primary_port: int, replica_port: int) -> ReplicaPair:
    root.mkdir(parents=True)
    if AS_POSTGRES:
        shutil.chown(root, "postgres")
    primary = Cluster(root / "primary", primary_port)
    replica = Cluster(root / "replica", replica_port)
    try:
        # Segments of 1 MB, not 16: far less WAL on disk to archive, copy and remove.
        run("initdb", "-D", primary.folder, "-U", "postgres", "--auth=trust", "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync", "--wal-segsize=1")  # fmt: skip
        _configure(primary)
        archive = root / "wal-archive"
        archive.mkdir()
        if AS_POSTGRES:
            shutil.chown(archive, "postgres")
        _set(primary, "archive_mode = on",
             f"archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'")  # fmt: skip
        primary.start()
        run("createdb", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "satupintu")
        run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
             "-D", replica.folder, "-R", "-X", "stream", "-c", "fast")  # fmt: skip
        _set(replica, f"port = {replica.port}")
        replica.start()
    except BaseException:
        for cluster in (replica, primary):
            if cluster.running:
                cluster.stop("immediate")
        raise
    return ReplicaPair(primary, replica)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _configure(cluster: Cluster) -> None:
    _set(
        cluster,
        f"port = {cluster.port}",
        "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = ''",
        "wal_level = replica",
        "max_wal_senders = 5",
        "hot_standby = on",
        "hot_standby_feedback = on",
        "fsync = off",
        "synchronous_commit = off",
        # Throwaway clusters: whole pages in the WAL only during a base backup (which forces
        # them), and little WAL kept.
        "full_page_writes = off",
        "min_wal_size = 4MB",
        "max_wal_size = 32MB",
        "shared_buffers = 32MB",
        "max_connections = 60",
    )
    with (cluster.folder / "pg_hba.conf").open("a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")


def _set(cluster: Cluster, *lines: str) -> None:
    with (cluster.folder / "postgresql.auto.conf").open("a") as conf:
        conf.write("".join(f"{line}\n" for line in lines))


def run(program: str, *args: object) -> str:
    done = subprocess.run(
        [*AS_POSTGRES, str(BIN / program), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{program} failed: {done.stderr.strip()}")
    return done.stdout.strip()
