"""A shop's owner and the marketplace's admins are told when a payout completes or fails,
once, in the payout's transaction; nobody else is."""

from __future__ import annotations

import pytest

from models.payouts import Payout
from models.platform import User
from models.shops import Shop
from resolvers.payouts.withdrawals import settle
from resolvers.providers.payouts import Disbursement, DisbursementStatus
from schema.platform.ids import decode_id
from tests.conftest import sign_up
from tests.payouts.helpers import bank_destination, request_payout
from tests.platform.notification_helpers import kinds_of, listed
from tests.platform.test_visibility import _sold


@pytest.mark.parametrize(
    ("account", "kind", "said"),
    [("1234567801", "PAYOUT_COMPLETED", "berhasil"), ("1234567805", "PAYOUT_FAILED", "gagal")],
)
async def test_the_owner_and_admins_hear_once_how_a_payout_ended(gql, account, kind, said):
    admin, stranger = await sign_up(gql, "Admin Marketplace"), await sign_up(gql)
    await User.filter(email=admin["user"]["email"]).update(is_marketplace_admin=True)
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
    told = [e["node"] for e in (await listed(gql, admin["token"]))["edges"]]
    (theirs,) = [n for n in told if n["kind"] == kind]
    assert (theirs["body"], theirs["subject"]) == (ours["body"], None)  # not theirs to open
    assert "Rp10.000" in theirs["body"]
    shop = await Shop.get(id=decode_id(shop_id, "Shop"))
    assert f"toko {shop.name} sebesar" in theirs["body"]  # whose payout, by the shop's name
    assert await kinds_of(stranger) == []
