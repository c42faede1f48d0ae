"""Complaints (komplain) about shipped orders: the buyer's claim, the seller's answer, the
return of the goods and the marketplace admin's decision."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload
from strawberry.types import Info

from models import orders as m
from resolvers.catalog import images
from resolvers.orders import complaints
from schema.catalog import Image, ImagePayload
from schema.platform import (
    After,
    Connection,
    First,
    Money,
    Rupiah,
    UserError,
    Visible,
    connection,
    decode_id,
    later,
    payload_of,
)

if TYPE_CHECKING:
    from schema.orders.order import Order


@strawberry.enum(description="Where a complaint stands; REFUNDED and CLOSED are its ends.")
class ComplaintStatus(Enum):
    OPEN = strawberry.enum_value("OPEN", description="Waiting for the seller's answer.")
    RETURN_REQUESTED = strawberry.enum_value(
        "RETURN_REQUESTED", description="The seller wants the goods back first."
    )
    RETURN_SHIPPED = strawberry.enum_value(
        "RETURN_SHIPPED", description="The buyer sent the goods back."
    )
    ESCALATED = strawberry.enum_value(
        "ESCALATED", description="Waiting for a marketplace admin's decision."
    )
    REJECTED = strawberry.enum_value(
        "REJECTED", description="The seller rejected it; the buyer may escalate."
    )
    REFUNDED = strawberry.enum_value("REFUNDED", description="Money went back to the buyer.")
    CLOSED = strawberry.enum_value("CLOSED", description="Ended without a refund.")


@strawberry.enum(description="What the buyer says is wrong with the order.")
class ComplaintReason(Enum):
    NOT_RECEIVED = strawberry.enum_value("NOT_RECEIVED", description="The goods never came.")
    DAMAGED = strawberry.enum_value("DAMAGED", description="The goods came damaged.")
    WRONG_ITEM = strawberry.enum_value("WRONG_ITEM", description="Other goods came.")
    INCOMPLETE = strawberry.enum_value("INCOMPLETE", description="Part of the goods is missing.")
    NOT_AS_DESCRIBED = strawberry.enum_value(
        "NOT_AS_DESCRIBED", description="The goods differ from the product page."
    )
    OTHER = strawberry.enum_value("OTHER", description="Something else: the text says what.")


@strawberry.enum(description="The seller's answer to an OPEN complaint.")
class ComplaintResponse(Enum):
    REFUND = strawberry.enum_value("REFUND", description="Money back at once.")
    RETURN = strawberry.enum_value(
        "RETURN", description="The goods come back first, then the money."
    )
    REJECT = strawberry.enum_value("REJECT", description="No refund, with a reason.")


@strawberry.type(description="One step of a complaint: the status it took, when and why.")
class ComplaintStep:
    status: ComplaintStatus = strawberry.field(description="The status the step led to.")
    at: datetime = strawberry.field(description="When the step was taken.")
    reason: str = strawberry.field(
        description="The step's reason: the complaint's reason, the seller's answer, the "
        "tracking number, the buyer's escalation note or the admin's decision."
    )


@strawberry.type(
    description="A buyer's complaint about a shipped order: seen by the buyer, the shop's owner "
    "and marketplace admins."
)
class Complaint(Visible, relay.Node):
    id: relay.NodeID[int]
    status: ComplaintStatus = strawberry.field(description="Where the complaint stands.")
    reason: ComplaintReason = strawberry.field(description="What the buyer says is wrong.")
    text: str = strawberry.field(description="The buyer's account, 10-2000 characters.")
    created_at: datetime = strawberry.field(description="When the buyer opened it.")
    respond_by: datetime = strawberry.field(
        description="The seller's answer is due by then (COMPLAINT_RESPONSE_DAYS after "
        "opening); past it the buyer may escalate an OPEN complaint."
    )
    response: ComplaintResponse | None = strawberry.field(
        description="The seller's answer, once given."
    )
    response_reason: str = strawberry.field(
        description="The seller's words with the answer (a rejection's reason)."
    )
    return_tracking_number: str | None = strawberry.field(
        description="The courier's tracking number of the goods sent back."
    )
    decision_note: str = strawberry.field(description="The marketplace admin's decision note.")
    model: strawberry.Private[m.Complaint]

    @classmethod
    def of(cls, complaint: m.Complaint) -> Complaint:
        return cls(
            id=complaint.id,
            status=ComplaintStatus(complaint.status),
            reason=ComplaintReason(complaint.reason),
            text=complaint.text,
            created_at=complaint.created_at,
            respond_by=complaint.respond_by,
            response=ComplaintResponse(complaint.response) if complaint.response else None,
            response_reason=complaint.response_reason,
            return_tracking_number=complaint.return_tracking_number,
            decision_note=complaint.decision_note,
            model=complaint,
        )

    @strawberry.field(description="What the seller agreed to refund when the goods come back.")
    def agreed_refund(self) -> Money | None:
        amount = self.model.agreed_refund
        return None if amount is None else Money(amount=amount)

    @strawberry.field(description="What went back to the buyer through this complaint.")
    def refunded_amount(self) -> Money:
        return Money(amount=self.model.refunded_amount)

    @strawberry.field(description="The order complained about.")
    async def order(self, info: Info) -> Annotated[Order, strawberry.lazy("schema.orders.order")]:
        Order = later("schema.orders.order", "Order")
        return Order.of(await info.context.loaders.order.load(self.model.order_id))

    @strawberry.field(description="The buyer's photos, at most 5, oldest first.")
    async def photos(self, info: Info) -> list[Image]:
        found = await info.context.loaders.complaint_photos.load(self.model.id)
        return [Image.of(photo) for photo in found]

    @strawberry.field(description="Every step, oldest first, from opening to its end.")
    async def history(self, info: Info) -> list[ComplaintStep]:
        steps = await info.context.loaders.complaint_steps.load(self.model.id)
        return [
            ComplaintStep(status=ComplaintStatus(s.status), at=s.created_at, reason=s.reason)
            for s in steps
        ]


@strawberry.input(description="The buyer's complaint about a SHIPPED or DELIVERED order.")
class OpenComplaintInput:
    order_id: strawberry.ID = strawberry.field(description="The order complained about.")
    reason: ComplaintReason = strawberry.field(description="What is wrong.")
    text: str = strawberry.field(description="What happened, 10-2000 characters.")


@strawberry.input(description="The seller's answer to an OPEN complaint.")
class ComplaintResponseInput:
    response: ComplaintResponse = strawberry.field(description="REFUND, RETURN or REJECT.")
    refund_amount: Rupiah | None = strawberry.field(
        default=None,
        description="REFUND and RETURN: from Rp1 up to the order's paid total less what was "
        "refunded.",
    )
    reason: str | None = strawberry.field(
        default=None, description="REJECT: why (required); otherwise an optional note."
    )


@strawberry.type(description="The complaint a step acted on, or why it could not.")
class ComplaintPayload:
    complaint: Complaint | None = strawberry.field(
        default=None, description="The complaint as the step left it."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What refused the step; nothing changed then."
    )


COMPLAINT = "The complaint's global id."


def _done(complaint: m.Complaint) -> ComplaintPayload:
    return ComplaintPayload(complaint=Complaint.of(complaint))


@strawberry.type
class Query:
    @strawberry.field(
        description="Marketplace admins only (others: FORBIDDEN): complaints, newest first, "
        "of one status if given."
    )
    async def complaints(
        self,
        info: Info,
        status: Annotated[
            ComplaintStatus | None, strawberry.argument(description="Only of this status.")
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Complaint] | None:
        page = await complaints.complaints_page(
            info.context.viewer,
            m.ComplaintStatus(status.name) if status else None,
            first=first,
            after=after,
        )
        return connection(page, Complaint.of)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="The buyer complains about a SHIPPED or DELIVERED order, once; the seller "
        "answers by respondBy."
    )
    async def open_complaint(
        self,
        info: Info,
        input: Annotated[OpenComplaintInput, strawberry.argument(description="The complaint.")],
    ) -> ComplaintPayload:
        return await payload_of(
            ComplaintPayload,
            lambda: complaints.open_complaint(
                info.context.viewer,
                decode_id(input.order_id, "Order", "orderId"),
                m.ComplaintReason(input.reason.name),
                input.text,
                info.context.services,
            ),
            _done,
        )

    @strawberry.mutation(
        description="The buyer adds a photo (as uploadProductImage takes) to a complaint not "
        "yet ended, at most 5."
    )
    async def upload_complaint_photo(
        self,
        info: Info,
        complaint_id: Annotated[strawberry.ID, strawberry.argument(description=COMPLAINT)],
        file: Annotated[Upload, strawberry.argument(description="JPEG, PNG or WebP.")],
    ) -> ImagePayload:
        return await payload_of(
            ImagePayload,
            lambda: complaints.add_complaint_photo(
                info.context.viewer,
                decode_id(complaint_id, "Complaint", "complaintId"),
                cast(images.Upload, file),  # starlette's UploadFile
                info.context.services,
            ),
            lambda image: ImagePayload(image=Image.of(image)),
        )

    @strawberry.mutation(
        description="The shop's owner answers an OPEN complaint: REFUND (at once, the way the "
        "money came), RETURN (the goods first) or REJECT (with a reason)."
    )
    async def respond_to_complaint(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=COMPLAINT)],
        input: Annotated[ComplaintResponseInput, strawberry.argument(description="The answer.")],
    ) -> ComplaintPayload:
        return await payload_of(
            ComplaintPayload,
            lambda: complaints.respond_to_complaint(
                info.context.viewer,
                decode_id(id, "Complaint"),
                m.ComplaintResponse(input.response.name),
                input.refund_amount,
                input.reason,
                info.context.services,
            ),
            _done,
        )

    @strawberry.mutation(
        description="The buyer sends the goods of a RETURN_REQUESTED complaint back, with the "
        "courier's tracking number."
    )
    async def ship_complaint_return(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=COMPLAINT)],
        tracking_number: Annotated[
            str, strawberry.argument(description="The courier's tracking number of the return.")
        ],
    ) -> ComplaintPayload:
        return await payload_of(
            ComplaintPayload,
            lambda: complaints.ship_complaint_return(
                info.context.viewer,
                decode_id(id, "Complaint"),
                tracking_number,
                info.context.services,
            ),
            _done,
        )

    @strawberry.mutation(
        description="The shop's owner has the returned goods: stock goes back and the agreed "
        "amount is refunded."
    )
    async def receive_complaint_return(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description=COMPLAINT)]
    ) -> ComplaintPayload:
        return await payload_of(
            ComplaintPayload,
            lambda: complaints.receive_complaint_return(
                info.context.viewer, decode_id(id, "Complaint"), info.context.services
            ),
            _done,
        )

    @strawberry.mutation(
        description="The buyer takes a REJECTED complaint, or an OPEN one past respondBy, to a "
        "marketplace admin."
    )
    async def escalate_complaint(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=COMPLAINT)],
        note: Annotated[str, strawberry.argument(description="Why the buyer escalates.")],
    ) -> ComplaintPayload:
        return await payload_of(
            ComplaintPayload,
            lambda: complaints.escalate_complaint(
                info.context.viewer, decode_id(id, "Complaint"), note, info.context.services
            ),
            _done,
        )

    @strawberry.mutation(
        description="A marketplace admin decides an ESCALATED complaint once: refundAmount 0 "
        "closes it for the seller, more is refunded to the buyer."
    )
    async def decide_complaint(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=COMPLAINT)],
        refund_amount: Annotated[
            Rupiah, strawberry.argument(description="0 closes it; more is refunded.")
        ],
        note: Annotated[str, strawberry.argument(description="The reasons for the decision.")],
    ) -> ComplaintPayload:
        return await payload_of(
            ComplaintPayload,
            lambda: complaints.decide_complaint(
                info.context.viewer,
                decode_id(id, "Complaint"),
                refund_amount,
                note,
                info.context.services,
            ),
            _done,
        )
