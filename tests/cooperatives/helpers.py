"""Cooperatives through the contract's operations: a registered cooperative, its pengurus,
approved members with savings, and its books; and cooperatives made straight in the
database."""

from __future__ import annotations

import uuid
from itertools import count
from typing import Any

from models.cooperatives.books import EntryKind, JournalEntry, JournalLine
from models.cooperatives.cooperative import Cooperative, CooperativeAdmin, SavingsAccount
from models.platform.accounts import User
from schema.platform.ids import decode_id
from tests.conftest import city_admin, contract, sign_up

_serial = count(1)


def nik(woman: bool = False) -> str:
    """A NIK of Kota Tangerang (36.71) with a real birth date and a serial of its own."""
    n = next(_serial)
    day = 1 + n % 28 + (40 if woman else 0)
    return f"367101{day:02d}{1 + n % 12:02d}{80 + n % 20:02d}{n % 10000 or 1:04d}"


def registration(admin_email: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": "Koperasi Warga Sejahtera",
        "legalNumber": f"AHU-{uuid.uuid4().hex[:7].upper()}.AH.01.26",
        "legalDate": "2019-03-14",
        "type": "SIMPAN_PINJAM",
        "kelurahanCode": "36.71.01.1001",
        "address": "Jl. Perintis Kemerdekaan No. 5",
        "adminEmail": admin_email,
        "pokokAmount": 100000,
        "wajibMonthlyAmount": 20000,
        **extra,
    }


async def register(gql, admin: dict, pengurus: dict, **extra: Any) -> dict[str, Any]:
    variables = {"input": registration(pengurus["user"]["email"], **extra)}
    result = await gql(contract("RegisterCooperative"), variables, token=admin["token"])
    payload = result["data"]["registerCooperative"]
    assert payload["errors"] == [], payload
    return payload["cooperative"]


class Koperasi:
    """A registered cooperative with its first pengurus."""

    def __init__(self, gql, cooperative: dict, pengurus: dict) -> None:
        self.gql = gql
        self.id = cooperative["id"]
        self.cooperative = cooperative
        self.pengurus = pengurus

    @classmethod
    async def new(cls, gql, admin: dict | None = None, **extra: Any) -> Koperasi:
        admin = admin or await city_admin(gql)
        pengurus = await sign_up(gql, "Pengurus Koperasi")
        return cls(gql, await register(gql, admin, pengurus, **extra), pengurus)

    async def apply(self, user: dict, **extra: Any) -> dict[str, Any]:
        body = {"nik": nik(), "address": "Jl. Melati 3, Cikokol", **extra}
        result = await self.gql(
            contract("ApplyMembership"),
            {"cooperativeId": self.id, "input": body},
            token=user["token"],
        )
        return result["data"]["applyMembership"]

    async def decide(self, membership_id: str, approve: bool = True, **extra: Any) -> dict:
        token = extra.pop("token", self.pengurus["token"])
        result = await self.gql(
            contract("DecideMembership"),
            {"id": membership_id, "approve": approve, **extra},
            token=token,
        )
        return result["data"]["decideMembership"]

    async def add_pengurus(self) -> dict[str, Any]:
        """A second pengurus (the contract has no operation for it yet)."""
        user = await sign_up(self.gql, "Pengurus Kedua")
        row = await User.get(email=user["user"]["email"])
        await CooperativeAdmin.create(
            cooperative_id=decode_id(self.id, "Cooperative"), user_id=row.id
        )
        return user

    async def member(self, user: dict | None = None, token: str | None = None) -> tuple[dict, str]:
        """A new user (or `user`) approved as a member: (the user, the membership id)."""
        user = user or await sign_up(self.gql, "Anggota Koperasi")
        applied = await self.apply(user)
        assert applied["errors"] == [], applied
        decided = await self.decide(
            applied["membership"]["id"], token=token or self.pengurus["token"]
        )
        assert decided["errors"] == [], decided
        return user, decided["membership"]["id"]

    async def deposit(
        self, membership_id: str, amount: int, account: str = "SUKARELA", **extra: Any
    ) -> dict[str, Any]:
        token = extra.pop("token", self.pengurus["token"])
        result = await self.gql(
            contract("RecordDeposit"),
            {"membershipId": membership_id, "account": account, "amount": amount, **extra},
            token=token,
        )
        assert "errors" not in result, result
        return result["data"]["recordDeposit"]

    async def withdraw(self, membership_id: str, amount: int, token: str) -> dict[str, Any]:
        result = await self.gql(
            contract("Withdraw"), {"membershipId": membership_id, "amount": amount}, token=token
        )
        assert "errors" not in result, result
        return result["data"]["withdraw"]

    async def dashboard(self, membership_id: str, token: str) -> dict[str, Any]:
        return await self.gql(contract("MemberDashboard"), {"id": membership_id}, token=token)


def codes(payload: dict) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


async def journal_size(cooperative: Koperasi | None = None) -> tuple[int, int]:
    """Entries and lines (of `cooperative`, or of all), but those the server's sweeps post
    whenever they run, also while a test counts: month-end allowances and time deposits'
    interest."""
    swept = [EntryKind.ALLOWANCE, EntryKind.TIME_DEPOSIT_INTEREST]
    entries = JournalEntry.exclude(kind__in=swept)
    lines = JournalLine.exclude(entry__kind__in=swept)
    if cooperative is not None:
        cooperative_id = decode_id(cooperative.id, "Cooperative")
        entries = entries.filter(cooperative_id=cooperative_id)
        lines = lines.filter(entry__cooperative_id=cooperative_id)
    return await entries.count(), await lines.count()


BOOKS = """query($id: ID!) { node(id: $id) { ... on Cooperative { books {
  accounts { code name kind debit { amount } credit { amount } balance { amount } }
  totalDebit { amount } totalCredit { amount } assets { amount } liabilities { amount }
  equity { amount } surplus { amount } balanced } } } }"""


async def sukarela(membership_id: str) -> int:
    row = await SavingsAccount.get(
        membership_id=decode_id(membership_id, "Membership"), kind="SUKARELA"
    )
    return row.balance


async def accounts(koperasi: Koperasi) -> dict[str, int]:
    books = await koperasi.gql(BOOKS, {"id": koperasi.id}, token=koperasi.pengurus["token"])
    lines = books["data"]["node"]["books"]["accounts"]
    return {a["code"]: a["balance"]["amount"] for a in lines}


_cooperatives = count(1)


async def cooperative(name: str = "Koperasi Warga Sejahtera") -> Cooperative:
    n = next(_cooperatives)
    return await Cooperative.create(
        slug=f"koperasi-{n}", name=name, type="SIMPAN_PINJAM",
        legal_number=f"AHU-{n:07d}.AH.01.26", kelurahan_id="36.71.01.1001",
    )  # fmt: skip


async def user_id(account: dict) -> int:
    return (await User.get(email=account["user"]["email"])).id
