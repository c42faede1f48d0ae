"""What the composition root hands to resolvers: media store, event broker, payment provider,
notifier, outside biller and the session policy."""

from dataclasses import dataclass, field
from datetime import timedelta

from media.storage import Storage
from resolvers.platform import Broker, Notifier, SessionPolicy
from resolvers.providers.billers.biller import Biller
from resolvers.providers.billers.sandbox import SandboxBiller
from resolvers.providers.payments import PaymentProvider


@dataclass(frozen=True)
class Services:
    storage: Storage
    events: Broker
    payments: PaymentProvider
    notifier: Notifier
    # How long a bank transfer or QRIS payment may take before the order is cancelled.
    payment_ttl: timedelta = timedelta(hours=24)
    sessions: SessionPolicy = field(default_factory=SessionPolicy)
    # Where outside bills (PLN, PDAM, BPJS) are inquired and paid: the `BILLER` setting.
    biller: Biller = field(default_factory=SandboxBiller)
