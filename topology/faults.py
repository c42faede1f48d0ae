"""`scripts/topology test`: a bounded load through the balancer (searches, checkouts of a
product in short supply, savings withdrawals, outside bills paid from savings and by QRIS,
live subscriptions) while one API host is killed and restarted, the replica is killed and
restarted, Redis is restarted, and then the schema is changed and every host upgraded in turn
(`Topology.upgrade`). Every money movement carries an idempotency key and is sent again with
it until answered; each QRIS payment's notification goes to the balancer twice at once, as a
provider that retries would send it. Then the checks: no read lost (HAProxy retries GETs on
another host), nothing failed during the upgrade, the schema change on the primary and the
replica, no money moved twice or half, no bill paid twice, every ledger balanced (the
cooperatives' and the platform's), no stock oversold, every subscriber connected again.
Prints the figures."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import signal
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

import httpx
from strawberry import ID
from tortoise import Tortoise
from tortoise.functions import Count
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from bench.checkout import new_buyers
from bench.savings import seed as seed_cooperative
from models import bills
from models.catalog import Product
from models.cooperatives import EntryKind, JournalEntry, Membership, SavingsAccount, SavingsKind
from models.orders.order import OrderLine
from resolvers.bills.outside import RECHECK_AFTER
from resolvers.cooperatives import audit
from resolvers.payouts.audit import audit as audit_platform
from schema.execution import contract_operation
from schema.platform import decode_id, encode_id
from server.database import tortoise_config
from topology.expand import COLUMN, INDEX
from topology.hosts import RECHECK_INTERVAL, Topology
from topology.restore import check_restore

SEARCH = '{ products(query: "dodol", first: 5) { totalCount edges { node { name } } } }'
DEPOSIT, STEP = 20_000_000, 1_000  # enough for every bill (at most Rp515.000) a member pays
PPOB_DEPOSIT = 1_000_000_000
WITHDRAW = """mutation($membershipId: ID!, $amount: Rupiah!, $key: String) {
  withdraw(membershipId: $membershipId, amount: $amount, idempotencyKey: $key) {
    transaction { id } errors { field code message } } }"""
INQUIRE = """mutation($number: String!) { inquireBill(kind: PDAM, customerNumber: $number) {
  bill { id } errors { field code message } } }"""
TOP_UP = """mutation($id: ID!, $amount: Rupiah!) {
  topUpPpobDeposit(cooperativeId: $id, amount: $amount) { errors { code } } }"""
ADDRESS = {"recipient": "Pembeli", "phone": "0812-1111-2222", "street": "Jl. Daan Mogot 12",
           "kelurahanCode": "36.71.01.1001"}  # fmt: skip
JSON = {"Content-Type": "application/json"}
HAPROXY_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+-")
WEIGHTS = {"search": 6, "checkout": 2, "withdraw": 2, "bill": 2, "qris": 1}
EXPANDED = (
    f"SELECT count(*) FROM information_schema.columns WHERE table_name = '{COLUMN[0]}' "
    f"AND column_name = '{COLUMN[1]}' UNION ALL SELECT count(*) FROM pg_index "
    f"WHERE indexrelid = to_regclass('{INDEX}') AND indisvalid"
)


@dataclass
class Figures:
    requests: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    longest: float = 0.0  # the longest an operation (with its retries) waited for its answer
    last_ok: float = field(default_factory=time.monotonic)
    longest_gap: float = 0.0  # the longest time without any answer
    withdrawn: Counter[str] = field(default_factory=Counter)  # confirmed, per membership
    unsure: Counter[str] = field(default_factory=Counter)  # never answered, per membership
    bills: dict[str, list[str]] = field(default_factory=dict)  # paid as answered, per member
    bills_unsure: Counter[str] = field(default_factory=Counter)
    qris: list[str] = field(default_factory=list)  # receipts whose notification was answered
    qris_unsure: int = 0
    notifications: Counter[str] = field(default_factory=Counter)  # answers, by outcome
    placed: int = 0
    sold_out: int = 0
    reconnects: int = 0
    # bills a fault left PENDING (debited, the biller not yet told), and the seconds until
    # the hosts' re-check settled them
    pending_bills: int = 0
    settled_in: float = 0.0
    upgrading: bool = False
    upgrade_errors: Counter[str] = field(default_factory=Counter)
    upgrade_seconds: float = 0.0
    resent: Counter[bool] = field(default_factory=Counter)  # by whether during the upgrade
    began: float = field(default_factory=time.monotonic)

    def say(self, text: str) -> None:
        """A line of the run's log, with the seconds since the load began."""
        print(f"{time.monotonic() - self.began:6.1f} s  {text}", flush=True)

    def answered(self, kind: str, started: float, error: str | None) -> None:
        moment = time.monotonic()
        self.requests[kind] += 1
        self.longest = max(self.longest, moment - started)
        if error is None:
            self.longest_gap = max(self.longest_gap, moment - self.last_ok)
            self.last_ok = moment
        else:
            self.errors[f"{kind}: {error}"] += 1
            self.say(f"error: {kind}: {error}")
            if self.upgrading:
                self.upgrade_errors[f"{kind}: {error}"] += 1


@dataclass
class World:
    product_id: str
    units: int
    buyers: list[str]
    members: list[tuple[str, str]]
    cooperative_id: str


async def run(topology: Topology, *, quick: bool) -> int:
    await Tortoise.init(config=tortoise_config(topology.direct_url))
    midtrans = f"http://127.0.0.1:{topology.ports.midtrans}"
    try:
        async with (
            httpx.AsyncClient(base_url=topology.url, timeout=60) as http,
            httpx.AsyncClient(base_url=midtrans, timeout=10) as payer,
        ):
            world = await seed(http, members=20 if quick else 60, units=15 if quick else 60)
            malformed = await http.post("/graphql", content=b"{", headers=JSON)
            request_id = malformed.json()["errors"][0]["extensions"]["requestId"]
            figures = Figures()
            seconds = 24 if quick else 150
            stop = asyncio.Event()
            subscribers = [Subscriber(topology, world, token) for _, token in world.members[:4]]
            watching = [asyncio.create_task(s.run()) for s in subscribers]
            workers = [
                asyncio.create_task(work(http, payer, world, figures, stop, seed_=i))
                for i in range(8)
            ]
            await faults(topology, seconds, figures)
            stop.set()
            await asyncio.gather(*workers)
            connected = all(s.connected for s in subscribers)
            figures.reconnects = sum(s.connections for s in subscribers) - len(subscribers)
            for task in watching:
                task.cancel()
        await settled_bills(figures)
        problems = await checks(world, figures)
        problems += expanded(topology)
        await Tortoise.close_connections()
        problems += await check_restore(topology.pair.primary)
        if not HAPROXY_ID.match(request_id):
            problems.append(f"the error answer's request id {request_id!r} is not HAProxy's")
        if not connected:
            problems.append("a subscriber did not reconnect")
        report(figures, problems)
        return 1 if problems else 0
    finally:
        await Tortoise.close_connections()


async def seed(http: httpx.AsyncClient, members: int, units: int) -> World:
    teller, memberships = await seed_cooperative(members)
    for membership_id, _ in memberships:
        await call(http, "RecordDeposit", {"membershipId": membership_id, "account": "SUKARELA",
                                           "amount": DEPOSIT}, teller)  # fmt: skip
    _, tokens = await new_buyers(units * 3 + 1)
    seller, buyers = tokens[0], tokens[1:]
    shop = await call(http, "CreateShop", {"input": {"name": "Dodol Topologi",
        "sizeClass": "MIKRO", "kelurahanCode": "36.71.01.1001",
        "whatsapp": "0812 3456 7890"}}, seller)  # fmt: skip
    product = await call(http, "CreateProduct", {"input": {
        "shopId": shop["createShop"]["shop"]["id"], "name": "Dodol Garut Topologi",
        "price": 15000, "categorySlug": "keripik", "stock": units, "status": "ACTIVE"}},
        seller)  # fmt: skip
    membership = await Membership.get(id=decode_id(ID(memberships[0][0]), "Membership"))
    cooperative_id = encode_id("Cooperative", membership.cooperative_id)
    await call(http, TOP_UP, {"id": cooperative_id, "amount": PPOB_DEPOSIT}, teller)
    return World(product["createProduct"]["product"]["id"], units, buyers, memberships,
                 cooperative_id)  # fmt: skip


async def call(http: httpx.AsyncClient, name: str, variables: dict, token: str) -> dict:
    """A contract operation by `name`, or the document `name`; its errors fail the seeding."""
    query = name if name.startswith("mutation") else contract_operation(name)
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    data = response.json()["data"]
    payload = next(iter(data.values()))
    assert not payload.get("errors"), payload
    return data


async def work(
    http: httpx.AsyncClient,
    payer: httpx.AsyncClient,
    world: World,
    figures: Figures,
    stop: asyncio.Event,
    seed_: int,
) -> None:
    rng = random.Random(seed_)
    kinds = [kind for kind, weight in WEIGHTS.items() for _ in range(weight)]
    while not stop.is_set():
        kind = rng.choice(kinds)
        if kind == "checkout" and not world.buyers:
            kind = "search"
        started = time.monotonic()
        if kind == "search":
            error = await search(http)
        elif kind == "checkout":
            error = await checkout(http, world, world.buyers.pop(), figures)
        elif kind == "bill":
            error = await pay_bill(http, rng.choice(world.members), figures, rng)
        elif kind == "qris":
            error = await pay_by_qris(http, payer, rng.choice(world.members), figures, rng)
        else:
            error = await withdraw(http, rng.choice(world.members), figures)
        figures.answered(kind, started, error)
        await asyncio.sleep(0.01)


async def search(http: httpx.AsyncClient) -> str | None:
    try:
        response = await http.get("/graphql", params={"query": SEARCH})
    except httpx.HTTPError as error:
        return type(error).__name__
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    return _code(response.json())


async def checkout(
    http: httpx.AsyncClient, world: World, token: str, figures: Figures
) -> str | None:
    """Add one unit and check out, the checkout retried with its key until it is answered."""
    headers = {"Authorization": f"Bearer {token}"}
    body = {"query": contract_operation("AddToCart"),
            "variables": {"productId": world.product_id, "quantity": 1}}  # fmt: skip
    for _ in range(20):
        added = await post_ok(http, "/graphql", json=body, headers=headers)
        if added is not None:
            if added.json()["data"]["addToCart"]["errors"]:  # none left to add
                figures.sold_out += 1
                return None
            break
        await asyncio.sleep(0.3)
    else:
        return "cart unreachable"
    body = {"query": contract_operation("Checkout"), "variables": {"input": {
        "paymentMethod": "COD", "idempotencyKey": str(uuid.uuid4()),
        "shippingAddress": ADDRESS}}}  # fmt: skip
    payload = await until_answered(http, body, token, figures)
    if payload is None:
        return "checkout never answered"
    if payload["orders"]:
        figures.placed += 1
    elif any(e["code"] == "OUT_OF_STOCK" for e in payload["errors"]):
        figures.sold_out += 1
    else:
        return f"checkout refused: {payload['errors'][:1]}"
    return None


async def until_answered(
    http: httpx.AsyncClient, body: dict, token: str, figures: Figures
) -> dict | None:
    """The mutation's payload, `body` sent again (with its idempotency key, so that it applies
    at most once however often it is sent) until a host answers it; None if none did."""
    for attempt in range(40):
        if attempt:
            figures.resent[figures.upgrading] += 1
        response = await post_ok(
            http, "/graphql", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        data = response.json().get("data") if response is not None else None
        if data:
            return cast(dict, next(iter(data.values())))
        await asyncio.sleep(0.3)
    return None


async def post_ok(http: httpx.AsyncClient, path: str, **request: Any) -> httpx.Response | None:
    """The answer to a POST when it is 200; None when there was none, or another."""
    try:
        response = await http.post(path, **request)
    except httpx.HTTPError:
        return None
    return response if response.status_code == 200 else None


async def withdraw(
    http: httpx.AsyncClient, member: tuple[str, str], figures: Figures
) -> str | None:
    """A withdrawal under its own key, sent again until answered."""
    membership_id, token = member
    body = {"query": WITHDRAW, "variables": {"membershipId": membership_id, "amount": STEP,
                                             "key": str(uuid.uuid4())}}  # fmt: skip
    payload = await until_answered(http, body, token, figures)
    if payload is None:
        figures.unsure[membership_id] += 1
        return "withdrawal never answered"
    if payload["errors"]:
        return str(payload["errors"][0]["code"])
    figures.withdrawn[membership_id] += 1
    return None


async def pay_bill(
    http: httpx.AsyncClient, member: tuple[str, str], figures: Figures, rng: random.Random
) -> str | None:
    """A PDAM bill inquired (the sandbox pays numbers ending in 09 at once) and paid from
    SUKARELA under its own key, sent again until answered. An inquiry moves no money: one
    sent twice leaves an unpaid bill more."""
    paid = await pay_pdam(http, member, "SUKARELA", figures, rng)
    if paid is None:
        figures.bills_unsure[member[0]] += 1
        return "payment never answered"
    if isinstance(paid, str):
        return paid
    figures.bills.setdefault(member[0], []).append(paid["bills"][0]["id"])
    return None


async def pay_pdam(
    http: httpx.AsyncClient,
    member: tuple[str, str],
    source: str,
    figures: Figures,
    rng: random.Random,
) -> dict | str | None:
    """A new PDAM bill inquired and paid from `source` under its own key: PayBills' payload
    when it was answered without errors, None when it never was, else what went wrong."""
    membership_id, token = member
    number = f"{rng.randrange(10**10):010d}09"
    found = await until_answered(http, {"query": INQUIRE, "variables": {"number": number}},
                                 token, figures)  # fmt: skip
    if found is None:
        return "inquiry never answered"
    if found["errors"]:
        return str(found["errors"][0]["code"])
    body = {"query": contract_operation("PayBills"), "variables": {"input": {
        "billIds": [found["bill"]["id"]], "source": source, "membershipId": membership_id,
        "idempotencyKey": str(uuid.uuid4())}}}  # fmt: skip
    payload = await until_answered(http, body, token, figures)
    if payload is not None and payload["errors"]:
        return str(payload["errors"][0]["code"])
    return payload


async def pay_by_qris(
    http: httpx.AsyncClient,
    payer: httpx.AsyncClient,
    member: tuple[str, str],
    figures: Figures,
    rng: random.Random,
) -> str | None:
    """A PDAM bill paid by QRIS through Midtrans: PayBills opens the receipt (Midtrans charges
    it), the payer pays at Midtrans's simulator, and Midtrans's signed notification reaches
    the balancer twice at once; one host confirms it, the other answers DUPLICATE."""
    payload = await pay_pdam(http, member, "QRIS", figures, rng)
    if payload is None:
        figures.qris_unsure += 1
        return "QRIS payment never opened"
    if isinstance(payload, str):
        return payload
    receipt_id = payload["receipt"]["id"]
    receipt = await bills.BillReceipt.get(id=decode_id(ID(receipt_id), "BillReceipt"))
    paid = await payer.post(f"/simulator/{receipt.reference}")
    if paid.status_code != 200:
        return f"Midtrans simulator: HTTP {paid.status_code}"
    outcomes = await asyncio.gather(*(deliver(http, paid.content) for _ in range(2)))
    figures.notifications.update(outcomes)
    if "UNANSWERED" in outcomes:
        figures.qris_unsure += 1
        return "QRIS notification never answered"
    if sorted(outcomes) not in (["CONFIRMED", "DUPLICATE"], ["DUPLICATE", "DUPLICATE"]):
        return f"QRIS notifications answered {outcomes}"
    figures.qris.append(receipt_id)
    return None


async def deliver(http: httpx.AsyncClient, notification: bytes) -> str:
    """Midtrans's notification posted to the balancer until a host takes it, as Midtrans
    retries one that was not answered 200; the outcome, or UNANSWERED."""
    for _ in range(40):
        response = await post_ok(http, "/payments/webhook", content=notification, headers=JSON)
        if response is not None:
            return cast(str, response.json()["outcome"])
        await asyncio.sleep(0.3)
    return "UNANSWERED"


def _code(result: dict) -> str | None:
    if not result.get("errors"):
        return None
    return str(result["errors"][0].get("extensions", {}).get("code", "ERROR"))


class Subscriber:
    """A member on their cooperative's live feed, reconnecting whenever the socket closes."""

    def __init__(self, topology: Topology, world: World, token: str) -> None:
        self.url = topology.url.replace("http://", "ws://") + "/graphql"
        self.world = world
        self.token = token
        self.connected = False
        self.connections = 0

    async def run(self) -> None:
        while True:
            with contextlib.suppress(Exception):  # however a socket ends, a client reconnects
                await self._listen()
            self.connected = False
            await asyncio.sleep(0.2)

    async def _listen(self) -> None:
        async with connect(self.url, subprotocols=[Subprotocol("graphql-transport-ws")]) as socket:
            await socket.send(
                json.dumps(
                    {
                        "type": "connection_init",
                        "payload": {"authorization": f"Bearer {self.token}"},
                    }
                )
            )
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
                "query": contract_operation("CooperativeTransactions"),
                "variables": {"cooperativeId": self.world.cooperative_id}}}))  # fmt: skip
            self.connected = True
            self.connections += 1
            async for message in socket:
                if json.loads(message)["type"] in ("error", "complete"):
                    return


async def faults(topology: Topology, seconds: float, figures: Figures) -> None:
    """Kill and restart an API host, then the replica, then restart Redis, over `seconds`;
    then upgrade every host in turn while serving."""
    step = seconds / 8
    await asyncio.sleep(step)
    topology.kill("api0")
    figures.say("killed api0")
    await asyncio.sleep(step)
    await asyncio.to_thread(topology.start_api, 0)
    figures.say("restarted api0")
    await asyncio.sleep(step)
    await asyncio.to_thread(topology.pair.replica.stop, "immediate")
    figures.say("killed the replica")
    await asyncio.sleep(step)
    await asyncio.to_thread(topology.pair.replica.start)
    figures.say("restarted the replica")
    await asyncio.sleep(step)
    topology.kill("redis", signal.SIGTERM)
    await asyncio.to_thread(topology.start_redis)
    figures.say("restarted Redis")
    await asyncio.sleep(step)
    figures.upgrading, started = True, time.monotonic()
    figures.say("upgrading")
    await asyncio.to_thread(topology.upgrade)
    figures.upgrading, figures.upgrade_seconds = False, time.monotonic() - started
    figures.say(f"upgraded every host in {figures.upgrade_seconds:.1f} s")
    await asyncio.sleep(step)


async def settled_bills(figures: Figures) -> None:
    """Wait, at most one re-check's age and two of its intervals, until no bill is PENDING: a
    host killed after a bill's debit committed and before the biller answered leaves it so,
    and its answer was already "paid" (the money is taken) when the re-check settles it."""
    started = time.monotonic()
    deadline = started + RECHECK_AFTER.total_seconds() + 2 * RECHECK_INTERVAL + 5
    pending = bills.Bill.filter(status=bills.BillStatus.PENDING)
    figures.pending_bills = await pending.count()
    while time.monotonic() < deadline:
        if not await pending.exists():
            break
        await asyncio.sleep(0.5)
    figures.settled_in = time.monotonic() - started


async def checks(world: World, figures: Figures) -> list[str]:
    problems = [f"ledger: {p}" for p in await audit()]
    problems += [f"platform ledger: {p}" for p in await audit_platform()]
    lost = sum(n for kind, n in figures.errors.items() if kind.startswith("search"))
    if lost:
        problems.append(f"{lost} searches (GET, retriable) were lost")
    if figures.upgrade_errors:
        problems.append(f"failed during the upgrade: {dict(figures.upgrade_errors)}")
    product = await Product.get(id=decode_id(ID(world.product_id), "Product"))
    lines = await OrderLine.filter(product_id=product.id).values_list("quantity", flat=True)
    sold = sum(cast(list[int], lines))
    if product.stock < 0 or sold + product.stock != world.units:
        problems.append(f"stock: {sold} sold + {product.stock} left != {world.units}")
    if sold < figures.placed:
        problems.append(f"stock: {figures.placed} checkouts answered, {sold} units sold")
    for membership_id, _ in world.members:
        problems += await _member_checks(membership_id, figures)
    twice = (
        await bills.BillReceiptLine.filter(receipt__status=bills.ReceiptStatus.PAID)
        .group_by("bill_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("bill_id", flat=True)
    )
    if twice:
        problems.append(f"bills paid twice: {twice}")
    entries = await JournalEntry.filter(kind=EntryKind.BILL_PAYMENT).count()
    paid = await bills.Bill.filter(status=bills.BillStatus.PAID).count()
    if entries != paid:
        problems.append(f"bills: {paid} paid by {entries} journal entries")
    qris = await bills.BillReceipt.filter(
        source=bills.PaymentSource.QRIS, status=bills.ReceiptStatus.PAID
    )
    confirmed = {encode_id("BillReceipt", r.id) for r in qris}
    notified = set(figures.qris)
    if not notified <= confirmed or len(confirmed) > len(notified) + figures.qris_unsure:
        problems.append(f"QRIS: {len(confirmed)} receipts paid, {len(notified)} notified")
    return problems


def expanded(topology: Topology) -> list[str]:
    """The upgrade's schema change, on the primary and (streamed) on the replica."""
    return [
        f"the schema change is missing on the {name}"
        for name, cluster in vars(topology.pair).items()
        if cluster.sql(EXPANDED).split() != ["1", "1"]
    ]


async def _member_checks(membership_id: str, figures: Figures) -> list[str]:
    """Each answered withdrawal and bill payment applied once, the rest at most once, and
    SUKARELA the deposit less exactly what they took."""
    problems = []
    member = decode_id(ID(membership_id), "Membership")
    account = await SavingsAccount.get(membership_id=member, kind=SavingsKind.SUKARELA)
    applied = await JournalEntry.filter(membership_id=member, kind=EntryKind.WITHDRAWAL).count()
    confirmed, unsure = figures.withdrawn[membership_id], figures.unsure[membership_id]
    if not confirmed <= applied <= confirmed + unsure:
        problems.append(f"savings {membership_id}: {applied} withdrawals applied, "
                        f"{confirmed} answered, {unsure} unanswered")  # fmt: skip
    receipts = await bills.BillReceipt.filter(
        membership_id=member, status=bills.ReceiptStatus.PAID, source=bills.PaymentSource.SUKARELA
    )
    answered = figures.bills.get(membership_id, [])
    if not len(answered) <= len(receipts) <= len(answered) + figures.bills_unsure[membership_id]:
        problems.append(f"bills {membership_id}: {len(receipts)} paid, {len(answered)} answered")
    ids = [decode_id(ID(b), "Bill") for b in answered]
    paid = cast(list[str], await bills.Bill.filter(id__in=ids).values_list("status", flat=True))
    if any(status != bills.BillStatus.PAID for status in paid) or len(paid) != len(answered):
        problems.append(f"bills {membership_id}: answered paid, found {paid}")
    spent = applied * STEP + sum(r.total for r in receipts)
    if account.balance != DEPOSIT - spent:
        problems.append(f"savings {membership_id}: {account.balance} != {DEPOSIT} - {spent}")
    return problems


def report(figures: Figures, problems: list[str]) -> None:
    print(f"requests: {sum(figures.requests.values())} {dict(figures.requests)}")
    print(f"errors by kind: {dict(figures.errors) or 'none'}")
    print(
        f"withdrawals answered {sum(figures.withdrawn.values())}, unanswered "
        f"{sum(figures.unsure.values())}; bills paid {sum(map(len, figures.bills.values()))},"
        f" unanswered {sum(figures.bills_unsure.values())}; by QRIS {len(figures.qris)},"
        f" unanswered {figures.qris_unsure}, notifications answered "
        f"{dict(figures.notifications)}; checkouts placed "
        f"{figures.placed}, sold out {figures.sold_out}; reconnections "
        f"{figures.reconnects}"
    )
    print(f"mutations sent again: {figures.resent[False]} during the faults, "
          f"{figures.resent[True]} during the upgrade ({figures.upgrade_seconds:.1f} s); "
          f"errors during the upgrade: {dict(figures.upgrade_errors) or 'none'}")  # fmt: skip
    if figures.pending_bills:
        print(f"bills left PENDING by the faults: {figures.pending_bills}, settled by the"
              f" hosts' re-check in {figures.settled_in:.1f} s")  # fmt: skip
    print(f"longest operation {figures.longest:.2f} s; longest time without an answer "
          f"{figures.longest_gap:.2f} s")  # fmt: skip
    print("PASSED" if not problems else "FAILED:\n  " + "\n  ".join(problems), flush=True)
