"""A member is told when their loan is approved and when it is disbursed, and nobody else is."""

from __future__ import annotations

from tests.cooperatives.helpers import Koperasi
from tests.loans.helpers import active_loan
from tests.platform.notification_helpers import kinds_of, listed


async def test_approval_and_disbursement_are_told_to_the_member(gql):
    koperasi = await Koperasi.new(gql)
    member, _, loan_id = await active_loan(koperasi)
    nodes = [e["node"] for e in (await listed(gql, member["token"]))["edges"]]
    assert [(n["kind"], n["subject"]) for n in nodes] == [
        ("LOAN_DISBURSED", {"id": loan_id}),
        ("LOAN_APPROVED", {"id": loan_id}),
    ]
    assert "Rp1.200.000" in nodes[1]["body"]
    assert await kinds_of(koperasi.pengurus) == []
