"""The `Money` type: whole rupiah with their Indonesian rendering."""

import strawberry

from resolvers.platform import format_rupiah
from schema.platform.scalars import Rupiah


@strawberry.type(description="An amount of money in rupiah.")
class Money:
    amount: Rupiah = strawberry.field(description="Whole rupiah.")
    currency: str = strawberry.field(default="IDR", description='Always "IDR" (ISO 4217).')

    @strawberry.field(description="Indonesian style, e.g. Rp15.000.")
    def formatted(self) -> str:
        return format_rupiah(self.amount)
