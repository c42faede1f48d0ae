"""The `Money` type: whole rupiah with their Indonesian rendering."""

import strawberry
from babel.numbers import format_currency

from schema.scalars import Rupiah


def format_rupiah(amount: int) -> str:
    return format_currency(amount, "IDR", locale="id_ID", format="¤#,##0", currency_digits=False)


@strawberry.type
class Money:
    amount: Rupiah
    currency: str = "IDR"

    @strawberry.field(description="Indonesian style, e.g. Rp15.000.")
    def formatted(self) -> str:
        return format_rupiah(self.amount)
