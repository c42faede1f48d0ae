"""The city's figures, the rollout and socialisation, checked against counts made here.

The suite shares one database, so each figure is checked as a difference: the answer after
this test's rows minus the answer before, against what plain Python counts over the rows the
test itself made.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import count

from models.catalog.product import Product
from models.city import ACTIVE_PRODUCTS, CityCount, PaidOrderMonth, Socialization
from models.cooperatives.cooperative import Cooperative, Membership, MembershipStatus
from models.orders.payments import Payment, PaymentStatus
from models.platform.accounts import User
from resolvers.platform.clock import JAKARTA, last_months, today
from schema.platform.ids import decode_id
from tests.catalog.helpers import add_product
from tests.city.helpers import DASHBOARD, RECORD, ROLLOUT
from tests.conftest import StatementCounter, city_admin, sign_up
from tests.orders.helpers import CANCEL, buy, move, notify, payment_of, seller_with_products
from tests.shops.helpers import VERIFY_SHOP, open_shop

MONTHLY = "{ cityMonthly { month newShops newMembers orders gmv { amount } } }"

# Two kelurahan in two kecamatan (Tangerang and Cipondoh), and the rest of Cipondoh's.
HERE, THERE, NEIGHBOUR = "36.71.01.1002", "36.71.02.1003", "36.71.02.1004"
_serial = count(1)


def month_of(moment: datetime) -> str:
    return f"{moment.astimezone(JAKARTA):%Y-%m}"


async def cooperative(kelurahan: str, *, digital: bool) -> Cooperative:
    n = f"{next(_serial)}-{uuid.uuid4().hex[:6]}"
    return await Cooperative.create(
        slug=f"koperasi-kota-{n}", name="Koperasi Kota", type="KONSUMEN",
        legal_number=f"AHU-KOTA-{n}", kelurahan_id=kelurahan, is_digital=digital,
    )  # fmt: skip


async def member(koperasi: Cooperative, status: MembershipStatus, joined: bool) -> None:
    user = await User.create(
        name="Anggota", email=f"a{uuid.uuid4().hex[:12]}@contoh.id", password_hash="-"
    )
    await Membership.create(
        cooperative=koperasi,
        user=user,
        status=status,
        joined_at=datetime.now(UTC) if joined else None,
    )


async def pay(client, live, order: dict) -> None:
    payment = await payment_of(order)
    body = {"id": uuid.uuid4().hex, "reference": payment.reference,
            "amount": payment.amount, "status": "PAID"}  # fmt: skip
    assert (await notify(client, live, body)).status_code == 200


async def snapshot(gql) -> dict:
    dashboard = (await gql(DASHBOARD))["data"]
    rollout = (await gql(ROLLOUT))["data"]["kelurahanRollout"]
    return {
        "city": dashboard["cityStats"],
        "kecamatan": {k["kecamatan"]["code"]: k for k in dashboard["kecamatanStats"]},
        "kelurahan": {k["kelurahan"]["code"]: k for k in rollout},
        "monthly": (await gql(MONTHLY))["data"]["cityMonthly"],
    }


def kecamatan_of(kelurahan: str) -> str:
    return kelurahan[:8]


async def test_every_figure_follows_exactly_what_happened(gql, client, live):
    admin = await city_admin(gql)
    before = await snapshot(gql)
    assert len(before["kelurahan"]) == 104
    assert len(before["kecamatan"]) == 13

    # What this test makes, written down as it goes: the expected counts come from here.
    shops: list[tuple[str, bool]] = []  # (kelurahan, verified)
    products: list[str] = []  # statuses
    orders: list[tuple[int, bool]] = []  # (total, paid)
    owner, _, (product,) = await seller_with_products(gql, price=12000, stock=50)
    shops.append(("36.71.01.1001", False))
    products.append("ACTIVE")
    for kelurahan, nib in ((HERE, "1234567890123"), (THERE, None), (THERE, "9876543210987")):
        shop = await open_shop(gql, owner["token"], kelurahanCode=kelurahan, nib=nib)
        verified = nib is not None and kelurahan == THERE
        if verified:
            answer = await gql(VERIFY_SHOP, {"id": shop["id"]}, token=admin["token"])
            assert answer["data"]["verifyShop"]["errors"] == []
        shops.append((kelurahan, verified))
        for status in ("ACTIVE", "DRAFT", "ARCHIVED", "ACTIVE"):
            await add_product(gql, owner["token"], shop["id"], status=status)
            products.append(status)

    _, paid = await buy(gql, product["id"], 2, method="BANK_TRANSFER")
    await pay(client, live, paid)
    orders.append((paid["total"]["amount"], True))
    refunder, refunded = await buy(gql, product["id"], 1, method="QRIS")
    await pay(client, live, refunded)
    cancel = await gql(CANCEL, {"id": refunded["id"]}, token=refunder["token"])
    assert cancel["data"]["cancelOrder"]["order"]["payment"] == {"status": "REFUNDED"}
    orders.append((refunded["total"]["amount"], False))
    canceller, cancelled = await buy(gql, product["id"], 3, method="BANK_TRANSFER")
    await gql(CANCEL, {"id": cancelled["id"]}, token=canceller["token"])
    orders.append((cancelled["total"]["amount"], False))
    _, waiting = await buy(gql, product["id"], 1, method="BANK_TRANSFER")
    orders.append((waiting["total"]["amount"], False))
    _, on_the_way = await buy(gql, product["id"], 1, method="COD")
    orders.append((on_the_way["total"]["amount"], False))
    _, delivered = await buy(gql, product["id"], 4, method="COD")
    for status, tracking in (("SHIPPED", "JNE123"), ("DELIVERED", None)):
        assert (await move(gql, owner["token"], delivered["id"], status, tracking))["errors"] == []
    orders.append((delivered["total"]["amount"], True))

    cooperatives: list[tuple[str, bool]] = []
    members: list[tuple[str, MembershipStatus]] = []
    for kelurahan, digital in ((HERE, True), (THERE, False), (THERE, True)):
        koperasi = await cooperative(kelurahan, digital=digital)
        cooperatives.append((kelurahan, digital))
        for status in (MembershipStatus.ACTIVE, MembershipStatus.ACTIVE, MembershipStatus.PENDING,
                       MembershipStatus.ENDED, MembershipStatus.REJECTED):  # fmt: skip
            await member(koperasi, status, joined=status in ("ACTIVE", "ENDED"))
            members.append((kelurahan, status))

    sessions = [(THERE, today() - timedelta(days=3)), (THERE, today() - timedelta(days=40)),
                (NEIGHBOUR, today())]  # fmt: skip
    for kelurahan, held_on in sessions:
        answer = await gql(RECORD, {"kelurahanCode": kelurahan, "date": held_on.isoformat(),
                                    "note": "Sosialisasi di kantor kelurahan"}, token=admin["token"])  # fmt: skip
        assert answer["data"]["recordSocialization"] == {"ok": True, "errors": []}
    first_session = {}
    for kelurahan, held_on in sessions:
        first_session[kelurahan] = min(held_on, first_session.get(kelurahan, held_on))
    newly_socialized = {k for k in first_session if before["kelurahan"][k]["socializedAt"] is None}

    after = await snapshot(gql)

    def delta(where: str, key: str, name: str) -> int:
        return after[where][key][name] - before[where][key][name]

    city = after["city"]
    paid_totals = [total for total, is_paid in orders if is_paid]
    assert city["shops"] - before["city"]["shops"] == len(shops)
    assert city["verifiedShops"] - before["city"]["verifiedShops"] == sum(v for _, v in shops)
    assert city["products"] - before["city"]["products"] == products.count("ACTIVE")
    assert city["orders"] - before["city"]["orders"] == len(paid_totals)
    gmv = city["gmv"]["amount"] - before["city"]["gmv"]["amount"]
    assert gmv == sum(paid_totals) == 12000 * 6
    assert city["gmv"]["formatted"] == f"Rp{city['gmv']['amount']:,}".replace(",", ".")
    assert city["cooperatives"] - before["city"]["cooperatives"] == len(cooperatives)
    assert city["digitalCooperatives"] - before["city"]["digitalCooperatives"] == sum(
        d for _, d in cooperatives
    )
    active = [k for k, s in members if s == MembershipStatus.ACTIVE]
    assert city["members"] - before["city"]["members"] == len(active)
    assert city["kelurahanSocialized"] - before["city"]["kelurahanSocialized"] == len(
        newly_socialized
    )

    shop_places = Counter(k for k, _ in shops)
    cooperative_places = Counter(k for k, _ in cooperatives)
    member_places = Counter(active)
    for code in after["kelurahan"]:
        assert delta("kelurahan", code, "shops") == shop_places[code], code
        assert delta("kelurahan", code, "cooperatives") == cooperative_places[code], code
        assert delta("kelurahan", code, "members") == member_places[code], code
        expected = first_session.get(code) if code in newly_socialized else None
        if expected is not None:
            assert after["kelurahan"][code]["socializedAt"] == expected.isoformat()
        else:
            assert (
                after["kelurahan"][code]["socializedAt"]
                == before["kelurahan"][code]["socializedAt"]
            )
    for code, row in after["kecamatan"].items():
        assert row["kelurahanTotal"] == sum(
            1 for k in after["kelurahan"] if kecamatan_of(k) == code
        )
        inside = [k for k in shop_places.elements() if kecamatan_of(k) == code]
        assert delta("kecamatan", code, "shops") == len(inside)
        assert delta("kecamatan", code, "cooperatives") == sum(
            n for k, n in cooperative_places.items() if kecamatan_of(k) == code
        )
        assert delta("kecamatan", code, "members") == sum(
            n for k, n in member_places.items() if kecamatan_of(k) == code
        )
        assert delta("kecamatan", code, "kelurahanSocialized") == sum(
            1 for k in newly_socialized if kecamatan_of(k) == code
        )

    # This month's line of the series moved by the same amounts.
    now_before, now_after = before["monthly"][-1], after["monthly"][-1]
    assert now_after["month"] == f"{today():%Y-%m}"
    assert now_after["newShops"] - now_before["newShops"] == len(shops)
    assert now_after["newMembers"] - now_before["newMembers"] == sum(
        1 for _, s in members if s in ("ACTIVE", "ENDED")
    )
    assert now_after["orders"] - now_before["orders"] == len(paid_totals)
    assert now_after["gmv"]["amount"] - now_before["gmv"]["amount"] == sum(paid_totals)
    assert [m["month"] for m in after["monthly"]] == last_months(12, today())


async def test_the_paid_tally_equals_a_count_of_every_payment(gql, client, live):
    # Payments made, paid, refunded, moved between months and deleted straight in the
    # database: the triggers keep up whoever writes.
    _, _, (product,) = await seller_with_products(gql, price=7000, stock=20)
    _, order = await buy(gql, product["id"], 1, method="BANK_TRANSFER")
    await pay(client, live, order)
    payment = await payment_of(order)
    await Payment.filter(id=payment.id).update(created_at=datetime(2025, 1, 31, 17, 30, tzinfo=UTC))
    _, other = await buy(gql, product["id"], 2, method="QRIS")
    await Payment.filter(id=(await payment_of(other)).id).update(status=PaymentStatus.PAID)
    await Payment.filter(id=(await payment_of(other)).id).update(status=PaymentStatus.REFUNDED)

    expected: dict[str, list[int]] = {}
    for created_at, amount in await Payment.filter(status=PaymentStatus.PAID).values_list(
        "created_at", "amount"
    ):
        tally = expected.setdefault(month_of(created_at), [0, 0])
        tally[0] += 1
        tally[1] += amount
    kept = {
        row.month: [row.orders, row.gmv]
        for row in await PaidOrderMonth.all()
        if row.orders or row.gmv
    }
    assert kept == expected
    assert kept["2025-02"][0] >= 1  # 31 Jan 17:30 UTC is 1 Feb in Jakarta


async def test_the_active_product_count_follows_every_write(gql):
    owner, shop, (product,) = await seller_with_products(gql)
    ids = [decode_id(product["id"], "Product")]
    for status in ("DRAFT", "ARCHIVED", "ACTIVE"):
        ids.append(
            decode_id(
                (await add_product(gql, owner["token"], shop["id"], status=status))["id"], "Product"
            )
        )
    mine = Product.filter(id__in=ids)
    await mine.filter(status="ACTIVE").update(status="ARCHIVED")  # one statement, two rows
    await mine.filter(status="DRAFT").update(status="ACTIVE")
    await mine.filter(status="ACTIVE").update(stock=99)  # no change of status
    await Product.filter(id=ids[2]).delete()  # archived
    await Product.filter(id=ids[1]).delete()  # active
    statuses = await Product.all().values_list("status", flat=True)
    counted = (await CityCount.get(name=ACTIVE_PRODUCTS)).value
    assert counted == sum(1 for s in statuses if s == "ACTIVE")
    city = (await gql(DASHBOARD))["data"]["cityStats"]
    assert city["products"] == counted


async def test_the_dashboard_reads_a_few_statements_however_much_there_is(gql):
    await gql(DASHBOARD)  # the region directory is read once per process
    with StatementCounter() as small:
        await gql(DASHBOARD)
    owner = await sign_up(gql)
    for kelurahan in (HERE, THERE, NEIGHBOUR):
        await open_shop(gql, owner["token"], kelurahanCode=kelurahan)
        await member(await cooperative(kelurahan, digital=False), MembershipStatus.ACTIVE, True)
    with StatementCounter() as large:
        both = await gql(DASHBOARD)
    assert "errors" not in both
    assert len(small.statements) == len(large.statements) == 6, large.statements


async def test_only_a_city_admin_records_and_bad_input_is_named(gql):
    admin = await city_admin(gql)
    citizen = await sign_up(gql)
    good = {"kelurahanCode": HERE, "date": today().isoformat(), "note": "Balai warga"}
    written = await Socialization.all().count()

    anonymous = (await gql(RECORD, good))["data"]["recordSocialization"]
    assert anonymous == {"ok": False, "errors": [
        {"field": None, "code": "UNAUTHENTICATED", "message": "Silakan masuk terlebih dahulu."}]}  # fmt: skip
    denied = (await gql(RECORD, good, token=citizen["token"]))["data"]["recordSocialization"]
    assert [e["code"] for e in denied["errors"]] == ["PERMISSION_DENIED"]

    tomorrow = today() + timedelta(days=1)
    bad = {"kelurahanCode": "36.71.99.9999", "date": tomorrow.isoformat(), "note": "x" * 501}
    refused = (await gql(RECORD, bad, token=admin["token"]))["data"]["recordSocialization"]
    assert refused["ok"] is False
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("kelurahanCode", "NOT_FOUND"), ("date", "INVALID"), ("note", "INVALID")]  # fmt: skip
    assert all(e["message"] for e in refused["errors"])
    for code in ("", " ", "'; DROP TABLE socialization; --", "3" * 10_000, HERE.lower() + "x"):
        hostile = await gql(RECORD, {**good, "kelurahanCode": code}, token=admin["token"])
        assert hostile["data"]["recordSocialization"]["errors"][0]["code"] == "NOT_FOUND"
    malformed = await gql(RECORD, {**good, "date": "2026-02-30"}, token=admin["token"])
    assert malformed["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await Socialization.all().count() == written

    # Today in Jakarta is allowed even where it is still yesterday in UTC; a padded code too.
    recorded = await gql(RECORD, {**good, "kelurahanCode": f" {HERE} ", "note": None},
                         token=admin["token"])  # fmt: skip
    assert recorded["data"]["recordSocialization"] == {"ok": True, "errors": []}
    row = await Socialization.all().order_by("-id").first()
    assert (row.kelurahan_id, row.held_on, row.note) == (HERE, today(), "")
    assert row.recorded_by_id == decode_id(admin["user"]["id"], "User")


async def test_rollout_of_one_kecamatan_and_of_an_unknown_one(gql):
    cipondoh = (await gql(ROLLOUT, {"kecamatan": "36.71.02"}))["data"]["kelurahanRollout"]
    codes = [k["kelurahan"]["code"] for k in cipondoh]
    assert codes == sorted(codes)
    assert codes
    assert all(c.startswith("36.71.02.") for c in codes)
    assert {k["kelurahan"]["kecamatan"]["code"] for k in cipondoh} == {"36.71.02"}
    for unknown in ("99.99.99", "", "36.71.0"):
        answer = await gql(ROLLOUT, {"kecamatan": unknown})
        assert answer["data"]["kelurahanRollout"] == []


def test_last_months_cross_the_year():
    from datetime import date

    assert last_months(3, date(2026, 2, 10)) == ["2025-12", "2026-01", "2026-02"]
    assert last_months(12, date(2026, 12, 31))[0] == "2026-01"


async def test_months_are_jakarta_months(gql):
    # 00:30 on the 1st in Jakarta is still the month before in UTC, and 23:30 on the last day
    # of that month is 16:30 UTC: each counts in its Jakarta month.
    first_day = datetime.combine(today().replace(day=1), datetime.min.time(), JAKARTA)
    koperasi = await cooperative(HERE, digital=False)
    before = (await gql(MONTHLY))["data"]["cityMonthly"]
    for moment in (first_day + timedelta(minutes=30), first_day - timedelta(minutes=30)):
        await member(koperasi, MembershipStatus.ACTIVE, True)
        newest = await Membership.all().order_by("-id").first()
        await Membership.filter(id=newest.id).update(joined_at=moment.astimezone(UTC))
    after = (await gql(MONTHLY))["data"]["cityMonthly"]
    moved = [a["newMembers"] - b["newMembers"] for a, b in zip(after, before, strict=True)]
    assert moved[-2:] == [1, 1]
    assert not any(moved[:-2])
