"""A shop's owner is told when a payout completes or fails, once, in the payout's
transaction."""

from __future__ import annotations

import pytest

from models.payouts import Payout
from resolvers.payouts.withdrawals import settle
from resolvers.providers.payouts import Disbursement, DisbursementStatus
from schema.platform.ids import decode_id
from tests.payouts.helpers import bank_destination, request_payout
from tests.platform.notification_helpers import kinds_of, listed
from tests.platform.test_visibility import _sold


@pytest.mark.parametrize(
    ("account", "kind", "said"),
    [("1234567801", "PAYOUT_COMPLETED", "berhasil"), ("1234567805", "PAYOUT_FAILED", "gagal")],
)
async def test_the_owner_hears_once_how_a_payout_ended(gql, account, kind, said):
    owner: dict = {}
    shop_id = await _sold(gql, owner)
    destination = await bank_destination(gql, owner["token"], shop_id, account)
    paid = await request_payout(gql, owner["token"], shop_id, destination, 10000)
    payout = await Payout.get(id=decode_id(paid["payout"]["id"], "Payout"))
    status = (
        DisbursementStatus.COMPLETED if kind == "PAYOUT_COMPLETED" else DisbursementStatus.FAILED
    )
    assert await settle(payout.id, Disbursement(payout.reference, status)) is False
    assert [k for k in await kinds_of(owner) if k.startswith("PAYOUT")] == [kind]
    nodes = [e["node"] for e in (await listed(gql, owner["token"]))["edges"]]
    (ours,) = [n for n in nodes if n["kind"] == kind]
    assert "Rp10.000" in ours["body"]
    assert said in ours["title"].lower()
    assert ours["subject"] == {"id": paid["payout"]["id"]}
