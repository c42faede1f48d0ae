"""Complaints (komplain) about shipped orders: the buyer opens one, the seller answers
(refund, return, reject), the buyer escalates, a marketplace admin decides; each step once,
with the order, the payment and the books moved in the step's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.catalog import Image
from models.orders import (
    Complaint,
    ComplaintReason,
    ComplaintResponse,
    ComplaintStatus,
    ComplaintStep,
    Order,
    OrderStatus,
    Payment,
)
from models.platform import User
from models.shops import Shop
from resolvers.catalog import images
from resolvers.cooperatives import Journal
from resolvers.orders import sales
from resolvers.orders.complaint_rules import ENDED, MAX_NOTE, OPEN, TEXT_LENGTH, Party, can_step
from resolvers.orders.events import OrderEventType, notify
from resolvers.orders.order import require_shop_owner, return_stock
from resolvers.orders.refunds import check_refund, refund
from resolvers.orders.rules import Actor
from resolvers.orders.status import order_sellers, transition
from resolvers.platform import (
    ErrorCode,
    Forbidden,
    NotificationKind,
    Page,
    UserError,
    is_marketplace_admin,
    keyset_page,
    marketplace_admin_ids,
    notifications,
    now,
    require_user,
    row_per,
    rows_grouped_by,
    visibility,
)
from resolvers.providers import Services

MAX_PHOTOS = 5
MAX_TRACKING = 64
COMPLAINABLE = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
STATUS_NAMES = {
    ComplaintStatus.OPEN: "menunggu jawaban penjual",
    ComplaintStatus.RETURN_REQUESTED: "menunggu barang dikirim kembali",
    ComplaintStatus.RETURN_SHIPPED: "barangnya sedang dikirim kembali",
    ComplaintStatus.ESCALATED: "menunggu keputusan admin",
    ComplaintStatus.REJECTED: "ditolak penjual",
    ComplaintStatus.REFUNDED: "sudah dikembalikan dananya",
    ComplaintStatus.CLOSED: "sudah ditutup",
}
DENIED = {
    Party.BUYER: "Hanya pembeli pesanan ini yang boleh melakukannya.",
    Party.SELLER: "Hanya pemilik toko yang boleh menjawab komplain ini.",
    Party.ADMIN: "Hanya admin marketplace yang boleh memutuskan komplain.",
}


def _who_sees(viewer: User | None) -> Q | None:
    """A complaint is seen by its order's buyer and shop owner, and by marketplace admins."""
    if viewer is None:
        return None
    if is_marketplace_admin(viewer):
        return Q()
    return Q(order__buyer_id=viewer.id) | Q(order__shop__owner_id=viewer.id)


visibility.register("Complaint", Complaint, _who_sees)


@dataclass
class Acting:
    user: User
    complaint: Complaint
    order: Order


async def _acting(viewer: User | None, complaint_id: int, party: Party, field: str) -> Acting:
    """The complaint and its order, if `viewer` is its `party`: NOT_FOUND to whoever may not
    see it, PERMISSION_DENIED to whoever sees it in another part."""
    user = require_user(viewer)
    query = visibility.visible("Complaint", user, Complaint.filter(id=complaint_id))
    complaint = await query.select_related("order__shop").first()
    if complaint is None:
        raise UserError(ErrorCode.NOT_FOUND, "Komplain tidak ditemukan.", field)
    order = complaint.order
    allowed = {
        Party.BUYER: order.buyer_id == user.id,
        Party.SELLER: order.shop.owner_id == user.id,
        Party.ADMIN: is_marketplace_admin(user),
    }
    if not allowed[party]:
        raise UserError(ErrorCode.PERMISSION_DENIED, DENIED[party], field)
    return Acting(user, complaint, order)


def _refuse(complaint: Complaint) -> UserError:
    name = STATUS_NAMES[ComplaintStatus(complaint.status)]
    return UserError(ErrorCode.INVALID_STATE, f"Komplain ini {name}.", "id")


async def _step(
    complaint: Complaint,
    target: ComplaintStatus,
    party: Party,
    actor_id: int | None,
    reason: str = "",
    **changes: Any,
) -> None:
    """Inside the caller's transaction: move the complaint if it is still in the status it was
    read in. Conditional on that status, so of two racing steps only one happens; the other
    is INVALID_STATE and its whole transaction (a refund included) is undone."""
    current = ComplaintStatus(complaint.status)
    if not can_step(current, target, party):
        raise _refuse(complaint)
    moved = await Complaint.filter(id=complaint.id, status=current).update(status=target, **changes)
    if not moved:
        raise UserError(
            ErrorCode.INVALID_STATE, "Komplain ini baru saja berubah; muat ulang.", "id"
        )
    await ComplaintStep.create(
        complaint_id=complaint.id, status=target, actor_id=actor_id, reason=reason,
        created_at=now(),
    )  # fmt: skip
    complaint.update_from_dict({"status": target, **changes})
    await _tell(complaint, target)


async def _tell(complaint: Complaint, status: ComplaintStatus) -> None:
    """Inside the step's transaction: the buyer, the shop's owner and the marketplace's
    admins hear of it."""
    order = await Order.get(id=complaint.order_id)
    await notifications.notify(
        NotificationKind.COMPLAINT_CHANGED,
        ("Complaint", complaint.id),
        [order.buyer_id, *await order_sellers(order), *await marketplace_admin_ids()],
        f"Komplain pesanan #{order.id}: {STATUS_NAMES[status]}",
        f"Komplain atas pesanan #{order.id} {STATUS_NAMES[status]}.",
        step=status.value,
    )


def _text(value: str | None, field: str, *, low: int = 1, high: int = MAX_NOTE) -> str:
    text = (value or "").strip()
    if not text:
        raise UserError(ErrorCode.REQUIRED, "Wajib diisi.", field)
    if not low <= len(text) <= high:
        raise UserError(ErrorCode.INVALID, f"Panjangnya {low} sampai {high} karakter.", field)
    return text


async def _changed(services: Services, order: Order, *, completed: bool = False) -> None:
    """After the commit: the shop's owner hears of every step (and of the order's end)."""
    await notify(services.events, order, OrderEventType.COMPLAINT_CHANGED)
    if completed:
        await notify(services.events, order, OrderEventType.STATUS_CHANGED)


async def open_complaint(
    viewer: User | None,
    order_id: int,
    reason: ComplaintReason,
    text: str | None,
    services: Services,
) -> Complaint:
    """The buyer complains about a SHIPPED or DELIVERED order, once."""
    buyer = require_user(viewer)
    order = await visibility.visible("Order", buyer, Order.filter(id=order_id)).first()
    if order is None:
        raise UserError(ErrorCode.NOT_FOUND, "Pesanan tidak ditemukan.", "orderId")
    if order.buyer_id != buyer.id:
        raise UserError(ErrorCode.PERMISSION_DENIED, DENIED[Party.BUYER], "orderId")
    low, high = TEXT_LENGTH
    body = _text(text, "text", low=low, high=high)
    if order.status not in COMPLAINABLE:
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Komplain hanya untuk pesanan yang sudah dikirim atau diterima.",
            "orderId",
        )
    if await Complaint.exists(order_id=order.id):
        raise UserError(ErrorCode.DUPLICATE, "Pesanan ini sudah pernah dikomplain.", "orderId")
    moment = now()
    try:
        async with in_transaction():
            # Holds the order's row for the transaction: a completion racing this waits and
            # then finds the complaint open, or this finds the order completed.
            held = await Order.filter(id=order.id, status=order.status).update(updated_at=moment)
            if not held:
                raise UserError(
                    ErrorCode.INVALID_STATE, "Status pesanan baru saja berubah; muat ulang.",
                    "orderId",
                )  # fmt: skip
            complaint = await Complaint.create(
                order_id=order.id, reason=reason, text=body, created_at=moment,
                respond_by=moment + services.complaint_response,
            )  # fmt: skip
            await ComplaintStep.create(
                complaint_id=complaint.id, status=ComplaintStatus.OPEN, actor_id=buyer.id,
                reason=ComplaintReason(reason).value, created_at=moment,
            )  # fmt: skip
            await _tell(complaint, ComplaintStatus.OPEN)
    except IntegrityError:
        raise UserError(
            ErrorCode.DUPLICATE, "Pesanan ini sudah pernah dikomplain.", "orderId"
        ) from None
    await _changed(services, order)
    return complaint


async def add_complaint_photo(
    viewer: User | None, complaint_id: int, upload: images.Upload, services: Services
) -> Image:
    """The buyer adds a photo to a complaint that has not ended, at most MAX_PHOTOS."""
    acting = await _acting(viewer, complaint_id, Party.BUYER, "complaintId")
    complaint = acting.complaint
    if complaint.status in ENDED:
        raise UserError(ErrorCode.INVALID_STATE, "Komplain ini sudah selesai.", "complaintId")
    if await Image.filter(complaint_id=complaint.id).count() >= MAX_PHOTOS:
        raise UserError(
            ErrorCode.LIMIT_EXCEEDED, f"Paling banyak {MAX_PHOTOS} foto per komplain.", "file"
        )
    photo = await images.store_image(
        services.storage,
        upload,
        acting.user,
        "Foto komplain",
        complaint_id=complaint.id,
        position=lambda: Image.filter(complaint_id=complaint.id).count(),
    )
    await _changed(services, acting.order)
    return photo


async def _end(
    acting: Acting,
    target: ComplaintStatus,
    party: Party,
    amount: int,
    reason: str,
    services: Services,
    *,
    stock_back: bool = False,
    **changes: Any,
) -> Complaint:
    """The complaint ends (REFUNDED with `amount` back to the buyer, or CLOSED) and its order
    completes, in one transaction; exactly once however many race. `stock_back`: the goods
    came back, so their quantities return to stock."""
    complaint, order = acting.complaint, acting.order
    journal = Journal()
    async with in_transaction():
        refunded = complaint.refunded_amount + amount
        await _step(complaint, target, party, acting.user.id, reason,
                    refunded_amount=refunded, **changes)  # fmt: skip
        if stock_back:
            await return_stock(order.id)
        if amount:
            payment = await Payment.get(order_id=order.id)
            await refund(journal, payment, amount, acting.user.id, services)
        await transition(order, OrderStatus.COMPLETED, Actor.SYSTEM, acting.user.id,
                         "Komplain selesai")  # fmt: skip
        await sales.order_completed(order, services.platform_fee_bps)
    await journal.publish(services.events)
    await _changed(services, order, completed=True)
    return complaint


async def respond_to_complaint(
    viewer: User | None,
    complaint_id: int,
    response: ComplaintResponse,
    refund_amount: int | None,
    reason: str | None,
    services: Services,
) -> Complaint:
    """The shop's owner answers an OPEN complaint: REFUND, RETURN or REJECT."""
    acting = await _acting(viewer, complaint_id, Party.SELLER, "id")
    complaint, order = acting.complaint, acting.order
    if complaint.status != ComplaintStatus.OPEN:
        raise _refuse(complaint)
    note = (reason or "").strip()
    if len(note) > MAX_NOTE:
        raise UserError(ErrorCode.INVALID, f"Paling panjang {MAX_NOTE} karakter.", "reason")
    answer: dict[str, Any] = {"response": response, "response_reason": note}
    if response == ComplaintResponse.REJECT:
        answer["response_reason"] = _text(reason, "reason")
        async with in_transaction():
            await _step(complaint, ComplaintStatus.REJECTED, Party.SELLER, acting.user.id,
                        answer["response_reason"], **answer)  # fmt: skip
            if order.status == OrderStatus.DELIVERED:
                # The buyer's time to escalate before the order completes by itself.
                later = now() + services.complaint_response
                due = max(order.auto_complete_at or later, later)
                await Order.filter(id=order.id).update(auto_complete_at=due)
        await _changed(services, order)
        return complaint
    if refund_amount is None:
        raise UserError(ErrorCode.REQUIRED, "Jumlah pengembalian wajib diisi.", "refundAmount")
    check_refund(await Payment.get(order_id=order.id), refund_amount)
    if response == ComplaintResponse.RETURN:
        async with in_transaction():
            await _step(complaint, ComplaintStatus.RETURN_REQUESTED, Party.SELLER,
                        acting.user.id, note, agreed_refund=refund_amount, **answer)  # fmt: skip
        await _changed(services, order)
        return complaint
    return await _end(acting, ComplaintStatus.REFUNDED, Party.SELLER, refund_amount, note,
                      services, agreed_refund=refund_amount, **answer)  # fmt: skip


async def ship_complaint_return(
    viewer: User | None, complaint_id: int, tracking_number: str | None, services: Services
) -> Complaint:
    """The buyer sends the goods back, with the courier's tracking number."""
    acting = await _acting(viewer, complaint_id, Party.BUYER, "id")
    tracking = _text(tracking_number, "trackingNumber", high=MAX_TRACKING)
    async with in_transaction():
        await _step(acting.complaint, ComplaintStatus.RETURN_SHIPPED, Party.BUYER,
                    acting.user.id, tracking, return_tracking_number=tracking)  # fmt: skip
    await _changed(services, acting.order)
    return acting.complaint


async def receive_complaint_return(
    viewer: User | None, complaint_id: int, services: Services
) -> Complaint:
    """The shop's owner has the goods back: stock returns and the agreed amount is refunded."""
    acting = await _acting(viewer, complaint_id, Party.SELLER, "id")
    complaint = acting.complaint
    if complaint.status != ComplaintStatus.RETURN_SHIPPED:
        raise _refuse(complaint)
    amount = complaint.agreed_refund or 0
    return await _end(
        acting, ComplaintStatus.REFUNDED, Party.SELLER, amount, "Barang diterima kembali",
        services, stock_back=True,
    )  # fmt: skip


async def escalate_complaint(
    viewer: User | None, complaint_id: int, note: str | None, services: Services
) -> Complaint:
    """The buyer takes a REJECTED complaint, or an OPEN one past respondBy, to the admins."""
    acting = await _acting(viewer, complaint_id, Party.BUYER, "id")
    complaint = acting.complaint
    text = _text(note, "note")
    if complaint.status == ComplaintStatus.OPEN and complaint.respond_by > now():
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Penjual masih punya waktu untuk menjawab komplain ini.",
            "id",
        )
    async with in_transaction():
        await _step(complaint, ComplaintStatus.ESCALATED, Party.BUYER, acting.user.id, text)
    await _changed(services, acting.order)
    return complaint


async def decide_complaint(
    viewer: User | None, complaint_id: int, refund_amount: int, note: str | None,
    services: Services,
) -> Complaint:  # fmt: skip
    """A marketplace admin decides an ESCALATED complaint: 0 closes it for the seller, more is
    refunded to the buyer."""
    acting = await _acting(viewer, complaint_id, Party.ADMIN, "id")
    complaint = acting.complaint
    text = _text(note, "note")
    if complaint.status != ComplaintStatus.ESCALATED:
        raise _refuse(complaint)
    if refund_amount < 0:
        raise UserError(
            ErrorCode.INVALID, "Jumlah pengembalian tidak boleh negatif.", "refundAmount"
        )
    if refund_amount:
        check_refund(await Payment.get(order_id=acting.order.id), refund_amount)
    target = ComplaintStatus.REFUNDED if refund_amount else ComplaintStatus.CLOSED
    return await _end(acting, target, Party.ADMIN, refund_amount, text, services,
                      decision_note=text)  # fmt: skip


async def shop_complaints_page(
    viewer: User | None,
    shop: Shop,
    status: str | None,
    *,
    first: int | None,
    after: str | None,
) -> Page:
    """The shop's complaints, newest first, for its owner only."""
    require_shop_owner(viewer, shop, "Hanya pemilik toko yang boleh melihat komplainnya.")
    query = Complaint.filter(order__shop_id=shop.id)
    if status is not None:
        query = query.filter(status=ComplaintStatus(status))
    return await keyset_page(query, first=first, after=after)


async def complaints_page(
    viewer: User | None, status: ComplaintStatus | None, *, first: int | None, after: str | None
) -> Page:
    """Every complaint (of a status), newest first: marketplace admins only."""
    if not is_marketplace_admin(viewer):
        raise Forbidden("Hanya admin marketplace yang boleh melihat ini.")
    query = Complaint.all() if status is None else Complaint.filter(status=status)
    return await keyset_page(query, first=first, after=after)


async def complaints_of_orders(order_ids: list[int]) -> list[Complaint | None]:
    return await row_per(Complaint.all(), "order_id", order_ids)


async def steps_of_complaints(complaint_ids: list[int]) -> list[list[ComplaintStep]]:
    return await rows_grouped_by(ComplaintStep.all().order_by("id"), "complaint_id", complaint_ids)


async def photos_of_complaints(complaint_ids: list[int]) -> list[list[Image]]:
    return await rows_grouped_by(
        Image.all().order_by("position", "id"), "complaint_id", complaint_ids
    )


def is_open(complaint: Complaint | None) -> bool:
    return complaint is not None and complaint.status in OPEN
