"""Saldo awal files for the tests: the template as the API hands it out, filled with
generated members, loans and account balances, and uploaded by the GraphQL multipart spec."""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass, field
from datetime import date
from itertools import count
from typing import Any

import httpx
from openpyxl import load_workbook

from tests.cooperatives.books import books_op
from tests.cooperatives.helpers import Koperasi, nik

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Member:
    nik: str
    name: str
    phone: str
    joined: date
    pokok: int
    wajib: int
    sukarela: int
    number: int | None = None


@dataclass
class LoanRow:
    nik: str
    principal: int
    rate: float
    method: str
    remaining: int
    next_due: date


@dataclass
class Filled:
    members: list[Member] = field(default_factory=list)
    loans: list[LoanRow] = field(default_factory=list)
    accounts: dict[str, tuple[int, int]] = field(default_factory=dict)  # code: (debit, credit)

    @property
    def debit(self) -> int:
        return sum(d for d, _ in self.accounts.values()) + sum(x.principal for x in self.loans)

    @property
    def credit(self) -> int:
        accounts = sum(c for _, c in self.accounts.values())
        return accounts + sum(m.pokok + m.wajib + m.sukarela for m in self.members)


_phones = count(10_000_001)


def a_phone() -> str:
    """A mobile number no other generated member has in this run."""
    return f"0812{next(_phones):08d}"


def generated(count: int, loans: int, pokok: int = 100_000, seed: int = 7) -> Filled:
    """`count` members with savings, `loans` of them with a loan, and Kas, Bank and the
    other balances that make the entry balance (Kas takes what is left)."""
    chance = random.Random(seed)
    filled = Filled()
    for n in range(count):
        filled.members.append(
            Member(nik(), f"Anggota Impor {n + 1}", a_phone(),
                   date(2020, 1 + n % 12, 1 + n % 28), pokok, 20_000 * chance.randint(0, 30),
                   chance.choice([0, 15_000, 250_000, 1_234_567]))
        )  # fmt: skip
    methods = ["FLAT", "EFEKTIF", "ANUITAS"]
    for n, member in enumerate(filled.members[:loans]):
        filled.loans.append(
            LoanRow(member.nik, chance.randint(12, 200) * 50_000, chance.choice([12, 18, 21.5]),
                    methods[n % 3], chance.randint(1, 24), date(2026, 1 + n % 12, 5))
        )  # fmt: skip
    filled.accounts = {"1-1200": (25_000_000, 0), "2-2100": (0, 10_000_000),
                       "1-1700": (0, 1_500_000), "3-2100": (0, 4_000_000)}  # fmt: skip
    short = filled.debit + 1_000_000 - filled.credit
    if short > 0:  # Modal Penyertaan funds what the loans lent beyond the savings
        filled.accounts["3-1300"] = (0, short)
    filled.accounts["1-1100"] = (filled.credit - filled.debit, 0)
    return filled


async def template_bytes(client: httpx.AsyncClient, gql, koperasi: Koperasi) -> bytes:
    found = await gql(
        books_op("OpeningBalanceTemplate"), {"cooperativeId": koperasi.id},
        token=koperasi.pengurus["token"],
    )  # fmt: skip
    url = found["data"]["node"]["openingBalanceTemplateUrl"]
    response = await client.get(url)
    assert response.status_code == 200, response.text
    return response.content


def fill(template: bytes, filled: Filled, extra: dict[str, list[list[Any]]] | None = None) -> bytes:
    """The template with `filled`'s rows (and `extra` raw rows per sheet) written in."""
    book = load_workbook(io.BytesIO(template))
    members, loans, accounts = book["Anggota"], book["Pinjaman"], book["Saldo Akun"]
    for m in filled.members:
        members.append([m.nik, m.name, m.phone, "Jl. Kenanga 1", m.joined, m.number, m.pokok,
                        m.wajib, m.sukarela])  # fmt: skip
    for x in filled.loans:
        loans.append([x.nik, x.principal, x.rate, x.method, x.remaining, x.next_due])
    rows = {row[0].value: row[0].row for row in accounts.iter_rows(min_row=2)}
    for code, (debit, credit) in filled.accounts.items():
        accounts.cell(rows[code], 3).value = debit or None
        accounts.cell(rows[code], 4).value = credit or None
    for title, more in (extra or {}).items():
        for row in more:
            book[title].append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def import_file(
    client: httpx.AsyncClient,
    koperasi: Koperasi,
    data: bytes,
    *,
    dry_run: bool = False,
    cut_over: str = "2025-12-31",
    token: str | None = None,
    name: str = "saldo-awal.xlsx",
) -> dict[str, Any]:
    operations = json.dumps({
        "query": books_op("ImportOpeningBalances"),
        "variables": {"cooperativeId": koperasi.id, "file": None, "cutOverDate": cut_over,
                      "dryRun": dry_run},
    })  # fmt: skip
    response = await client.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (name, data, XLSX)},
        headers={"Authorization": f"Bearer {token or koperasi.pengurus['token']}",
                 "Apollo-Require-Preflight": "true"},
        timeout=300,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["importOpeningBalances"]
