"""Rupiah as Indonesians write them."""

from functools import lru_cache

from babel import Locale
from babel.numbers import parse_pattern

_INDONESIA = Locale.parse("id_ID")
_PATTERN = parse_pattern("¤#,##0")


@lru_cache(maxsize=8192)  # prices repeat; Babel takes ~10 µs a call
def format_rupiah(amount: int) -> str:
    return _PATTERN.apply(amount, _INDONESIA, currency="IDR", currency_digits=False)
