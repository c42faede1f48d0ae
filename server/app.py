"""The ASGI application: GraphQL, SDL, health, metrics and local media."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import os
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

from redis.asyncio import BlockingConnectionPool, Redis
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route, WebSocketRoute
from tortoise.contrib.starlette import RegisterTortoise

from media.local import LocalStorage
from media.storage import Storage, StorageError
from resolvers.catalog import images as catalog_images
from resolvers.platform import (
    Broker,
    LocalBroker,
    Notifier,
    SessionPolicy,
    SharedOffset,
    is_outage,
)
from resolvers.providers import (
    ConsoleNotifier,
    FileNotifier,
    MidtransPayments,
    PaymentProvider,
    SandboxProvider,
    SavingsInterestTax,
    Services,
    SmtpNotifier,
    SmtpServer,
    TwilioSmsNotifier,
    WhatsAppCloudNotifier,
)
from resolvers.providers.billers import biller_named
from resolvers.providers.payouts import payout_provider_named
from resolvers.providers.shipping import rate_provider_named
from schema import SDL_PATH
from server import book_files, city_reports, nota_files, rat_files, statement_files
from server.auth import Door, Limits
from server.biller_callback import BillerCallbackEndpoint
from server.database import prepare, tortoise_config
from server.db_metrics import database_sizes, time_statements
from server.graphiql import GraphiQL
from server.graphql_http import GraphQLHTTP
from server.graphql_schema import make_schema
from server.graphql_ws import GraphQLWebSocket
from server.health import Health
from server.http_caching import HttpCaching
from server.media_files import ImmutableFiles
from server.metrics import Metrics
from server.payment_webhook import PaymentWebhook
from server.payout_webhook import PayoutWebhook
from server.periodic import refresh_periodically, sweep_periodically, sweeps
from server.persisted_queries import (
    DocumentStore,
    MemoryDocuments,
    PersistedQueries,
    SharedDocuments,
)
from server.pool_metrics import sample_pools
from server.rate_limit import (
    FallbackRateLimiter,
    FallbackStrikes,
    MemoryRateLimiter,
    MemoryStrikes,
    RedisRateLimiter,
    RedisStrikes,
)
from server.redis_broker import REDIS_TIMEOUTS, RedisBroker, redis_client
from server.replica import RecentWrites, attach_replica, detach_replica, watch_replica
from server.request_log import RequestLog
from server.session_watch import SessionWatch
from server.settings import Settings
from server.sweep_lease import sweep_lease
from server.telling import TellingMiddleware
from server.test_clock import TestClockMiddleware
from server.trusted_documents import MANIFEST_DIR, TrustedDocuments

# The name every background task of the server (sweeps, refreshes) starts with.
BACKGROUND = "background"
ALLOWED_HEADERS = [
    "authorization",
    "content-type",
    "x-api-key",
    "x-request-id",
    "apollo-require-preflight",
    "x-requested-with",
]


def create_app(settings: Settings, *, caches: bool = True) -> Starlette:
    prepare(settings.database_url)
    redis = redis_client(settings.redis_url) if settings.redis_url else None
    services = make_services(settings, redis)
    storage = services.storage
    # Counting gets a pool of its own that waits for a free connection, rather than failing
    # when subscriptions (which each hold one) and a burst of requests use them all.
    counters = (
        Redis.from_pool(
            BlockingConnectionPool.from_url(settings.redis_url, timeout=5, **REDIS_TIMEOUTS)
        )
        if settings.redis_url
        else None
    )
    door = make_door(settings, counters, services.sessions)
    watch = SessionWatch(services.events)
    schema = make_schema(settings, caches=caches)
    metrics = Metrics()
    metrics.before_scrape.append(database_sizes(settings.database_url, settings.db_size_interval))
    time_statements(metrics)
    persisted = make_persisted_queries(settings, redis)
    recent_writes = (
        RecentWrites(settings.replica_max_lag_seconds + 1.0, redis, settings.redis_key_prefix)
        if settings.database_replica_url
        else None
    )
    graphql = GraphQLHTTP(
        schema,
        services,
        door,
        metrics,
        persisted,
        HttpCaching(settings.public_max_age),
        recent_writes,
    )
    reports = city_reports.CityReports(door)
    health = Health(storage, redis)
    sdl = SDL_PATH.read_text()

    async def schema_sdl(_request: Request) -> PlainTextResponse:
        return PlainTextResponse(sdl)

    routes = [
        Route("/graphql", graphql.handle, methods=["GET", "POST"]),
        WebSocketRoute(
            "/graphql",
            GraphQLWebSocket(
                schema, services, door, watch, persisted, allowed_origins=settings.cors_origins
            ),
        ),
        Route("/payments/webhook", PaymentWebhook(services, door).handle, methods=["POST"]),
        Route(
            "/bills/biller-callback",
            BillerCallbackEndpoint(services, door).handle,
            methods=["POST"],
        ),
        Route("/payouts/webhook", PayoutWebhook(services, door).handle, methods=["POST"]),
        Route("/schema.graphql", schema_sdl),
        GraphiQL.assets(),
        Route("/healthz", health.endpoint),
        Route("/metrics", metrics.endpoint),
        *(Route(path, reports.handle) for path in city_reports.PATHS),
        Route(
            "/books/{cooperative_id}/statements.{kind}",
            book_files.BookFiles(services.download_secret).handle,
        ),
        Route(nota_files.PATH, nota_files.NotaFiles(services.download_secret).handle),
        Route(
            "/books/{cooperative_id}/saldo-awal.xlsx",
            book_files.BookFiles(services.download_secret).template,
        ),
        Route(
            "/shops/{shop_id}/statements/{period}.{kind}",
            statement_files.StatementFiles(services.download_secret).handle,
        ),
        Route(
            "/books/{cooperative_id}/rat-{year:int}.{kind}",
            rat_files.RatFiles(services.download_secret).handle,
        ),
    ]
    if isinstance(storage, LocalStorage):
        settings.media_root.mkdir(parents=True, exist_ok=True)
        files = ImmutableFiles(
            directory=str(settings.media_root),
            secret=services.download_secret,
            private=catalog_images.only_receipts,
        )
        routes.append(Mount("/media", files, name="media"))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        config = tortoise_config(settings.database_url, replica=recent_writes is not None)
        async with RegisterTortoise(app, config=config):
            await prepare_storage(storage)
            lease = sweep_lease(settings, redis)
            # Named: logs and the tests' statement counter tell their work from requests'.
            tasks = [
                asyncio.create_task(
                    sweep_periodically(sweep, services, interval, lease, metrics),
                    name=f"{BACKGROUND} sweep {sweep.kind}",
                )
                for sweep, interval in sweeps(settings)
            ]
            tasks.append(
                asyncio.create_task(refresh_periodically(services), name=f"{BACKGROUND} refresh")
            )
            tasks.append(asyncio.create_task(watch.run()))
            replica = (
                attach_replica(settings.database_replica_url)
                if settings.database_replica_url
                else None
            )
            tasks.append(asyncio.create_task(sample_pools(metrics, replica)))
            if replica is not None:
                max_lag = settings.replica_max_lag_seconds
                tasks.append(asyncio.create_task(watch_replica(replica, max_lag, metrics)))
            try:
                yield
            finally:
                for task in tasks:
                    task.cancel()
                if replica is not None:
                    await detach_replica(replica)
                await lease.close()
                for client in (redis, counters):
                    if client is not None:
                        await client.aclose()

    clock_middleware = (
        [Middleware(TestClockMiddleware, offset=services.clock)] if services.clock else []
    )
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(RequestLog),
            Middleware(TellingMiddleware, events=services.events),
            *clock_middleware,
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=ALLOWED_HEADERS,
                expose_headers=["x-request-id"],
                max_age=600,
            ),
        ],
    )
    app.state.services = services
    app.state.watch = watch
    app.state.settings = settings
    return app


def make_services(settings: Settings, redis: Redis | None) -> Services:
    events: Broker = (
        RedisBroker(redis, f"{settings.redis_key_prefix}events:") if redis else LocalBroker()
    )
    return Services(
        clock=SharedOffset() if settings.test_clock else None,
        sweeps=tuple(sweep for sweep, _ in sweeps(settings)),
        download_secret=hmac.new(settings.secret_key.encode(), b"downloads", "sha256").hexdigest(),
        storage=make_storage(settings),
        events=events,
        payments=_payments(settings),
        notifier=_notifier(settings),
        whatsapp=_whatsapp(settings),
        sms=_sms(settings),
        payment_ttl=timedelta(hours=settings.payment_expiry_hours),
        biller=biller_named(settings.biller, os.environ),
        shipping_rates=rate_provider_named(settings.shipping_rates, os.environ),
        # The sandbox signs its notifications with the payout webhook's own (derived) secret.
        payouts=payout_provider_named(
            settings.payouts,
            {**os.environ, "PAYOUT_WEBHOOK_SECRET": settings.payout_webhook_secret},
        ),
        recheck_batch=settings.recheck_batch_size,
        payout_minimum=settings.payout_min_amount,
        payout_daily_maximum=settings.payout_daily_max_amount,
        platform_fee_bps=settings.platform_fee_bps,
        order_autocomplete=timedelta(days=settings.order_autocomplete_days),
        complaint_response=timedelta(days=settings.complaint_response_days),
        savings_interest_tax=SavingsInterestTax(
            settings.savings_interest_tax_bps, settings.savings_interest_tax_threshold
        ),
        sessions=SessionPolicy(
            idle=timedelta(minutes=settings.session_idle_minutes),
            max_age=timedelta(days=settings.session_max_days),
        ),
    )


def make_door(settings: Settings, redis: Redis | None, policy: SessionPolicy) -> Door:
    limits = Limits(settings.rate_limit_per_minute, settings.auth_failures_per_minute)
    if redis is None:
        return Door(MemoryRateLimiter(), MemoryStrikes(), limits, policy)
    prefix = settings.redis_key_prefix
    limiter = FallbackRateLimiter(RedisRateLimiter(redis, prefix), MemoryRateLimiter())
    strikes = FallbackStrikes(RedisStrikes(redis, prefix), MemoryStrikes())
    return Door(limiter, strikes, limits, policy)


def make_persisted_queries(settings: Settings, redis: Redis | None) -> PersistedQueries:
    memory = MemoryDocuments()
    store: DocumentStore = (
        SharedDocuments(redis, settings.redis_key_prefix, memory) if redis else memory
    )
    trusted = TrustedDocuments.registered(settings.var_dir / MANIFEST_DIR)
    return PersistedQueries(store, trusted, trusted_only=settings.trusted_documents == "only")


def make_storage(settings: Settings) -> Storage:
    if settings.media_backend == "s3":
        from media.s3 import S3Storage  # boto3 comes with the `production` extra

        return S3Storage(
            settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.aws_access_key_id,
            secret_access_key=settings.aws_secret_access_key,
            public_url=settings.s3_public_url,
        )
    base = f"{settings.public_url}/media" if settings.public_url else "/media"
    return LocalStorage(settings.media_root, base)


async def prepare_storage(storage: Storage) -> None:
    """Create the S3 bucket when missing; a store that is down only degrades /healthz."""
    ensure_bucket = getattr(storage, "ensure_bucket", None)
    if ensure_bucket is None:
        return
    try:
        await ensure_bucket()
    except StorageError as error:
        logging.getLogger("satupintu").warning("media store not ready: %s", error)


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(outage_in_one_line)


def outage_in_one_line(record: logging.LogRecord) -> bool:
    """A service that does not answer is expected: a library logging the failure of its
    retries (asyncpg's pool, for one) gets one line naming the error, not a traceback."""
    error = record.exc_info[1] if record.exc_info else None
    if is_outage(error):
        record.msg, record.args = f"{record.getMessage()}: {error!r}", ()
        record.exc_info = record.exc_text = None
    return True


def _payments(settings: Settings) -> PaymentProvider:
    if settings.payment_provider == "midtrans":
        return MidtransPayments.from_env(os.environ)
    return SandboxProvider(settings.payment_webhook_secret)


def _notifier(settings: Settings) -> Notifier:
    if settings.notifier == "smtp":
        return SmtpNotifier(
            SmtpServer(
                settings.smtp_host,
                settings.smtp_port,
                settings.smtp_from,
                settings.smtp_username,
                settings.smtp_password,
                settings.smtp_starttls,
            )
        )
    if settings.notifier == "console":
        return ConsoleNotifier()
    return FileNotifier(settings.var_dir / "outbox.jsonl")


def _messenger(choice: str, real: Callable[[], Notifier], sandbox: Path) -> Notifier:
    """A message channel as chosen: the real provider, the console, or a sandbox file."""
    if choice == "console":
        return ConsoleNotifier()
    if choice == "file":
        return FileNotifier(sandbox)
    return real()


def _whatsapp(settings: Settings) -> Notifier:
    return _messenger(
        settings.whatsapp,
        lambda: WhatsAppCloudNotifier.from_env(os.environ),
        settings.var_dir / "whatsapp.jsonl",
    )


def _sms(settings: Settings) -> Notifier:
    return _messenger(
        settings.sms,
        lambda: TwilioSmsNotifier.from_env(os.environ),
        settings.var_dir / "sms.jsonl",
    )
