"""Outside services behind small interfaces, each beside its sandbox: payments, billers and
messages; and `Services`, what the composition root hands the domains."""

from resolvers.providers.billers import (
    BILLERS,
    Biller,
    BillerPayment,
    BillerStatus,
    BillerUnavailable,
    Inquiry,
    SandboxBiller,
    biller_named,
    customer_number,
)
from resolvers.providers.notifiers import ConsoleNotifier, FileNotifier, SmtpNotifier, SmtpServer
from resolvers.providers.payments import (
    InvalidNotification,
    Notification,
    PaymentDetails,
    PaymentProvider,
    PaymentRequest,
)
from resolvers.providers.sandbox_payments import SandboxProvider
from resolvers.providers.services import Services

__all__ = [
    "BILLERS",
    "Biller",
    "BillerPayment",
    "BillerStatus",
    "BillerUnavailable",
    "ConsoleNotifier",
    "FileNotifier",
    "Inquiry",
    "InvalidNotification",
    "Notification",
    "PaymentDetails",
    "PaymentProvider",
    "PaymentRequest",
    "SandboxBiller",
    "SandboxProvider",
    "Services",
    "SmtpNotifier",
    "SmtpServer",
    "biller_named",
    "customer_number",
]
