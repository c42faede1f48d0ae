"""Every periodic sweep the server has, in one list, and the loop each worker runs them in.

Every worker tries every sweep every few seconds for as long as the server runs, and runs it
only while it holds the sweep's lease (`server.sweep_lease`), so one worker of one host runs a
sweep at a time; an advance of the test clock runs the same sweeps for each day passed
(`resolvers.platform.test_clock`). A sweep also changes what is due with conditional updates,
so even two runs would never do one thing twice.
"""

from __future__ import annotations

import asyncio
import logging
import time

from models.platform import NotificationChannel
from resolvers.bills import (
    auto_debit,
    recheck_awaiting_receipts,
    recheck_pending_bills,
    remind_bills,
)
from resolvers.cooperatives import deposit_run
from resolvers.loans import post_month_end_allowances
from resolvers.orders import complete_due_orders, expire_orders, recheck_pending_payments
from resolvers.payouts import recheck_pending_payouts
from resolvers.platform import Sweep, following, is_outage, outbox, telling
from resolvers.providers import Services
from server.metrics import Metrics
from server.settings import Settings
from server.sweep_lease import LocalLease, SweepLease

logger = logging.getLogger("satupintu.sweeps")
SWEEP_TIMEOUT_SECONDS = 600


def sweeps(settings: Settings) -> tuple[tuple[Sweep, int], ...]:
    """The sweeps in the order a day passed runs them, each with its interval in seconds."""
    return (
        (
            Sweep(
                "PAYMENT_RECHECK",
                recheck_payments,
                "confirming payments the provider says are paid",
            ),
            settings.order_expiry_interval,
        ),
        (
            Sweep("ORDER_EXPIRY", expire_orders, "cancelling orders unpaid in time"),
            settings.order_expiry_interval,
        ),
        (
            Sweep(
                "ORDER_COMPLETION",
                complete_due_orders,
                "completing delivered orders past their autoCompleteAt",
            ),
            settings.order_expiry_interval,
        ),
        (
            Sweep("BILL_RECHECK", recheck_pending_bills, "settling pending outside bills"),
            settings.bill_recheck_interval,
        ),
        (
            Sweep(
                "LOAN_LOSS_ALLOWANCE",
                post_month_end_allowances,
                "posting the allowance for bad loans of the month just ended",
            ),
            settings.bill_recheck_interval,
        ),
        (
            Sweep(
                "PAYOUT_RECHECK",
                recheck_pending_payouts,
                "asking the payout provider again about pending payouts",
            ),
            settings.payout_recheck_interval,
        ),
        (
            Sweep(
                "TIME_DEPOSITS",
                deposit_run.run_time_deposits,
                "booking time deposits' monthly interest and closing those that matured",
            ),
            settings.bill_recheck_interval,
        ),
        (
            Sweep(
                "AUTO_DEBIT",
                auto_debit.run_auto_debits,
                "paying bills due from SUKARELA by members' standing instructions",
            ),
            settings.auto_debit_interval,
        ),
        (
            Sweep("BILL_REMINDERS", remind_bills, "telling members of bills due soon or overdue"),
            settings.bill_recheck_interval,
        ),
        (
            Sweep("OUTBOX", send_outbox, "sending notifications by e-mail and WhatsApp"),
            settings.outbox_interval,
        ),
    )


async def send_outbox(services: Services) -> int:
    """The outbox's due e-mail, WhatsApp and SMS messages, through the notifiers the settings
    chose; a WhatsApp message refused for good leaves an SMS row in its place."""
    return await outbox.send_due(
        {
            NotificationChannel.EMAIL: services.notifier,
            NotificationChannel.WHATSAPP: services.whatsapp,
            NotificationChannel.SMS: services.sms,
        }
    )


async def recheck_payments(services: Services) -> int:
    """Orders' payments and bill receipts still pending, asked about at the provider."""
    return await recheck_pending_payments(services) + await recheck_awaiting_receipts(services)


async def run_sweep(sweep: Sweep, services: Services) -> int:
    """One run of `sweep` now (in a sandbox, at the test clock's time as last read); the feeds
    of whoever it told are woken after."""
    async with telling(services.events):
        if services.clock is None:
            return await sweep.run(services)
        await services.clock.refresh()
        with following(services.clock):
            return await sweep.run(services)


async def sweep_periodically(
    sweep: Sweep,
    services: Services,
    interval: float,
    lease: SweepLease | None = None,
    metrics: Metrics | None = None,
) -> None:
    """Try `sweep` every `interval` seconds, running it when this worker gets its lease. A
    failure is logged (an outage briefly) and the sweep runs again next time."""
    lease = lease or LocalLease()
    while True:
        outcome = "failed"
        started = time.perf_counter()
        try:
            async with lease.hold(sweep.kind) as held:
                outcome = "skipped"
                if held:
                    outcome = "failed"
                    # A run that hangs must not keep the lease from every host for good.
                    async with asyncio.timeout(SWEEP_TIMEOUT_SECONDS):
                        done = await run_sweep(sweep, services)
                    outcome = "ran"
                    if done:
                        logger.info("%s: %d", sweep.what, done)
        except Exception as error:
            if not is_outage(error):
                logger.exception("%s failed; trying again later", sweep.what)
            else:
                logger.warning("%s: %r; trying again later", sweep.what, error)
        if metrics is not None:
            spent = time.perf_counter() - started if outcome == "ran" else None
            metrics.swept(sweep.kind, outcome, spent)
        await asyncio.sleep(interval)


async def refresh_periodically(services: Services, interval: float = 1.0) -> None:
    """Re-read the test clock's offset every `interval` seconds, so that what outlives a
    request (a subscription) sees another worker's advance within a second."""
    if services.clock is None:
        return
    while True:
        try:
            await services.clock.refresh()
        except Exception as error:
            if not is_outage(error):
                logger.exception("reading the test clock failed; trying again later")
        await asyncio.sleep(interval)
