"""What the composition root hands to resolvers: media store, event broker, payment provider,
notifier, outside biller,
shipping rate provider, the session policy, the marketplace's waiting times, and the
sandbox's test clock and sweeps."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from media.storage import Storage
from resolvers.platform import Broker, Notifier, SessionPolicy, SharedOffset, Sweep
from resolvers.providers.billers.biller import Biller
from resolvers.providers.billers.sandbox import SandboxBiller
from resolvers.providers.notifiers import ConsoleNotifier
from resolvers.providers.payments import PaymentProvider
from resolvers.providers.payouts import PayoutProvider, SandboxPayouts
from resolvers.providers.shipping import RateProvider, SandboxRates
from resolvers.providers.sms import WhatsAppElseSms

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class SavingsInterestTax:
    """The final income tax on the interest a cooperative pays its members' savings (PP
    15/2009 art. 2): none on a month's interest up to `threshold` rupiah, else `rate_bps` of
    the whole gross interest. Both are settings."""

    rate_bps: int = 1000
    threshold: int = 240_000


@dataclass(frozen=True)
class Services:
    storage: Storage
    events: Broker
    payments: PaymentProvider
    notifier: Notifier  # e-mail
    # WhatsApp: the `WHATSAPP` setting (a file under var/, the log, or Meta's Cloud API).
    whatsapp: Notifier = field(default_factory=ConsoleNotifier)
    # SMS: the `SMS` setting (a file under var/, the log, or Twilio), where WhatsApp cannot go.
    sms: Notifier = field(default_factory=ConsoleNotifier)
    # How long a bank transfer or QRIS payment may take before the order is cancelled.
    payment_ttl: timedelta = timedelta(hours=24)
    sessions: SessionPolicy = field(default_factory=SessionPolicy)
    # Where outside bills (PLN, PDAM, BPJS) are inquired and paid: the `BILLER` setting.
    biller: Biller = field(default_factory=SandboxBiller)
    # Where COURIER shipping rates come from: the `SHIPPING_RATES` setting.
    shipping_rates: RateProvider = field(default_factory=SandboxRates)
    # Where seller payouts to bank accounts go: the `PAYOUTS` setting.
    payouts: PayoutProvider = field(default_factory=SandboxPayouts)
    # Seller payouts: the smallest one, and the most one shop may take out per Jakarta day.
    payout_minimum: int = 10_000
    payout_daily_maximum: int = 50_000_000
    # The most rows one run of a re-check sweep (payments, receipts, bills, payouts) asks the
    # provider about, oldest first: the `RECHECK_BATCH_SIZE` setting.
    recheck_batch: int = 100
    # Where each re-check sweep's next run goes on (`next_batch`), in this process.
    recheck_cursors: dict[str, int] = field(default_factory=dict)
    # The platform's fee on a completed order, in basis points of what was not refunded.
    platform_fee_bps: int = 0
    # After delivery, how long until an order without an open complaint completes by itself.
    order_autocomplete: timedelta = timedelta(days=3)
    # The seller's time to answer a complaint, and the buyer's to escalate a rejection.
    complaint_response: timedelta = timedelta(days=2)
    # The test clock's offset as this process reads it: None unless `TEST_CLOCK` is on.
    clock: SharedOffset | None = None
    # Every periodic sweep the server runs, in order: what an advance of the clock runs daily.
    sweeps: tuple[Sweep, ...] = ()
    # What time deposits' interest withholds for the tax office.
    savings_interest_tax: SavingsInterestTax = field(default_factory=SavingsInterestTax)
    # Signs the short-lived links to files (the books' statements, RAT package, orders' nota).
    download_secret: str = "development"

    @property
    def phone_messages(self) -> Notifier:
        """To a phone: by WhatsApp, else (refused for good) once by SMS."""
        return WhatsAppElseSms(self.whatsapp, self.sms)


async def next_batch(query: QuerySet[M], services: Services, sweep: str) -> list[M]:
    """The rows of `query` one run of a re-check sweep asks about: at most
    `services.recheck_batch`, oldest (by id) first, going on after the last row its previous
    run took, and back at the oldest after a run that reached the newest. A backlog takes
    several runs, and rows that stay pending never keep newer ones from being asked."""
    after = services.recheck_cursors.get(sweep, 0)
    rows = await query.filter(id__gt=after).order_by("id").limit(services.recheck_batch)
    full = len(rows) == services.recheck_batch
    services.recheck_cursors[sweep] = _id(rows[-1]) if full else 0
    return list(rows)


def _id(row: Any) -> int:
    return int(row.id)
