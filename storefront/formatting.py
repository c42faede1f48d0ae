"""How the storefront writes money, dates and phone numbers for Indonesian readers."""

from __future__ import annotations

import re
from datetime import date as calendar_date
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

import phonenumbers
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "id_ID"
JAKARTA = ZoneInfo("Asia/Jakarta")


def rupiah(amount: int) -> str:
    """Whole rupiah the Indonesian way: `Rp15.000`, `-Rp15.000`."""
    sign = "-" if amount < 0 else ""
    return sign + "Rp" + format_decimal(abs(amount), format="#,##0", locale=LOCALE)


def date_time(value: str) -> str:
    """An ISO 8601 moment in Jakarta time: `1 Desember 2026 19.05`."""
    moment = datetime.fromisoformat(value).astimezone(JAKARTA)
    return format_datetime(moment, "d MMMM y HH.mm", tzinfo=JAKARTA, locale=LOCALE)


def date(value: str) -> str:
    """An ISO 8601 moment as its Jakarta date: `1 Desember 2026`."""
    return format_date(datetime.fromisoformat(value).astimezone(JAKARTA), "d MMMM y", locale=LOCALE)


def day(value: str) -> str:
    """An ISO 8601 calendar date (no time of day): `1 Desember 2026`."""
    return format_date(calendar_date.fromisoformat(value), "d MMMM y", locale=LOCALE)


def is_iso_date(text: str) -> bool:
    """Whether `text` is a calendar date as a date field sends it: `2026-01-31`."""
    try:
        calendar_date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def short_month(value: str) -> str:
    """A `YYYY-MM` month, short: `Des 2026`."""
    return format_date(calendar_date.fromisoformat(value + "-01"), "MMM y", locale=LOCALE)


def today() -> str:
    """Today in Jakarta, YYYY-MM-DD (a date field's value)."""
    return f"{datetime.now(JAKARTA):%Y-%m-%d}"


def this_month() -> str:
    """The current month in Jakarta, YYYY-MM (a bill period)."""
    return f"{datetime.now(JAKARTA):%Y-%m}"


def month(period: str) -> str:
    """A bill period, YYYY-MM, as its month: `Desember 2026` (as it is when it is no month)."""
    try:
        first = calendar_date.fromisoformat(f"{period}-01")
    except ValueError:
        return period
    return format_date(first, "MMMM y", locale=LOCALE)


def parse_rupiah(text: str) -> int | None:
    """Whole rupiah as people type them (`15.000`, `Rp 15000`); None when it is no amount."""
    digits = re.sub(r"[.\s]", "", text.strip().removeprefix("Rp"))
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 15 else None


def percent_bps(bps: int) -> str:
    """Basis points as an Indonesian percentage: 1250 -> `12,5%`."""
    return format_decimal(Decimal(bps) / 100, format="#,##0.##", locale=LOCALE) + "%"


def parse_percent(text: str) -> Decimal | None:
    """A percentage as people type it (`12,5`, `12.5 %`), at most two decimals; else None."""
    cleaned = text.strip().removesuffix("%").strip().replace(",", ".")
    return Decimal(cleaned) if re.fullmatch(r"\d{1,3}(\.\d{1,2})?", cleaned) else None


def phone(value: str) -> str:
    """A stored E.164 number as people write it: `0812-3456-7890`."""
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def whatsapp_link(number: str, text: str) -> str:
    """A wa.me link to an Indonesian number with a message ready to send."""
    digits = "".join(c for c in number if c.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return f"https://wa.me/{digits}?text={quote(text)}"
