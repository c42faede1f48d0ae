"""Accounts, sessions, API keys, password resets, idempotent requests, the city's regions,
and the datetime field every model uses."""

from models.platform import accounts, regions, requests
from models.platform.accounts import ApiKey, AuthToken, PasswordReset, User
from models.platform.moments import Moment
from models.platform.regions import Kecamatan, Kelurahan
from models.platform.requests import IdempotentRequest

__all__ = [
    "ApiKey",
    "AuthToken",
    "IdempotentRequest",
    "Kecamatan",
    "Kelurahan",
    "Moment",
    "PasswordReset",
    "User",
    "accounts",
    "regions",
    "requests",
    "rows",
]
