"""Rupiah as Indonesians write them."""

from babel.numbers import format_currency


def format_rupiah(amount: int) -> str:
    return format_currency(amount, "IDR", locale="id_ID", format="¤#,##0", currency_digits=False)
