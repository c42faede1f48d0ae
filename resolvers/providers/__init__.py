"""Outside services behind small interfaces, each beside its sandbox: payments (Midtrans),
billers, shipping rates and messages; and `Services`, what the composition root hands the
domains."""

from resolvers.providers import billers, payouts, shipping
from resolvers.providers.midtrans import MidtransPayments
from resolvers.providers.notifiers import ConsoleNotifier, FileNotifier, SmtpNotifier, SmtpServer
from resolvers.providers.payments import (
    InvalidNotification,
    Notification,
    PaymentDetails,
    PaymentProvider,
    PaymentRequest,
    PaymentUnavailable,
)
from resolvers.providers.sandbox_payments import SandboxProvider
from resolvers.providers.services import SavingsInterestTax, Services, next_batch
from resolvers.providers.sms import SmsUnavailable, TwilioSmsNotifier, WhatsAppElseSms
from resolvers.providers.whatsapp import WhatsAppCloudNotifier, WhatsAppUnavailable

__all__ = [
    "ConsoleNotifier",
    "FileNotifier",
    "InvalidNotification",
    "MidtransPayments",
    "Notification",
    "PaymentDetails",
    "PaymentProvider",
    "PaymentRequest",
    "PaymentUnavailable",
    "SandboxProvider",
    "SavingsInterestTax",
    "Services",
    "SmsUnavailable",
    "SmtpNotifier",
    "SmtpServer",
    "TwilioSmsNotifier",
    "WhatsAppCloudNotifier",
    "WhatsAppElseSms",
    "WhatsAppUnavailable",
    "billers",
    "next_batch",
    "payouts",
    "shipping",
]
