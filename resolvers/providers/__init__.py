"""Outside services behind small interfaces, each beside its sandbox: payments, billers,
shipping rates and messages; and `Services`, what the composition root hands the domains."""

from resolvers.providers import billers, shipping
from resolvers.providers.notifiers import ConsoleNotifier, FileNotifier, SmtpNotifier, SmtpServer
from resolvers.providers.payments import (
    InvalidNotification,
    Notification,
    PaymentDetails,
    PaymentProvider,
    PaymentRequest,
)
from resolvers.providers.sandbox_payments import SandboxProvider
from resolvers.providers.services import SavingsInterestTax, Services

__all__ = [
    "ConsoleNotifier",
    "FileNotifier",
    "InvalidNotification",
    "Notification",
    "PaymentDetails",
    "PaymentProvider",
    "PaymentRequest",
    "SandboxProvider",
    "SavingsInterestTax",
    "Services",
    "SmtpNotifier",
    "SmtpServer",
    "billers",
    "shipping",
]
