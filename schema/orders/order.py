"""Checkout and orders: the buyer's side, the shop owner's moves and live order events."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import orders as m
from resolvers import orders
from resolvers.orders import OrderEventType as EventType
from resolvers.orders import cart, checkout, complaints, order_number, shop_channel
from resolvers.platform import NotFound, visibility
from resolvers.platform import UserError as UserFailure
from schema.catalog import Review
from schema.orders.nota import OrderNota, order_nota
from schema.orders.payments import Payment, PaymentMethod
from schema.orders.shipping import CheckoutShopInput, ShippingKind, shop_choices
from schema.platform import (
    ERRORS,
    After,
    Connection,
    First,
    Kelurahan,
    Money,
    Rupiah,
    UserError,
    Visible,
    connection,
    decode_id,
    described_enum,
    encode_id,
    later,
    payload_of,
    then,
)
from schema.shops import Shop

if TYPE_CHECKING:
    from schema.catalog import Product
    from schema.orders.complaint import Complaint


OrderStatus = described_enum(
    m.OrderStatus,
    "Where an order is. Moves: PENDING_PAYMENT -> PROCESSING (paid) or CANCELLED (by the "
    "buyer, or unpaid in time); PROCESSING -> SHIPPED (the seller) or CANCELLED (the buyer); "
    "SHIPPED -> DELIVERED (the seller) -> COMPLETED (the buyer's confirmReceipt, the end of a "
    "complaint, by itself at autoCompleteAt, or the seller once autoCompleteAt has passed).",
    {
        "PENDING_PAYMENT": "Awaiting a bank transfer or QRIS payment.",
        "PROCESSING": "Paid (or cash on delivery): the seller prepares it.",
        "SHIPPED": "Sent, with a tracking number.",
        "DELIVERED": "Arrived; a cash-on-delivery payment is PAID now.",
        "COMPLETED": "Done: received, or its complaint ended.",
        "CANCELLED": "Cancelled: its stock went back, a paid payment was refunded.",
    },
    name="OrderStatus",
)
OrderEventType = described_enum(
    EventType,
    "What happened to an order.",
    {
        "CREATED": "Placed at checkout.",
        "PAID": "Its payment was confirmed: by the provider (BANK_TRANSFER, QRIS), at "
        "checkout (COOPERATIVE_BALANCE), on delivery (COD).",
        "STATUS_CHANGED": "It moved (SHIPPED, DELIVERED, COMPLETED).",
        "CANCELLED": "Cancelled by the buyer, or because it was not paid in time.",
        "COMPLAINT_CHANGED": "Its complaint took a step: opened, answered, return shipped or "
        "received, escalated, decided or closed.",
    },
    name="OrderEventType",
)


@strawberry.type(
    description="One line of an order, its name and price as they were at checkout: seen by "
    "whoever may see its order."
)
class OrderLine(Visible, relay.Node):
    id: relay.NodeID[int]
    product_name: str = strawberry.field(description="The product's name at checkout.")
    quantity: int = strawberry.field(description="How many.")
    unit_price: Money = strawberry.field(description="The price of one at checkout.")
    subtotal: Money = strawberry.field(description="unitPrice x quantity.")
    sku: str | None = strawberry.field(
        description="The variant's SKU at checkout; null for a product sold without options."
    )
    variant_name: str | None = strawberry.field(
        description='The variant\'s name at checkout (e.g. "M / Merah"); null for a product '
        "sold without options."
    )
    model: strawberry.Private[m.OrderLine]

    @classmethod
    def of(cls, line: m.OrderLine) -> OrderLine:
        return cls(
            id=line.id,
            product_name=line.product_name,
            quantity=line.quantity,
            unit_price=Money(amount=line.unit_price),
            subtotal=Money(amount=line.unit_price * line.quantity),
            sku=line.sku,
            variant_name=line.variant_name,
            model=line,
        )

    @strawberry.field(
        description="The product bought, while the viewer may see it (null once it is a draft "
        "or archived, to anyone but its owner)."
    )
    async def product(
        self, info: Info
    ) -> Annotated[Product, strawberry.lazy("schema.catalog")] | None:
        Product = later("schema.catalog", "Product")
        found = await visibility.by_ids("Product", info.context.viewer, [self.model.product_id])
        return Product.of(found[0]) if found[0] is not None else None

    @strawberry.field(
        description="The buyer's review of this line, once written; hidden ones too (with "
        "isHidden), for whoever reads the order."
    )
    def review(self, info: Info) -> Review | None:
        return then(
            info.context.loaders.line_review.load(self.model.id),
            lambda found: Review.of(found) if found is not None else None,
        )

    @strawberry.field(description="The order the line belongs to.")
    async def order(self, info: Info) -> Order:
        return Order.of(await info.context.loaders.order.load(self.model.order_id))


@strawberry.type(description="Where an order goes.")
class ShippingAddress:
    recipient: str = strawberry.field(description="Who receives it.")
    phone: str = strawberry.field(description="The recipient's number, as E.164 (+62...).")
    street: str = strawberry.field(description="The street address.")
    kelurahan_code: strawberry.Private[str]

    @strawberry.field(description="The kelurahan in Kota Tangerang.")
    def kelurahan(self) -> Kelurahan:
        return Kelurahan.referenced(self.kelurahan_code)


@strawberry.type(description="One status an order took; `actorId` is null for the system.")
class OrderStatusChange:
    status: OrderStatus = strawberry.field(description="The status it took.")
    at: datetime = strawberry.field(description="When.")
    actor_id: strawberry.ID | None = strawberry.field(
        description="The User who made the change (the buyer or the seller); null for the "
        "system (a payment confirmed, an unpaid order expired)."
    )
    reason: str = strawberry.field(
        description="Why, in Bahasa Indonesia (a cancellation's reason, a payment received); "
        "may be empty."
    )


@strawberry.type(description="What an order was shipped with, as the buyer chose it.")
class OrderShipping:
    kind: ShippingKind = strawberry.field(description="The kind of the method chosen.")
    name: str = strawberry.field(description="The method's name as the buyer saw it.")
    fee: Money = strawberry.field(description="The fee charged.")


@strawberry.type(
    description="A buyer's order from one shop. Seen by its buyer and its shop's owner, and by "
    "a marketplace admin once it has a complaint."
)
class Order(Visible, relay.Node):
    id: relay.NodeID[int]
    number: str = strawberry.field(
        description="Human-readable, SP-YYMM-NNNNNN (the month it was placed), e.g. SP-2611-000123."
    )
    status: OrderStatus = strawberry.field(description="Where it is.")
    created_at: datetime = strawberry.field(description="When it was placed.")
    tracking_number: str | None = strawberry.field(
        description="The courier's tracking number, given when it was SHIPPED; null before."
    )
    cancel_reason: str = strawberry.field(description="Why it was cancelled; else empty.")
    delivered_at: datetime | None = strawberry.field(
        description="When the seller marked it DELIVERED."
    )
    voucher_code: str | None = strawberry.field(
        description="The code of the shop voucher applied at checkout (upper-case); null "
        "without one."
    )
    model: strawberry.Private[m.Order]

    @classmethod
    def of(cls, order: m.Order) -> Order:
        return cls(
            id=order.id,
            number=order_number(order.created_at, order.id),
            status=m.OrderStatus(order.status),
            created_at=order.created_at,
            tracking_number=order.tracking_number,
            cancel_reason=order.cancel_reason,
            delivered_at=order.delivered_at,
            voucher_code=order.voucher_code,
            model=order,
        )

    @strawberry.field(description="subtotal + shippingFee - discount: what the buyer pays.")
    def total(self) -> Money:
        return Money(amount=self.model.total)

    @strawberry.field(description="The goods at checkout prices.")
    def subtotal(self) -> Money:
        return Money(amount=self.model.total - self.model.shipping_fee + self.model.discount)

    @strawberry.field(description="The shipping fee charged; Rp0 without shipping.")
    def shipping_fee(self) -> Money:
        return Money(amount=self.model.shipping_fee)

    @strawberry.field(description="The voucher's discount on the goods; Rp0 without one.")
    def discount(self) -> Money:
        return Money(amount=self.model.discount)

    @strawberry.field(
        description="The shipping method charged, as chosen at checkout; null for an order "
        "from a shop that offered none."
    )
    def shipping(self) -> OrderShipping | None:
        order = self.model
        if order.shipping_kind is None:
            return None
        return OrderShipping(
            kind=m.ShippingKind(order.shipping_kind),
            name=order.shipping_name or "",
            fee=Money(amount=order.shipping_fee),
        )

    @strawberry.field(
        description="When a DELIVERED order completes by itself: ORDER_AUTOCOMPLETE_DAYS after "
        "delivery, or later after a rejected complaint (time to escalate); null while a "
        "complaint is open and in any other status."
    )
    async def auto_complete_at(self, info: Info) -> datetime | None:
        if self.model.status != m.OrderStatus.DELIVERED:
            return None
        complaint = await info.context.loaders.order_complaint.load(self.model.id)
        return None if complaints.is_open(complaint) else self.model.auto_complete_at

    @strawberry.field(description="The buyer's complaint about the order, if one was opened.")
    async def complaint(
        self, info: Info
    ) -> Annotated[Complaint, strawberry.lazy("schema.orders.complaint")] | None:
        Complaint = later("schema.orders.complaint", "Complaint")
        found = await info.context.loaders.order_complaint.load(self.model.id)
        return Complaint.of(found) if found is not None else None

    @strawberry.field(description="The shop it is from.")
    async def shop(self, info: Info) -> Shop:
        return Shop.of(await info.context.loaders.shop.load(self.model.shop_id))

    @strawberry.field(description="Its payment.")
    async def payment(self, info: Info) -> Payment:
        return Payment.of(await info.context.loaders.order_payment.load(self.model.id))

    @strawberry.field(
        description="The order's receipt (nota) as a signed PDF: the shop's name, address and "
        "NIB, the order's number and dates, every line, shipping, discount, total, payment and "
        "its QRIS or virtual account reference, status. For the buyer and the shop's owner; "
        "null to anyone else."
    )
    async def nota(self, info: Info) -> OrderNota | None:
        return await order_nota(info, self.model)

    @strawberry.field(description="What was ordered.")
    async def lines(self, info: Info) -> list[OrderLine]:
        return [OrderLine.of(line) for line in await info.context.loaders.order_lines.load(self.id)]

    @strawberry.field(description="Where it goes.")
    def shipping_address(self) -> ShippingAddress:
        order = self.model
        return ShippingAddress(
            recipient=order.recipient,
            phone=order.phone,
            street=order.street,
            kelurahan_code=order.kelurahan_id,
        )

    @strawberry.field(description="Every status change, oldest first, with who made it and when.")
    async def status_history(self, info: Info) -> list[OrderStatusChange]:
        changes = await info.context.loaders.order_status_changes.load(self.id)
        return [
            OrderStatusChange(
                status=m.OrderStatus(c.to_status),
                at=c.created_at,
                actor_id=strawberry.ID(encode_id("User", c.actor_id)) if c.actor_id else None,
                reason=c.reason,
            )
            for c in changes
        ]


@strawberry.input(description="Where the orders go, in Kota Tangerang.")
class ShippingAddressInput:
    recipient: str = strawberry.field(description="Who receives it; at most 120 characters.")
    phone: str = strawberry.field(description="An Indonesian number, e.g. 0812 3456 7890.")
    street: str = strawberry.field(description="The street address; at most 255 characters.")
    kelurahan_code: str = strawberry.field(description="Kemendagri code, e.g. 36.71.01.1001.")


@strawberry.input(description="How to pay for the cart and where to send it.")
class CheckoutInput:
    payment_method: PaymentMethod = strawberry.field(description="How to pay.")
    shipping_address: ShippingAddressInput = strawberry.field(description="Where to send it.")
    idempotency_key: str = strawberry.field(
        description="Chosen by the client, e.g. a UUID, at most 100 characters; the same key "
        "from the same buyer returns the same orders and creates nothing new (the same key "
        "with another request is DUPLICATE)."
    )
    membership_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="With COOPERATIVE_BALANCE (then required): the buyer's own ACTIVE "
        "membership whose simpanan sukarela pays.",
    )
    expected_total: Rupiah | None = strawberry.field(
        default=None,
        description="The cart's total the buyer was shown: another total is PRICE_CHANGED "
        "and nothing is charged. Without it, a line whose price rose since the buyer took it "
        "is PRICE_CHANGED.",
    )
    shops: list[CheckoutShopInput] | None = strawberry.field(
        default=None,
        description="Per shop of the cart, at most once: its shipping option and voucher. A "
        "shop with active shipping methods and no option gets its PICKUP (free) when it has "
        "one, else the checkout is REQUIRED (field `shops`). A voucher's discount is on the "
        "shop's goods and in the order's total and payment; on any error nothing is placed.",
    )


@strawberry.type(description="The answer to checkout.")
class CheckoutPayload:
    orders: list[Order] = strawberry.field(
        default_factory=list,
        description="One order per shop, by shop; empty when `errors` is not empty.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)
    total: Money | None = strawberry.field(
        default=None, description="With PRICE_CHANGED: the cart's total at today's prices."
    )


@strawberry.type(description="The answer to a change of an order.")
class OrderPayload:
    order: Order | None = strawberry.field(
        default=None, description="The order as it is now; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="Something that happened to one of a shop's orders.")
class OrderEvent:
    type: OrderEventType = strawberry.field(description="What happened.")
    order: Order = strawberry.field(description="The order as it is after it.")


def _checkout_fields(data: CheckoutInput) -> checkout.CheckoutFields:
    address = data.shipping_address
    return checkout.CheckoutFields(
        idempotency_key=data.idempotency_key,
        payment_method=str(data.payment_method),  # a StrEnum: its value
        recipient=address.recipient,
        phone=address.phone,
        street=address.street,
        kelurahan_code=address.kelurahan_code,
        membership_id=(
            decode_id(data.membership_id, "Membership", "membershipId")
            if data.membership_id is not None
            else None
        ),
        expected_total=data.expected_total,
        shops=shop_choices(data.shops),
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="The signed-in buyer's orders, newest first; an UNAUTHENTICATED error "
        "when not signed in."
    )
    async def my_orders(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[Order]:
        page = await orders.my_orders_page(info.context.viewer, first=first, after=after)
        return connection(page, Order.of)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="The cart becomes one order per shop, all or nothing: every order is "
        "created and every unit of stock taken, or nothing changes. Stock never goes below "
        "zero however many buyers race. Errors: UNAUTHENTICATED, REQUIRED, INVALID (address, "
        "an empty cart), DUPLICATE (a reused idempotencyKey), OUT_OF_STOCK (`field` is the "
        "Product's id), PRICE_CHANGED (with `total`), NOT_FOUND, INVALID_STATE (membershipId), "
        "INSUFFICIENT_BALANCE."
    )
    async def checkout(
        self,
        info: Info,
        input: Annotated[CheckoutInput, strawberry.argument(description="How and where.")],
    ) -> CheckoutPayload:
        changed: list[int] = []  # the new total, when the prices changed
        payload = await payload_of(
            CheckoutPayload,
            lambda: _checkout(info, input, changed),
            lambda placed: CheckoutPayload(orders=[Order.of(o) for o in placed]),
        )
        if changed:
            payload.total = Money(amount=changed[0])
        return payload

    @strawberry.mutation(
        description="The buyer cancels before the seller ships: stock goes back, a paid "
        "amount is refunded (COOPERATIVE_BALANCE to the same savings account). Errors: "
        "UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED (the seller), INVALID_STATE (shipped "
        "or later)."
    )
    async def cancel_order(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The Order's id.")],
        reason: Annotated[
            str | None,
            strawberry.argument(description="Why, shown to the seller; at most 255 kept."),
        ] = None,
    ) -> OrderPayload:
        return await payload_of(
            OrderPayload,
            lambda: orders.cancel_order(
                info.context.viewer, decode_id(id, "Order"), reason, info.context.services
            ),
            lambda order: OrderPayload(order=Order.of(order)),
        )

    @strawberry.mutation(
        description="The buyer: a DELIVERED order without an open complaint arrived (COMPLETED)."
    )
    async def confirm_receipt(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The order's global id.")],
    ) -> OrderPayload:
        return await payload_of(
            OrderPayload,
            lambda: orders.confirm_receipt(
                info.context.viewer, decode_id(id, "Order"), info.context.services
            ),
            lambda order: OrderPayload(order=Order.of(order)),
        )

    @strawberry.mutation(
        description="The shop owner moves an order: PROCESSING -> SHIPPED (trackingNumber "
        "required) -> DELIVERED -> COMPLETED (only once autoCompleteAt has passed with no "
        "complaint open). Errors: UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED (the buyer), "
        "REQUIRED, INVALID (trackingNumber), INVALID_STATE (any other move)."
    )
    async def update_order_status(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The Order's id.")],
        status: Annotated[
            OrderStatus, strawberry.argument(description="SHIPPED, DELIVERED or COMPLETED.")
        ],
        tracking_number: Annotated[
            str | None,
            strawberry.argument(description="With SHIPPED: the courier's, at most 64 characters."),
        ] = None,
    ) -> OrderPayload:
        return await payload_of(
            OrderPayload,
            lambda: orders.update_order_status(
                info.context.viewer,
                decode_id(id, "Order"),
                m.OrderStatus(status),
                tracking_number,
                info.context.services,
            ),
            lambda order: OrderPayload(order=Order.of(order)),
        )


async def _checkout(info: Info, input: CheckoutInput, changed: list[int]) -> list[m.Order]:
    try:
        return await checkout.checkout(
            info.context.viewer, _checkout_fields(input), info.context.services
        )
    except cart.PriceChanged as error:
        changed.append(error.total)
        raise
    except checkout.OutOfStock as error:  # the variant is named by its global id
        raise UserFailure(error.problems[0].code, str(error), encode_id(*error.node)) from None


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The shop's order events, for its owner, within a second of the change: "
        "CREATED, PAID, STATUS_CHANGED, CANCELLED, COMPLAINT_CHANGED. UNAUTHENTICATED, "
        "NOT_FOUND or FORBIDDEN errors for anyone else."
    )
    async def order_events(
        self,
        info: Info,
        shop_id: Annotated[strawberry.ID, strawberry.argument(description="The Shop's id.")],
    ) -> AsyncGenerator[OrderEvent, None]:
        try:
            wanted = decode_id(shop_id, "Shop", "shopId")
        except UserFailure:
            raise NotFound("Toko tidak ditemukan.") from None
        shop = await orders.owned_shop_for_events(info.context.viewer, wanted)
        async with info.context.services.events.subscribe(shop_channel(shop.id)) as events:
            async for event in events:
                viewer = info.context.viewer
                found = cast(
                    m.Order | None,
                    (await visibility.by_ids("Order", viewer, [event["orderId"]]))[0],
                )
                if found is not None:
                    info.context.renew_loaders()
                    yield OrderEvent(type=EventType(event["type"]), order=Order.of(found))
