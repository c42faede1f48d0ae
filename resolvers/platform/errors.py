"""Failures a resolver reports: `UserError` for what the user can fix, `QueryError` otherwise.

Two vocabularies, as the contract has them: `ErrorCode` for the `UserError`s of a mutation
payload (`PERMISSION_DENIED` among them), `TopLevelCode` for the `extensions.code` of a
top-level error (`FORBIDDEN` among them). Every layer takes its codes from here.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum


class TopLevelCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    RATE_LIMITED = "RATE_LIMITED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL = "INTERNAL"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
    TRUSTED_DOCUMENT_REQUIRED = "TRUSTED_DOCUMENT_REQUIRED"


class ErrorCode(Enum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    DUPLICATE = "DUPLICATE"
    OUT_OF_STOCK = "OUT_OF_STOCK"
    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"
    INVALID_STATE = "INVALID_STATE"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNSUPPORTED_FILE = "UNSUPPORTED_FILE"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    # A price rose since the buyer saw it, or the total the buyer was shown is not the total:
    # nothing happened; the buyer confirms the new prices and checks out again.
    PRICE_CHANGED = "PRICE_CHANGED"
    # An outside service (a biller) did not answer: nothing happened, try again later.
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"


class UserError(Exception):
    """One or more problems the user can fix; mutations return them in `errors`."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = [Problem(code, message, field)]

    @classmethod
    def of(cls, problems: list[Problem]) -> UserError:
        error = cls(problems[0].code, problems[0].message, problems[0].field)
        error.problems = list(problems)
        return error


class Problem:
    __slots__ = ("code", "field", "message")

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        self.code = code
        self.message = message
        self.field = field


class QueryError(Exception):
    """A query-level failure, reported as a top-level error with `extensions.code`."""

    code = TopLevelCode.BAD_USER_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)


class Unauthenticated(QueryError):
    code = TopLevelCode.UNAUTHENTICATED

    def __init__(self, message: str = "Silakan masuk terlebih dahulu.") -> None:
        super().__init__(message)


class Forbidden(QueryError):
    code = TopLevelCode.FORBIDDEN

    def __init__(self, message: str = "Anda tidak berhak mengakses data ini.") -> None:
        super().__init__(message)


class NotFound(QueryError):
    code = TopLevelCode.NOT_FOUND

    def __init__(self, message: str = "Data tidak ditemukan.") -> None:
        super().__init__(message)


class BadInput(QueryError):
    code = TopLevelCode.BAD_USER_INPUT


class ServiceUnavailable(QueryError):
    """A service the answer needs (the database, Redis, the media store) is down for now."""

    code = TopLevelCode.SERVICE_UNAVAILABLE

    def __init__(
        self, message: str = "Layanan sedang tidak tersedia. Coba lagi beberapa saat lagi."
    ) -> None:
        super().__init__(message)


def is_outage(error: BaseException | None) -> bool:
    """Whether `error`, or what caused it, is a service that does not answer: a refused or
    dropped connection, a timeout. Drivers wrap these in their own exceptions."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, ServiceUnavailable | ConnectionError | TimeoutError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


class Validator:
    """Collects problems so that one answer names every bad field at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: str, code: ErrorCode, message: str) -> None:
        self.problems.append(Problem(code, message, field))

    def text(
        self, field: str, value: str | None, label: str, maximum: int, *, required: bool
    ) -> str:
        """`value` stripped; a problem when it is missing (if required) or too long."""
        text = (value or "").strip()
        if required and not text:
            self.add(field, ErrorCode.REQUIRED, f"{label} wajib diisi.")
        elif len(text) > maximum:
            self.add(
                field,
                ErrorCode.INVALID,
                f"{label} paling panjang {maximum:,} karakter.".replace(",", "."),
            )
        return text

    def check(self) -> None:
        if self.problems:
            raise UserError.of(self.problems)


HUNDRED_PERCENT = 10_000  # in basis points: percentages carry two decimals


def percent_bps(validator: Validator, field: str, value: float | str | Decimal) -> int:
    """A percentage with at most two decimals in basis points; 0 after a problem."""
    try:
        percent = Decimal(str(value))
    except InvalidOperation:
        percent = Decimal("NaN")
    if not percent.is_finite() or not 0 <= percent <= 100:
        validator.add(field, ErrorCode.INVALID, "Persentase harus antara 0 dan 100.")
        return 0
    if percent != percent.quantize(Decimal("0.01")):
        validator.add(field, ErrorCode.INVALID, "Persentase paling banyak dua angka desimal.")
        return 0
    return int(percent * 100)
