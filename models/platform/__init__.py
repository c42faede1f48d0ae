"""Accounts, sessions, API keys, password resets, idempotent requests, the city's regions,
the test clock, and the datetime field every model uses."""

from models.platform import accounts, notifications, regions, requests
from models.platform.accounts import ApiKey, AuthToken, PasswordReset, User
from models.platform.clock import CLOCK_ROW, ClockOffset, ClockSweep
from models.platform.moments import Moment, use_clock
from models.platform.notifications import (
    Notification,
    NotificationChannel,
    NotificationKind,
    OutboxMessage,
)
from models.platform.regions import Kecamatan, Kelurahan
from models.platform.requests import IdempotentRequest

__all__ = [
    "CLOCK_ROW",
    "ApiKey",
    "AuthToken",
    "ClockOffset",
    "ClockSweep",
    "IdempotentRequest",
    "Kecamatan",
    "Kelurahan",
    "Moment",
    "Notification",
    "NotificationChannel",
    "NotificationKind",
    "OutboxMessage",
    "PasswordReset",
    "User",
    "accounts",
    "notifications",
    "regions",
    "requests",
    "rows",
    "use_clock",
]
