"""Issue 28's loan-policy corrections through HTTP: installment rounding to a multiple (the
last absorbing the rest), FLAT interest totalling P x r x n, the denda cap per installment,
and kolektibilitas bands as a per-cooperative setting; each from the right and the wrong side."""

import pytest

from models.loans import LoanInstallment
from schema.platform.ids import decode_id
from tests.cooperatives.helpers import Koperasi, codes
from tests.loans.helpers import LOAN, active_loan, apply, approve, late_by

pytestmark = pytest.mark.usefixtures("books_balance")

POLICY = """mutation($id: ID!, $input: LoanPolicyInput!) { setLoanPolicy(cooperativeId: $id,
  input: $input) { policy { maxPrincipal { amount } dendaBpsPerDay graceDays dendaCapPercent
  installmentMultipleOf { amount } kolektibilitasBands } errors { field code message } } }"""
READ_POLICY = """query($id: ID!) { node(id: $id) { ... on Cooperative { loanPolicy {
  dendaCapPercent installmentMultipleOf { amount } kolektibilitasBands } } } }"""
ARREARS = """query($id: ID!) { node(id: $id) { ... on Loan { daysPastDue
  kolektibilitas { level label } payoffAmount { amount } } } }"""
PORTFOLIO = """query($id: ID!) { node(id: $id) { ... on Cooperative { loanPortfolio {
  nplRatioBps bands { kolektibilitas { level } loans } } } } }"""
BASE = {"maxPrincipal": 50_000_000, "dendaBpsPerDay": 10, "graceDays": 7}


async def set_policy(koperasi: Koperasi, token: str | None = None, **extra: object) -> dict:
    result = await koperasi.gql(
        POLICY,
        {"id": koperasi.id, "input": {**BASE, **extra}},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["setLoanPolicy"]


async def test_policy_settings_are_kept_and_a_left_out_one_keeps_its_value(gql):
    koperasi = await Koperasi.new(gql)
    read = await gql(READ_POLICY, {"id": koperasi.id}, token=koperasi.pengurus["token"])
    assert read["data"]["node"]["loanPolicy"] == {
        "dendaCapPercent": None,
        "installmentMultipleOf": {"amount": 1},
        "kolektibilitasBands": "BANK",
    }
    done = await set_policy(
        koperasi, dendaCapPercent=12.5, installmentMultipleOf=1000, kolektibilitasBands="MINISTRY"
    )
    assert done["errors"] == []
    assert done["policy"]["dendaCapPercent"] == 12.5
    assert done["policy"]["installmentMultipleOf"] == {"amount": 1000}
    assert done["policy"]["kolektibilitasBands"] == "MINISTRY"
    kept = await set_policy(koperasi, dendaBpsPerDay=20)
    assert (kept["policy"]["dendaCapPercent"], kept["policy"]["kolektibilitasBands"]) == (
        12.5,
        "MINISTRY",
    )
    assert kept["policy"]["installmentMultipleOf"] == {"amount": 1000}
    removed = await set_policy(koperasi, dendaCapPercent=None)
    assert removed["policy"]["dendaCapPercent"] is None


async def test_bad_settings_and_the_wrong_side_are_refused_and_change_nothing(gql):
    koperasi = await Koperasi.new(gql)
    bad = await set_policy(koperasi, dendaCapPercent=100.5, installmentMultipleOf=0)
    assert sorted(codes(bad)) == [
        ("input.dendaCapPercent", "INVALID"),
        ("input.installmentMultipleOf", "INVALID"),
    ]
    assert codes(await set_policy(koperasi, dendaCapPercent=1.234)) == [
        ("input.dendaCapPercent", "INVALID")
    ]
    assert codes(await set_policy(koperasi, installmentMultipleOf=100_001)) == [
        ("input.installmentMultipleOf", "INVALID")
    ]
    warga, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    for token in (warga["token"], other.pengurus["token"]):
        refused = await set_policy(koperasi, token=token, installmentMultipleOf=1000)
        assert codes(refused) == [("cooperativeId", "PERMISSION_DENIED")]
    read = await gql(READ_POLICY, {"id": koperasi.id}, token=koperasi.pengurus["token"])
    assert read["data"]["node"]["loanPolicy"]["installmentMultipleOf"] == {"amount": 1}
    assert read["data"]["node"]["loanPolicy"]["dendaCapPercent"] is None


async def test_an_approved_schedule_is_rounded_and_flat_interest_totals_p_r_n(gql):
    koperasi = await Koperasi.new(gql)
    assert (await set_policy(koperasi, installmentMultipleOf=1000))["errors"] == []
    warga, membership_id = await koperasi.member()
    applied = await apply(koperasi, membership_id, warga["token"], 1_000_000, tenorMonths=3)
    approved = await approve(koperasi, applied["loan"]["id"], "FLAT", 1000)
    assert approved["errors"] == []
    rows = [
        (i["principal"]["amount"], i["interest"]["amount"], i["total"]["amount"])
        for i in approved["loan"]["schedule"]
    ]
    # 10% a year on Rp1.000.000 for 3 months is Rp25.000 of interest: 8.333, 8.333, 8.334;
    # every installment but the last rounded to Rp1.000, the last takes the rest.
    assert rows == [(333_667, 8_333, 342_000), (333_667, 8_333, 342_000), (332_666, 8_334, 341_000)]
    assert sum(interest for _, interest, _ in rows) == 1_000_000 * 1000 * 3 // 120_000
    # Without a multiple (another cooperative) the same loan is not rounded.
    plain = await Koperasi.new(gql)
    warga, membership_id = await plain.member()
    applied = await apply(plain, membership_id, warga["token"], 1_000_000, tenorMonths=3)
    approved = await approve(plain, applied["loan"]["id"], "FLAT", 1000)
    assert [i["total"]["amount"] for i in approved["loan"]["schedule"]] == [
        341_666,
        341_666,
        341_668,
    ]


async def test_the_denda_cap_limits_an_installments_denda(gql):
    koperasi = await Koperasi.new(gql)
    _, _, loan_id = await active_loan(koperasi, "FLAT", 1_200_000, 12)
    await late_by(loan_id, 100)
    token = koperasi.pengurus["token"]
    first = await LoanInstallment.get(loan_id=decode_id(loan_id, "Loan"), number=1)
    scheduled = first.principal + first.interest
    uncapped = (await gql(ARREARS, {"id": loan_id}, token=token))["data"]["node"]
    # 10 bps a day for the 93 days past the 7 grace days.
    denda = scheduled * 10 * 93 // 10_000
    loan = (await gql(LOAN, {"id": loan_id}, token=token))["data"]["node"]
    assert loan["schedule"][0]["dendaPaid"] == {"amount": 0}
    assert (await set_policy(koperasi, dendaCapPercent=2))["errors"] == []
    capped = (await gql(ARREARS, {"id": loan_id}, token=token))["data"]["node"]
    assert (
        uncapped["payoffAmount"]["amount"] - capped["payoffAmount"]["amount"]
        == denda - scheduled * 200 // 10_000
    )


async def test_kolektibilitas_bands_are_the_cooperatives_setting(gql):
    koperasi = await Koperasi.new(gql)
    token = koperasi.pengurus["token"]
    _, _, sixty = await active_loan(koperasi, "FLAT", 1_000_000, 12)
    _, _, two_hundred = await active_loan(koperasi, "FLAT", 1_000_000, 12)
    await late_by(sixty, 60)
    await late_by(two_hundred, 200)

    async def levels() -> tuple[int, int]:
        found = [
            (await gql(ARREARS, {"id": i}, token=token))["data"]["node"]["kolektibilitas"]["level"]
            for i in (sixty, two_hundred)
        ]
        return found[0], found[1]

    async def bands() -> list[int]:
        portfolio = (await gql(PORTFOLIO, {"id": koperasi.id}, token=token))["data"]["node"]
        return [b["loans"] for b in portfolio["loanPortfolio"]["bands"]]

    # The bank bands: 60 days dalam perhatian khusus, 200 days macet.
    assert await levels() == (2, 5)
    assert await bands() == [0, 1, 0, 0, 1]
    assert (await set_policy(koperasi, kolektibilitasBands="MINISTRY"))["errors"] == []
    # The ministry's classes: 60 days kurang lancar, 200 days diragukan.
    assert await levels() == (3, 4)
    assert await bands() == [0, 0, 1, 1, 0]
    portfolio = (await gql(PORTFOLIO, {"id": koperasi.id}, token=token))["data"]["node"]
    assert portfolio["loanPortfolio"]["nplRatioBps"] == 10_000
