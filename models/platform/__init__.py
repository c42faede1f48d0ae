"""Accounts, sessions, API keys, password resets, the city's regions, and the datetime field
every model uses."""

from models.platform import accounts, regions
from models.platform.accounts import ApiKey, AuthToken, PasswordReset, User
from models.platform.moments import Moment
from models.platform.regions import Kecamatan, Kelurahan

__all__ = [
    "ApiKey",
    "AuthToken",
    "Kecamatan",
    "Kelurahan",
    "Moment",
    "PasswordReset",
    "User",
    "accounts",
    "regions",
    "rows",
]
