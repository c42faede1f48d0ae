"""The `Money` type: whole rupiah with their Indonesian rendering."""

import strawberry

from resolvers.platform import format_rupiah
from schema.platform.scalars import Rupiah


@strawberry.type
class Money:
    amount: Rupiah
    currency: str = "IDR"

    @strawberry.field(description="Indonesian style, e.g. Rp15.000.")
    def formatted(self) -> str:
        return format_rupiah(self.amount)
