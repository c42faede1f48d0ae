"""Bad set-ups stop the real `satupintu` command with one line and exit code 2."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys

import pytest

from server.cli import _parser
from tests.conftest import free_port


def satupintu(*args: str, tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "SATUPINTU_VAR_DIR": str(tmp_path), **env}
    environ.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=180,  # `migrate` of a new database replays every migration: slow on busy cores
    )


def assert_one_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("url", ["sqlite://", "nonsense", "postgres://user:rahasia@db:5432"])
def test_a_database_url_it_cannot_use_is_named(url, tmp_path):
    done = satupintu("serve", "--port", str(free_port()), tmp_path=tmp_path, DATABASE_URL=url)
    assert_one_line(done, "DATABASE_URL", url.replace(":rahasia", ":***"))
    assert "rahasia" not in done.stderr


def test_serve_refuses_an_unmigrated_database(tmp_path):
    url = f"sqlite://{tmp_path / 'empty.sqlite3'}"
    done = satupintu("serve", "--port", str(free_port()), tmp_path=tmp_path, DATABASE_URL=url)
    assert_one_line(done, "satupintu migrate")


def test_serve_on_a_busy_port_says_so(tmp_path):
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    assert satupintu("migrate", tmp_path=tmp_path, DATABASE_URL=url).returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = satupintu("serve", "--port", str(port), tmp_path=tmp_path, DATABASE_URL=url)
    assert_one_line(done, f"127.0.0.1:{port}", "in use")


def test_migrate_against_a_database_that_does_not_answer(tmp_path):
    url = f"postgres://postgres@127.0.0.1:{free_port()}/satupintu"
    done = satupintu("migrate", tmp_path=tmp_path, DATABASE_URL=url)
    assert_one_line(done, "does not answer", f"127.0.0.1:{url.split(':')[-1].split('/')[0]}")


def test_every_option_has_help_with_its_default():
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():
        text = command.format_help()
        for action in command._actions:
            if not action.option_strings or action.help == argparse.SUPPRESS:
                continue
            assert action.help, f"{name} {action.option_strings[0]} has no help"
            if action.default not in (None, False, argparse.SUPPRESS) and not action.required:
                assert f"(default: {action.default})" in text, f"{name} {action.dest}"
