"""What every domain stands on: accounts and sessions, errors, the clock, events, messages,
pagination, lookups, regions and visibility rules."""

from resolvers.platform import (
    accounts,
    errors,
    password_reset,
    regions,
    sessions,
    test_clock,
    visibility,
)
from resolvers.platform.accounts import is_marketplace_admin, require_city_admin, require_user
from resolvers.platform.aggregates import aggregated
from resolvers.platform.attempts import Attempts, delay_after
from resolvers.platform.batching import counts_by, row_per, rows_by_ids, rows_grouped_by
from resolvers.platform.clock import (
    JAKARTA,
    MONTH_SQL,
    SharedOffset,
    add_months,
    ahead,
    following,
    last_months,
    month_start,
    now,
    offset_days,
    real_now,
    today,
)
from resolvers.platform.database import refresh_statistics
from resolvers.platform.errors import (
    HUNDRED_PERCENT,
    BadInput,
    ErrorCode,
    Forbidden,
    NotFound,
    Problem,
    QueryError,
    ServiceUnavailable,
    TopLevelCode,
    Unauthenticated,
    UserError,
    Validator,
    is_outage,
    percent_bps,
)
from resolvers.platform.events import Broker, Event, LocalBroker
from resolvers.platform.idempotency import (
    Once,
    digest_of,
    exactly_once,
    key_text,
    remember,
    reused_key,
)
from resolvers.platform.lookups import fits, row_id, row_where
from resolvers.platform.messages import Message, Notifier
from resolvers.platform.money import format_rupiah
from resolvers.platform.pagination import MAX_PAGE, Page, keyset_page, page_size
from resolvers.platform.phone import normalise_phone
from resolvers.platform.regions import Directory
from resolvers.platform.sessions import (
    SESSIONS_CHANNEL,
    SessionPolicy,
    TokenProblem,
    digest,
    live_until,
)
from resolvers.platform.slugs import slugify, unique_slug
from resolvers.platform.test_clock import Sweep, SweepRun

__all__ = [
    "HUNDRED_PERCENT",
    "JAKARTA",
    "MAX_PAGE",
    "MONTH_SQL",
    "SESSIONS_CHANNEL",
    "Attempts",
    "BadInput",
    "Broker",
    "Directory",
    "ErrorCode",
    "Event",
    "Forbidden",
    "LocalBroker",
    "Message",
    "NotFound",
    "Notifier",
    "Once",
    "Page",
    "Problem",
    "QueryError",
    "ServiceUnavailable",
    "SessionPolicy",
    "SharedOffset",
    "Sweep",
    "SweepRun",
    "TokenProblem",
    "TopLevelCode",
    "Unauthenticated",
    "UserError",
    "Validator",
    "accounts",
    "add_months",
    "aggregated",
    "ahead",
    "counts_by",
    "delay_after",
    "digest",
    "digest_of",
    "errors",
    "exactly_once",
    "fits",
    "following",
    "format_rupiah",
    "is_marketplace_admin",
    "is_outage",
    "key_text",
    "keyset_page",
    "last_months",
    "live_until",
    "month_start",
    "normalise_phone",
    "now",
    "offset_days",
    "page_size",
    "password_reset",
    "percent_bps",
    "real_now",
    "refresh_statistics",
    "regions",
    "remember",
    "require_city_admin",
    "require_user",
    "reused_key",
    "row_id",
    "row_per",
    "row_where",
    "rows_by_ids",
    "rows_grouped_by",
    "sessions",
    "slugify",
    "test_clock",
    "today",
    "unique_slug",
    "visibility",
]
