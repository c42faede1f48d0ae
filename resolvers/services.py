"""What the composition root hands to resolvers: media store, event broker, payment provider."""

from dataclasses import dataclass
from datetime import timedelta

from media.storage import Storage
from resolvers.events import Broker
from resolvers.payments import PaymentProvider


@dataclass(frozen=True)
class Services:
    storage: Storage
    events: Broker
    payments: PaymentProvider
    # How long a bank transfer or QRIS payment may take before the order is cancelled.
    payment_ttl: timedelta = timedelta(hours=24)
