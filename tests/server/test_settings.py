"""Settings: defaults, and a bad value failing with one clear line."""

import os
import subprocess
import sys

import pytest

from server.database import prepare
from server.settings import Settings, SettingsError


def test_defaults_are_the_embedded_runtime(tmp_path):
    settings = Settings.from_env({"SATUPINTU_VAR_DIR": str(tmp_path)})
    assert settings.is_sqlite
    assert settings.media_backend == "local"
    assert settings.redis_url is None
    assert settings.biller == "sandbox"
    assert (tmp_path / "secret_key").read_text() == settings.secret_key
    assert settings.compiled_execution
    assert not Settings.from_env(
        {"SATUPINTU_VAR_DIR": str(tmp_path), "COMPILED_EXECUTION": "off"}
    ).compiled_execution


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://x/y"),
        ("MEDIA_BACKEND", "ftp"),
        ("REDIS_URL", "http://x"),
        ("RATE_LIMIT_PER_MINUTE", "banyak"),
        ("S3_ENDPOINT_URL", "not a url"),
        ("BILLER", "bukan-biller"),
        ("PAYMENT_PROVIDER", "xendit"),
        ("BILL_RECHECK_INTERVAL", "0"),
        ("COMPILED_EXECUTION", "yes"),
        ("PUBLIC_URL", "api.kota.id"),
    ],
)
def test_bad_setting_is_refused(name, value, tmp_path):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value, "SATUPINTU_VAR_DIR": str(tmp_path)})


@pytest.mark.parametrize("name", ["SECRET_KEY", "PAYMENT_WEBHOOK_SECRET", "PAYOUT_WEBHOOK_SECRET"])
@pytest.mark.parametrize("value", ["x", "a" * 31, "é" * 15])
def test_a_short_secret_is_refused(name, value, tmp_path):
    with pytest.raises(SettingsError, match=f"{name} must be at least 32 bytes"):
        Settings.from_env({name: value, "SATUPINTU_VAR_DIR": str(tmp_path)})


def test_generated_secret_and_sqlite_file_are_for_their_owner_only(tmp_path):
    old = os.umask(0o022)  # the usual umask would leave both readable by everyone
    try:
        settings = Settings.from_env({"SATUPINTU_VAR_DIR": str(tmp_path)})
        prepare(settings.database_url)
    finally:
        os.umask(old)
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "satupintu.sqlite3").stat().st_mode & 0o777 == 0o600
    assert len(settings.secret_key.encode()) >= 32


@pytest.mark.parametrize(
    ("name", "value"),
    [("DATABASE_URL", "mysql://x/y"), ("SECRET_KEY", "x"), ("BILLER", "bukan-biller")],
)
def test_cli_reports_a_bad_setting_in_one_line(name, value, tmp_path):
    env = {**os.environ, name: value, "SATUPINTU_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "migrate"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert name in done.stderr
    assert "Traceback" not in done.stderr
