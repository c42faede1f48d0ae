"""Members' money: savings, their transactions, and the cooperative's books."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import cooperatives as m
from models.cooperatives import books as b
from resolvers import cooperatives
from resolvers.cooperatives import AccountBalance, CoopViewer, MemberLine, savings
from schema.platform import (
    ERRORS,
    IdempotencyKey,
    Money,
    Rupiah,
    UserError,
    decode_id,
    described_enum,
    payload_of,
    visible_rows,
)

SavingsAccount = described_enum(
    m.SavingsKind,
    "A member's savings (simpanan) accounts.",
    {
        "POKOK": "Simpanan pokok: paid once on joining (equity; back only on leaving).",
        "WAJIB": "Simpanan wajib: paid monthly (equity; back only on leaving).",
        "SUKARELA": "Simpanan sukarela: voluntary, withdrawable at any time; pays bills and "
        "purchases (a debt of the cooperative to the member).",
    },
    name="SavingsAccount",
)
TransactionKind = described_enum(
    b.MemberEntryKind,
    "The kind of a movement of money in a cooperative's books (a journal entry).",
    {
        "DEPOSIT": "Cash paid in by a pengurus as teller, or the balance the cooperative moved "
        "in with (described as Saldo awal).",
        "WITHDRAWAL": "Cash taken out of SUKARELA.",
        "LOAN_DISBURSEMENT": "A loan paid into SUKARELA.",
        "LOAN_REPAYMENT": "A loan installment or payoff paid (in cash, from savings or as a bill).",
        "BILL_PAYMENT": "A bill paid through payBills (simpanan, outside bills).",
        "PURCHASE": "A marketplace order paid from SUKARELA.",
        "REFUND": "A cancelled purchase or a refused bill payment paid back.",
        "SHU": "A share of the year's SHU credited to SUKARELA.",
        "PAYOUT": "Every balance paid out when the membership ended.",
        "SELLER_PAYOUT": "The member's shop balance on the marketplace paid into SUKARELA.",
        "TIME_DEPOSIT": "Principal moving between SUKARELA and a time deposit (simpanan "
        "berjangka).",
        "TIME_DEPOSIT_INTEREST": "A time deposit's net interest credited to SUKARELA.",
    },
    name="TransactionKind",
)
LedgerAccountKind = described_enum(
    b.AccountKind,
    "The class of an account of the cooperative's chart of accounts.",
    {
        "ASSET": "Aset (debit normal), e.g. Kas dan Bank, Piutang Pinjaman.",
        "LIABILITY": "Kewajiban (credit normal), e.g. Simpanan Sukarela, Utang kepada Platform.",
        "EQUITY": "Ekuitas (credit normal), e.g. Simpanan Pokok and Wajib.",
        "INCOME": "Pendapatan (credit normal), e.g. loan interest.",
        "EXPENSE": "Beban (debit normal).",
    },
    name="LedgerAccountKind",
)


async def viewer_facts(info: Info) -> CoopViewer:
    """The viewer's pengurus posts and memberships, read once per request: fields resolving
    side by side wait for the same read."""
    found = info.context.extra.get("coop_viewer")
    if found is None:
        found = asyncio.ensure_future(cooperatives.coop_viewer(info.context.viewer))
        info.context.extra["coop_viewer"] = found
    return await found


@strawberry.type(description="One of a membership's savings and its balance.")
class SavingsBalance:
    account: SavingsAccount = strawberry.field(description="Which savings.")
    balance: Money = strawberry.field(description="Its balance now; never below zero.")


@strawberry.type(
    description="A movement of one member's savings: one line of a journal entry. `amount` is "
    "positive into the savings and negative out of them. Every follower of the live feed sees "
    "its kind, account, amount, time and a description generic per kind of movement; "
    "`membership`, `balanceAfter` and `note` only the member themself and the pengurus "
    "(personal data, UU PDP 27/2022): to others they are null."
)
class SavingsTransaction(relay.Node):
    id: relay.NodeID[int]
    kind: TransactionKind = strawberry.field(description="What moved the savings.")
    account: SavingsAccount = strawberry.field(description="Which savings moved.")
    description: str = strawberry.field(
        description="What it was, in Bahasa Indonesia, generic per kind of movement."
    )
    created_at: datetime = strawberry.field(description="When it was posted.")
    line: strawberry.Private[MemberLine]

    @classmethod
    def of(cls, line: MemberLine) -> SavingsTransaction:
        """From a line as the viewer may see it (`resolvers.cooperatives.audience`)."""
        return cls(
            id=line.id,
            # TransactionKind has no OPENING: the saldo awal reaches the savings as a deposit.
            kind=b.EntryKind.DEPOSIT if line.kind == b.EntryKind.OPENING else line.kind,
            account=line.account,
            description=line.description,
            created_at=line.created_at,
            line=line,
        )

    @strawberry.field(description="Positive into the savings, negative out of them.")
    def amount(self) -> Money:
        return Money(amount=self.line.amount)

    @strawberry.field(
        description="The savings balance right after this movement; the member and the "
        "pengurus only (null for others)."
    )
    def balance_after(self) -> Money | None:
        found = self.line.balance_after
        return None if found is None else Money(amount=found)

    @strawberry.field(
        description="Whose savings moved: only the member number, never a name; the member "
        "and the pengurus only (null for others)."
    )
    def membership(self) -> MemberNumber | None:
        if self.line.membership_id is None:
            return None
        return MemberNumber(number=self.line.member_number)

    @strawberry.field(
        description="The movement's details: a bill's customer number and name, the teller's "
        "note. Null when there are none."
    )
    def note(self) -> str | None:
        return self.line.note or None

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SavingsTransaction | None]:
        rows = await visible_rows(cls, info, node_ids)
        return [cls.of(MemberLine.of_row(r, r.membership.number)) if r else None for r in rows]


@strawberry.type(description="A member as the live feed names them: by number only.")
class MemberNumber:
    number: int | None = strawberry.field(description="The member number.")


@strawberry.type(description="One account of the chart with its totals and its balance.")
class TrialBalanceLine:
    code: str = strawberry.field(description="The account's code in the chart.")
    name: str = strawberry.field(description="The account's name, in Bahasa Indonesia.")
    kind: LedgerAccountKind = strawberry.field(description="Its class.")
    debit: Money = strawberry.field(description="Every debit to it, together.")
    credit: Money = strawberry.field(description="Every credit to it, together.")
    balance: Money = strawberry.field(
        description="On the account's normal side: debit minus credit for assets, credit minus "
        "debit for liabilities, equity and income."
    )

    @classmethod
    def of(cls, account: AccountBalance) -> TrialBalanceLine:
        return cls(
            code=account.code,
            name=account.name,
            kind=account.kind,
            debit=Money(amount=account.debit),
            credit=Money(amount=account.credit),
            balance=Money(amount=account.balance),
        )


@strawberry.type(
    description="The cooperative's books from its journal, for its pengurus: the trial balance "
    "(neraca saldo) of every account, and the neraca it gives: assets = liabilities + equity + "
    "the current year's surplus (income not yet closed into SHU). Simpanan pokok and wajib are "
    "equity, simpanan sukarela a liability. Purchases members paid from savings are owed to "
    "the shops on Utang kepada Toko until the cooperative pays each shop (a debit to Utang "
    "kepada Toko against Kas dan Bank), so that money is never silently dropped."
)
class CooperativeBooks:
    accounts: list[TrialBalanceLine] = strawberry.field(
        description="Every account of the chart with its totals (neraca saldo)."
    )
    total_debit: Money = strawberry.field(description="Every debit, together.")
    total_credit: Money = strawberry.field(description="Every credit, together.")
    assets: Money = strawberry.field(description="The ASSET accounts' balances, together.")
    liabilities: Money = strawberry.field(description="The LIABILITY accounts' balances, together.")
    equity: Money = strawberry.field(description="The EQUITY accounts' balances, together.")
    surplus: Money = strawberry.field(description="Income less expenses not yet closed.")
    balanced: bool = strawberry.field(description="Debits equal credits: always true.")

    @classmethod
    def of(cls, accounts: list[AccountBalance]) -> CooperativeBooks:
        def total(*kinds: b.AccountKind) -> int:
            return sum(a.balance for a in accounts if a.kind in kinds)

        debit, credit = sum(a.debit for a in accounts), sum(a.credit for a in accounts)
        return cls(
            accounts=[TrialBalanceLine.of(a) for a in accounts],
            total_debit=Money(amount=debit),
            total_credit=Money(amount=credit),
            assets=Money(amount=total(b.AccountKind.ASSET)),
            liabilities=Money(amount=total(b.AccountKind.LIABILITY)),
            equity=Money(amount=total(b.AccountKind.EQUITY)),
            surplus=Money(amount=total(b.AccountKind.INCOME) - total(b.AccountKind.EXPENSE)),
            balanced=debit == credit,
        )


@strawberry.type(description="The answer to a deposit or withdrawal.")
class TransactionPayload:
    transaction: SavingsTransaction | None = strawberry.field(
        default=None, description="The movement posted; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


MEMBERSHIP_ID = Annotated[
    strawberry.ID,
    strawberry.argument(description="The ACTIVE Membership whose savings move."),
]
AMOUNT = Annotated[Rupiah, strawberry.argument(description="More than 0, at most Rp1 trillion.")]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="A pengurus as teller: a cash deposit into POKOK (the simpanan pokok bill's "
        "amount, which settles it), WAJIB or SUKARELA of another member's savings. Errors: "
        "UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED (not a pengurus, or one's own), "
        "INVALID_STATE (not active, pokok paid already), INVALID (amount, note), DUPLICATE "
        "(idempotencyKey)."
    )
    async def record_deposit(
        self,
        info: Info,
        membership_id: MEMBERSHIP_ID,
        account: Annotated[
            SavingsAccount, strawberry.argument(description="Which savings it goes into.")
        ],
        amount: AMOUNT,
        note: Annotated[
            str | None,
            strawberry.argument(description="The teller's note, at most 255 characters."),
        ] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> TransactionPayload:
        return await payload_of(
            TransactionPayload,
            lambda: savings.record_deposit(
                info.context.viewer,
                decode_id(membership_id, "Membership", "membershipId"),
                m.SavingsKind(account),
                amount,
                note,
                info.context.services.events,
                idempotency_key,
            ),
            _transaction_payload,
        )

    @strawberry.mutation(
        description="The member or a pengurus: cash out of SUKARELA; a balance never goes "
        "below zero, however many withdrawals race. Errors: UNAUTHENTICATED, NOT_FOUND, "
        "INVALID_STATE, INVALID (amount), INSUFFICIENT_BALANCE, DUPLICATE (idempotencyKey)."
    )
    async def withdraw(
        self,
        info: Info,
        membership_id: MEMBERSHIP_ID,
        amount: AMOUNT,
        idempotency_key: IdempotencyKey = None,
    ) -> TransactionPayload:
        return await payload_of(
            TransactionPayload,
            lambda: savings.withdraw(
                info.context.viewer,
                decode_id(membership_id, "Membership", "membershipId"),
                amount,
                info.context.services.events,
                idempotency_key,
            ),
            _transaction_payload,
        )


def _transaction_payload(line: MemberLine) -> TransactionPayload:
    return TransactionPayload(transaction=SavingsTransaction.of(line))
