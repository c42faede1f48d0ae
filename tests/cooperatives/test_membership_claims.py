"""An imported member's account claims their membership with a code sent to the imported
phone, and the pengurus's member register of imported and claimed members."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta

import pytest

from models.cooperatives import ClaimLock, Membership, MembershipClaim
from models.platform import User
from resolvers.platform import real_now
from schema.platform.ids import decode_id
from tests.conftest import city_admin, contract, sign_up
from tests.cooperatives.books import books_op
from tests.cooperatives.helpers import Koperasi, nik
from tests.cooperatives.opening import fill, generated, import_file, template_bytes

pytestmark = pytest.mark.usefixtures("books_balance")


async def _imported(gql, client, count: int = 3) -> tuple[Koperasi, list]:
    koperasi = await Koperasi.new(gql)
    filled = generated(count, 1)
    done = await import_file(client, koperasi, fill(await template_bytes(client, gql, koperasi),
                                                     filled))  # fmt: skip
    assert done["errors"] == [], done
    return koperasi, filled.members


async def _ask(gql, koperasi, member, token, **extra) -> dict:
    body = {"cooperativeId": koperasi.id, "phone": member.phone, "nik": member.nik, **extra}
    found = await gql(books_op("RequestMembershipClaimCode"), {"input": body}, token=token)
    return found["data"]["requestMembershipClaimCode"]


async def _claim(gql, koperasi, member, token, code, **extra) -> dict:
    body = {"cooperativeId": koperasi.id, "phone": member.phone, "nik": member.nik,
            "code": code, **extra}  # fmt: skip
    found = await gql(books_op("ClaimMembership"), {"input": body}, token=token)
    return found["data"]["claimMembership"]


def _outbox(live, name: str = "outbox.jsonl") -> list[dict]:
    """What the file notifiers wrote: e-mail (invitations) or `whatsapp.jsonl` (claim codes)."""
    path = live.settings.var_dir / name
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


async def _codes_to(live, phone: str, earlier: int = 0) -> list[str]:
    """The claim codes the WhatsApp file notifier wrote for `phone`, once more than `earlier`."""
    e164 = "+62" + phone[1:]
    for _ in range(200):
        sent = [
            m
            for m in _outbox(live, "whatsapp.jsonl")
            if m["to"] == e164 and m["kind"] == "MEMBERSHIP_CLAIM_CODE"
        ]
        if len(sent) > earlier:
            return [re.search(r"\b(\d{6})\b", m["body"]).group(1) for m in sent]
        await asyncio.sleep(0.02)
    raise AssertionError(f"no code reached {phone}")


def _codes(payload: dict) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


async def test_the_member_claims_with_the_code_and_nobody_else_can(gql, client, live):
    koperasi, members = await _imported(gql, client)
    member = members[0]
    e164 = "+62" + member.phone[1:]
    invited = [m for m in _outbox(live) if m["to"] == e164]
    for _ in range(100):
        if invited:
            break
        await asyncio.sleep(0.02)
        invited = [m for m in _outbox(live) if m["to"] == e164]
    assert invited[0]["kind"] == "MEMBERSHIP_CLAIM_INVITATION"
    assert not re.search(r"\b\d{6}\b", invited[0]["body"])

    owner, thief = await sign_up(gql, "Pemilik Asli"), await sign_up(gql, "Orang Lain")
    assert (await _ask(gql, koperasi, member, owner["token"]))["ok"] is True
    [code] = await _codes_to(live, member.phone)
    # The right code with another NIK or phone, or a wrong code: the same answer.
    wrong_nik = await _claim(gql, koperasi, member, thief["token"], code, nik=nik())
    wrong_phone = await _claim(gql, koperasi, member, thief["token"], code, phone="081299999999")
    wrong_code = await _claim(
        gql, koperasi, member, thief["token"], f"{(int(code) + 1) % 10**6:06d}"
    )
    assert _codes(wrong_nik) == _codes(wrong_phone) == _codes(wrong_code) == [("code", "INVALID")]
    assert wrong_nik["errors"][0]["message"] == wrong_code["errors"][0]["message"]
    assert _codes(await _claim(gql, koperasi, member, owner["token"], " ")) == [
        ("code", "REQUIRED")
    ]

    claimed = await _claim(gql, koperasi, member, owner["token"], code)
    assert claimed["errors"] == [], claimed
    membership = claimed["membership"]
    assert membership["claimed"] is True
    assert membership["totalSavings"]["amount"] == member.pokok + member.wajib + member.sukarela
    row = await Membership.get(id=decode_id(membership["id"], "Membership"))
    assert row.user_id == (await User.get(email=owner["user"]["email"])).id
    # The code is spent, and the membership cannot be claimed again.
    again = await _claim(gql, koperasi, member, thief["token"], code)
    assert _codes(again) == [("code", "INVALID")]
    # The member reads it as theirs; a second membership of the same cooperative is refused.
    dashboard = await koperasi.dashboard(membership["id"], owner["token"])
    assert "errors" not in dashboard, dashboard
    assert (await koperasi.dashboard(membership["id"], thief["token"]))["data"]["node"] is None
    other = members[1]
    assert (await _ask(gql, koperasi, other, owner["token"]))["ok"] is True
    [other_code] = await _codes_to(live, other.phone)
    dup = await _claim(gql, koperasi, other, owner["token"], other_code)
    assert _codes(dup)[0][1] == "DUPLICATE"


async def test_asking_answers_alike_and_is_rate_limited(gql, client, live):
    koperasi, members = await _imported(gql, client)
    member = members[0]
    asker = await sign_up(gql)
    nobody = await _ask(gql, koperasi, member, asker["token"], nik=nik())
    assert nobody == {"ok": True, "errors": []}
    bad = await _ask(gql, koperasi, member, asker["token"], nik="123", phone="12")
    assert sorted(_codes(bad)) == [("input.nik", "INVALID"), ("input.phone", "INVALID")]
    unsigned = await _ask(gql, koperasi, member, None)
    assert _codes(unsigned)[0][1] == "UNAUTHENTICATED"
    for _ in range(4):  # three codes an hour for a membership; the fourth sends nothing
        assert (await _ask(gql, koperasi, member, asker["token"]))["ok"] is True
    await asyncio.sleep(0.3)
    assert len(await _codes_to(live, member.phone)) == 3
    for _ in range(4):  # eleven requests by one account: the eleventh is refused
        assert (await _ask(gql, koperasi, member, asker["token"], nik=nik()))["ok"] is True
    # 1 (other NIK) + 4 + 4 = 9 so far, plus the malformed one not counted
    assert (await _ask(gql, koperasi, member, asker["token"]))["ok"] is True
    over = await _ask(gql, koperasi, member, asker["token"])
    assert _codes(over) == [("input", "LIMIT_EXCEEDED")]


async def test_five_wrong_codes_lock_the_claim_even_for_the_right_code(gql, client, live):
    koperasi, members = await _imported(gql, client)
    member = members[0]
    owner, guesser = await sign_up(gql), await sign_up(gql)
    assert (await _ask(gql, koperasi, member, owner["token"]))["ok"] is True
    [code] = await _codes_to(live, member.phone)
    wrong = f"{(int(code) + 7) % 10**6:06d}"
    for _ in range(5):
        assert _codes(await _claim(gql, koperasi, member, guesser["token"], wrong)) == [
            ("code", "INVALID")
        ]
    locked = await _claim(gql, koperasi, member, owner["token"], code)
    assert _codes(locked) == [("code", "LIMIT_EXCEEDED")]
    # Counted also for a pair no membership has.
    stranger = nik()
    for _ in range(5):
        await _claim(gql, koperasi, member, guesser["token"], wrong, nik=stranger)
    refused = await _claim(gql, koperasi, member, guesser["token"], wrong, nik=stranger)
    assert _codes(refused) == [("code", "LIMIT_EXCEEDED")]
    # After the lock's 15 minutes the right code works (the lock's end moved back here).
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    await ClaimLock.filter(cooperative_id=cooperative_id, nik=member.nik).update(
        locked_until=real_now() - timedelta(seconds=1)
    )
    claimed = await _claim(gql, koperasi, member, owner["token"], code)
    assert claimed["errors"] == [], claimed


async def test_an_expired_code_is_refused(gql, client, live):
    koperasi, members = await _imported(gql, client)
    member = members[0]
    owner = await sign_up(gql)
    await _ask(gql, koperasi, member, owner["token"])
    [code] = await _codes_to(live, member.phone)
    await MembershipClaim.filter(nik=member.nik).update(code_expires_at=real_now())
    assert _codes(await _claim(gql, koperasi, member, owner["token"], code)) == [
        ("code", "INVALID")
    ]


async def test_two_racing_claims_with_the_right_code_claim_once(gql, client, live):
    koperasi, members = await _imported(gql, client)
    member = members[0]
    first, second = await sign_up(gql), await sign_up(gql)
    await _ask(gql, koperasi, member, first["token"])
    [code] = await _codes_to(live, member.phone)
    results = await asyncio.gather(
        *(_claim(gql, koperasi, member, who["token"], code) for who in (first, second) * 3)
    )
    assert sum(r["errors"] == [] for r in results) == 1, results
    row = await Membership.get(nik=member.nik, cooperative_id=decode_id(koperasi.id, "Cooperative"))
    assert row.claimed is True


async def test_an_imported_member_account_cannot_sign_in(gql, client):
    koperasi, members = await _imported(gql, client)
    row = await Membership.get(
        nik=members[0].nik, cooperative_id=decode_id(koperasi.id, "Cooperative")
    )
    holder = await User.get(id=row.user_id)
    for password in ("", "!", "rahasia123", holder.password_hash):
        found = await gql(contract("Login"), {"email": holder.email, "password": password})
        payload = found["data"]["login"]
        assert payload["token"] is None
        assert payload["errors"], payload


async def test_the_register_shows_imported_members_to_their_pengurus_only(gql, client, live):
    koperasi, members = await _imported(gql, client)
    query = books_op("MemberRegister")
    found = await gql(query, {"cooperativeId": koperasi.id}, token=koperasi.pengurus["token"])
    assert "errors" not in found, found
    register = found["data"]["node"]["members"]
    assert register["totalCount"] == 3
    rows = {edge["node"]["nik"]: edge["node"] for edge in register["edges"]}
    for member in members:
        row = rows[member.nik]
        assert (row["name"], row["phone"], row["claimed"], row["status"]) == (
            member.name, "+62" + member.phone[1:], False, "ACTIVE",
        )  # fmt: skip
        assert row["totalSavings"]["amount"] == member.pokok + member.wajib + member.sukarela
    # Once claimed, the register shows the member's own account.
    owner = await sign_up(gql, "Nama Akun Sendiri")
    await _ask(gql, koperasi, members[0], owner["token"])
    [code] = await _codes_to(live, members[0].phone)
    assert (await _claim(gql, koperasi, members[0], owner["token"], code))["errors"] == []
    found = await gql(query, {"cooperativeId": koperasi.id}, token=koperasi.pengurus["token"])
    rows = {e["node"]["nik"]: e["node"] for e in found["data"]["node"]["members"]["edges"]}
    assert (rows[members[0].nik]["name"], rows[members[0].nik]["claimed"]) == (
        "Nama Akun Sendiri", True,
    )  # fmt: skip
    # Nobody else reads the register: another cooperative's pengurus, a member, the Dinas.
    other = await Koperasi.new(gql)
    dinas = await city_admin(gql)
    for token in (other.pengurus["token"], owner["token"], dinas["token"], None):
        refused = await gql(query, {"cooperativeId": koperasi.id}, token=token)
        assert refused["data"]["node"] is None or refused["data"]["node"]["members"] is None
        assert refused["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")
        assert members[1].nik not in json.dumps(refused)
