"""Settings read once from the environment; a bad value fails with one clear line."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

from resolvers.providers.billers import BILLERS
from resolvers.providers.payouts import PAYOUT_PROVIDERS
from resolvers.providers.shipping import RATE_PROVIDERS


class SettingsError(ValueError):
    """A setting that cannot be used; its message names the variable."""


DEFAULT_VAR_DIR = Path("var")
MIN_SECRET_BYTES = 32
# The origins local dev servers print (Vite's 5173, Create React App's and Next's 3000), which
# `satupintu demo` allows when CORS_ORIGINS is not set; `serve` allows none by default.
LOCAL_DEV_ORIGINS = (
    "http://localhost:5173",
    "http://127.0.0.1:5173",
    "http://localhost:3000",
    "http://127.0.0.1:3000",
)


@dataclass(frozen=True)
class Settings:
    database_url: str
    media_backend: str
    media_root: Path
    s3_endpoint_url: str | None
    s3_bucket: str
    s3_region: str
    s3_public_url: str | None
    aws_access_key_id: str | None
    aws_secret_access_key: str | None
    redis_url: str | None
    secret_key: str
    cors_origins: tuple[str, ...]
    api_url: str
    rate_limit_per_minute: int
    max_query_cost: int
    max_query_depth: int
    var_dir: Path
    payment_webhook_secret: str
    payout_webhook_secret: str
    payment_expiry_hours: int
    order_expiry_interval: int
    redis_key_prefix: str = "satupintu:"
    auth_failures_per_minute: int = 30
    forwarded_allow_ips: str = "127.0.0.1,::1"
    session_idle_minutes: int = 14 * 24 * 60
    session_max_days: int = 90
    notifier: str = "file"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "SatuPintu <no-reply@satupintu.id>"
    smtp_starttls: bool = False
    # Where WhatsApp notifications go: a file under var/ (the sandbox), the log, or Meta's
    # Cloud API (its WHATSAPP_* variables, resolvers.providers.whatsapp).
    whatsapp: str = "file"
    # Where SMS goes (claim codes WhatsApp refused): a file under var/, the log, or Twilio.
    sms: str = "file"
    outbox_interval: int = 10  # seconds between runs of the e-mail and WhatsApp sender
    trusted_documents: str = "off"
    public_max_age: int = 30
    biller: str = "sandbox"
    payment_provider: str = "sandbox"
    shipping_rates: str = "sandbox"
    bill_recheck_interval: int = 60
    auto_debit_interval: int = 3600
    payouts: str = "sandbox"
    payout_min_amount: int = 10_000
    payout_daily_max_amount: int = 50_000_000
    payout_recheck_interval: int = 60
    recheck_batch_size: int = 100
    platform_fee_bps: int = 0
    order_autocomplete_days: int = 3
    complaint_response_days: int = 2
    # PPh final on members' savings interest (PP 15/2009): the rate and the monthly threshold.
    savings_interest_tax_bps: int = 1000
    savings_interest_tax_threshold: int = 240_000
    compiled_execution: bool = True  # plans for known documents (schema.execution.compiled)
    public_url: str | None = None  # the API's public base URL, for absolute media URLs
    test_clock: bool = False  # a CITY_ADMIN may move the clock forward (sandboxes only)
    database_replica_url: str | None = None  # a streaming replica for reads that may lag
    replica_max_lag_seconds: int = 5
    db_size_interval: int = 60  # seconds: /metrics measures the database's size that seldom

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def allowing_local_dev_origins(self) -> Settings:
        """These settings, with LOCAL_DEV_ORIGINS allowed when CORS_ORIGINS names none."""
        return self if self.cors_origins else replace(self, cors_origins=LOCAL_DEV_ORIGINS)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        var_dir = Path(env.get("SATUPINTU_VAR_DIR", str(DEFAULT_VAR_DIR)))
        secret_key = _secret(env, "SECRET_KEY") or _local_secret(var_dir)
        database_url = env.get("DATABASE_URL") or f"sqlite://{var_dir / 'satupintu.sqlite3'}"
        media_backend = _choice(env, "MEDIA_BACKEND", ("local", "s3"), "local")
        return cls(
            database_url=_database_url(database_url),
            media_backend=media_backend,
            media_root=Path(env.get("MEDIA_ROOT") or var_dir / "media"),
            s3_endpoint_url=_optional_url(env, "S3_ENDPOINT_URL"),
            s3_bucket=env.get("S3_BUCKET", "satupintu-media"),
            s3_region=env.get("S3_REGION", "us-east-1"),
            s3_public_url=_optional_url(env, "S3_PUBLIC_URL"),
            aws_access_key_id=env.get("AWS_ACCESS_KEY_ID"),
            aws_secret_access_key=env.get("AWS_SECRET_ACCESS_KEY"),
            redis_url=_redis_url(env.get("REDIS_URL")),
            secret_key=secret_key,
            cors_origins=_origins(env.get("CORS_ORIGINS", "")),
            api_url=_optional_url(env, "API_URL") or "http://127.0.0.1:8000",
            rate_limit_per_minute=_positive_int(env, "RATE_LIMIT_PER_MINUTE", 600),
            max_query_cost=_positive_int(env, "MAX_QUERY_COST", 5000),
            max_query_depth=_positive_int(env, "MAX_QUERY_DEPTH", 12),
            var_dir=var_dir,
            payment_webhook_secret=_secret(env, "PAYMENT_WEBHOOK_SECRET")
            or _derived_secret(secret_key, "payment-webhook"),
            payout_webhook_secret=_secret(env, "PAYOUT_WEBHOOK_SECRET")
            or _derived_secret(secret_key, "payout-webhook"),
            payment_expiry_hours=_positive_int(env, "PAYMENT_EXPIRY_HOURS", 24),
            order_expiry_interval=_positive_int(env, "ORDER_EXPIRY_INTERVAL", 60),
            redis_key_prefix=env.get("REDIS_KEY_PREFIX") or "satupintu:",
            auth_failures_per_minute=_positive_int(env, "AUTH_FAILURES_PER_MINUTE", 30),
            forwarded_allow_ips=env.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1").strip(),
            session_idle_minutes=_positive_int(env, "SESSION_IDLE_MINUTES", 14 * 24 * 60),
            session_max_days=_positive_int(env, "SESSION_MAX_DAYS", 90),
            notifier=_choice(env, "NOTIFIER", ("file", "console", "smtp"), "file"),
            smtp_host=env.get("SMTP_HOST") or "localhost",
            smtp_port=_positive_int(env, "SMTP_PORT", 25),
            smtp_username=env.get("SMTP_USERNAME") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_from=env.get("SMTP_FROM") or "SatuPintu <no-reply@satupintu.id>",
            smtp_starttls=_choice(env, "SMTP_STARTTLS", ("0", "1"), "0") == "1",
            whatsapp=_choice(env, "WHATSAPP", ("file", "console", "cloud"), "file"),
            sms=_choice(env, "SMS", ("file", "console", "twilio"), "file"),
            outbox_interval=_positive_int(env, "OUTBOX_INTERVAL", 10),
            trusted_documents=_choice(env, "TRUSTED_DOCUMENTS", ("off", "only"), "off"),
            public_max_age=_positive_int(env, "PUBLIC_MAX_AGE", 30),
            biller=_choice(env, "BILLER", tuple(sorted(BILLERS)), "sandbox"),
            payment_provider=_choice(env, "PAYMENT_PROVIDER", ("midtrans", "sandbox"), "sandbox"),
            shipping_rates=_choice(env, "SHIPPING_RATES", tuple(sorted(RATE_PROVIDERS)), "sandbox"),
            bill_recheck_interval=_positive_int(env, "BILL_RECHECK_INTERVAL", 60),
            auto_debit_interval=_positive_int(env, "AUTO_DEBIT_INTERVAL", 3600),
            payouts=_choice(env, "PAYOUTS", tuple(sorted(PAYOUT_PROVIDERS)), "sandbox"),
            payout_min_amount=_positive_int(env, "PAYOUT_MIN_AMOUNT", 10_000),
            payout_daily_max_amount=_positive_int(env, "PAYOUT_DAILY_MAX_AMOUNT", 50_000_000),
            payout_recheck_interval=_positive_int(env, "PAYOUT_RECHECK_INTERVAL", 60),
            recheck_batch_size=_positive_int(env, "RECHECK_BATCH_SIZE", 100),
            platform_fee_bps=_fee_bps(env),
            order_autocomplete_days=_positive_int(env, "ORDER_AUTOCOMPLETE_DAYS", 3),
            complaint_response_days=_positive_int(env, "COMPLAINT_RESPONSE_DAYS", 2),
            savings_interest_tax_bps=_positive_int(env, "SAVINGS_INTEREST_TAX_BPS", 1000),
            savings_interest_tax_threshold=_positive_int(
                env, "SAVINGS_INTEREST_TAX_THRESHOLD", 240_000
            ),
            compiled_execution=_choice(env, "COMPILED_EXECUTION", ("on", "off"), "on") == "on",
            public_url=_optional_url(env, "PUBLIC_URL"),
            test_clock=_choice(env, "TEST_CLOCK", ("on", "off"), "off") == "on",
            database_replica_url=_replica_url(env.get("DATABASE_REPLICA_URL"), database_url),
            replica_max_lag_seconds=_positive_int(env, "REPLICA_MAX_LAG_SECONDS", 5),
            db_size_interval=_positive_int(env, "DB_SIZE_INTERVAL", 60),
        )


def _database_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        if not url.removeprefix("sqlite://").strip():
            raise SettingsError(
                f"DATABASE_URL {url!r} names no file, e.g. sqlite://var/satupintu.sqlite3"
            )
        return url
    if parsed.scheme in ("postgres", "postgresql", "asyncpg"):
        if not parsed.path.strip("/"):
            raise SettingsError(
                f"DATABASE_URL {redacted(url)!r} names no database, e.g. postgres://host/satupintu"
            )
        return url
    raise SettingsError(
        f"DATABASE_URL must be sqlite://PATH or postgres://HOST/DATABASE, not {redacted(url)!r}"
    )


def _replica_url(url: str | None, database_url: str) -> str | None:
    if not url:
        return None
    parsed = urlparse(url)
    postgres = parsed.scheme in ("postgres", "postgresql", "asyncpg") and parsed.path.strip("/")
    if not postgres or database_url.startswith("sqlite"):
        raise SettingsError(
            "DATABASE_REPLICA_URL must be postgres://HOST/DATABASE, a replica of the PostgreSQL "
            f"DATABASE_URL, not {redacted(url)!r}"
        )
    return url


def redacted(url: str) -> str:
    """`url` without its password, for messages and logs."""
    parsed = urlparse(url)
    if not parsed.password:
        return url
    return parsed._replace(netloc=parsed.netloc.replace(f":{parsed.password}@", ":***@")).geturl()


def _redis_url(url: str | None) -> str | None:
    if not url:
        return None
    if urlparse(url).scheme not in ("redis", "rediss", "unix"):
        raise SettingsError("REDIS_URL must start with redis://, rediss:// or unix://")
    return url


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = env.get(name) or default
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _optional_url(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    if not value:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(f"{name} must be an http(s) URL, not {value!r}")
    return value.rstrip("/")


def _origins(raw: str) -> tuple[str, ...]:
    """CORS_ORIGINS: `*` or origins as browsers send them (scheme, host, optional port)."""
    origins = []
    for given in (part.strip() for part in raw.split(",")):
        if not given:
            continue
        origin = given.lower().removesuffix("/")
        try:
            parsed = urlparse(origin)
            parsed.port  # noqa: B018 (raises on a port that is not a number)
        except ValueError:
            parsed = None
        if origin != "*" and (
            parsed is None
            or parsed.scheme not in ("http", "https")
            or not parsed.hostname
            or any((parsed.path, parsed.query, parsed.fragment, parsed.username))
        ):
            raise SettingsError(
                "CORS_ORIGINS must be `*` or comma-separated origins like "
                f"http://localhost:5173 (no path), not {given!r}"
            )
        origins.append(origin)
    return tuple(origins)


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be positive, not {value}")
    return value


def _fee_bps(env: Mapping[str, str]) -> int:
    """PLATFORM_FEE_BPS: 0 (the city's programme) up to 10000 basis points of an order."""
    raw = env.get("PLATFORM_FEE_BPS") or "0"
    if not (raw.isascii() and raw.isdigit() and int(raw) <= 10_000):
        raise SettingsError(f"PLATFORM_FEE_BPS must be 0 to 10000, not {raw!r}")
    return int(raw)


def _secret(env: Mapping[str, str], name: str) -> str | None:
    """A secret given in the environment; one that is short enough to guess is refused."""
    value = env.get(name)
    if not value:
        return None
    if len(value.encode()) < MIN_SECRET_BYTES:
        raise SettingsError(f"{name} must be at least {MIN_SECRET_BYTES} bytes of random text")
    return value


def _derived_secret(secret_key: str, purpose: str) -> str:
    """A secret of its own for `purpose`, so that sharing it does not share SECRET_KEY."""
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def _local_secret(var_dir: Path) -> str:
    """The embedded default keeps a generated secret under var/ so restarts keep sessions."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    # Created 0600, so that no other user can read it between the write and a chmod.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(secret)
    return secret
