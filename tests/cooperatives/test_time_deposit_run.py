"""The time deposits' daily run: interest, tax and maturity figures against an independent
reckoning for odd amounts and dates (31 January, a leap-year February), overlapping runs,
an early withdrawal racing the run, and the sweep through the sandbox's test clock."""

import asyncio
from datetime import date
from fractions import Fraction

import httpx
import pytest

from models.cooperatives import Membership, TimeDeposit, TimeDepositMaturity
from models.platform import User
from resolvers.cooperatives.books import (
    BEBAN_JASA_BERJANGKA,
    SIMPANAN_BERJANGKA,
    UTANG_PAJAK,
    account_balance,
    audit,
)
from resolvers.cooperatives.deposit_run import interest_tax, monthly_interest, run_time_deposits
from resolvers.cooperatives.deposits import NewDeposit, open_deposit, withdraw_early
from resolvers.platform import ahead, today
from resolvers.platform.errors import UserError
from resolvers.providers import SavingsInterestTax, Services
from schema.platform.ids import decode_id
from server.app import make_services
from server.settings import Settings, SettingsError
from tests.conftest import GraphQL, city_admin, contract
from tests.cooperatives.deposits import (
    deposits_of,
    expected_month,
    month_later,
    product_id,
)
from tests.cooperatives.deposits import (
    open_deposit as open_over_http,
)
from tests.cooperatives.helpers import Koperasi, sukarela

pytestmark = pytest.mark.usefixtures("books_balance")
PP_15_2009 = SavingsInterestTax(rate_bps=1000, threshold=240_000)


@pytest.mark.parametrize(
    ("principal", "bps"),
    [(1, 2400), (999_999, 1), (1_000_001, 600), (41_142_857, 700), (41_142_858, 700),
     (50_000_003, 700), (123_456_789, 1234), (10**12, 2400)],
)  # fmt: skip
def test_a_months_interest_and_tax_are_the_reckonings(principal, bps):
    expected = expected_month(principal, Fraction(bps, 100))
    gross = monthly_interest(principal, bps)
    assert (gross, interest_tax(gross, PP_15_2009)) == (expected.gross, expected.tax)


def test_the_tax_starts_above_rp240_000_and_takes_ten_percent_of_the_whole():
    assert interest_tax(240_000, PP_15_2009) == 0
    assert interest_tax(240_001, PP_15_2009) == 24_000
    assert interest_tax(291_666, PP_15_2009) == 29_166
    assert interest_tax(300_000, SavingsInterestTax(rate_bps=1500, threshold=100)) == 45_000


async def _member_with(koperasi: Koperasi, amount: int) -> tuple[User, str]:
    member, membership_id = await koperasi.member()
    assert (await koperasi.deposit(membership_id, amount))["errors"] == []
    return await User.get(email=member["user"]["email"]), membership_id


def _on(day: date) -> int:
    return (day - today()).days


async def _open_on(day: date, user: User, membership_id: str, product: str, amount: int,
                   maturity: TimeDepositMaturity, services: Services) -> TimeDeposit:  # fmt: skip
    given = NewDeposit(decode_id(membership_id, "Membership"),
                       decode_id(product, "TimeDepositProduct"), amount, maturity)  # fmt: skip
    with ahead(_on(day)):
        return await open_deposit(user, given, services.events)


async def _run_on(day: date, services: Services) -> int:
    with ahead(_on(day)):
        return await run_time_deposits(services)


def _next_31_january(leap: bool) -> date:
    year = today().year + 1
    while (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) != leap:
        year += 1
    return date(year, 1, 31)


@pytest.mark.parametrize("leap", [True, False])
async def test_a_deposit_opened_on_31_january_books_each_anniversary_once(gql, live, leap):
    services = make_services(live.settings, None)
    koperasi = await Koperasi.new(gql)
    user, membership_id = await _member_with(koperasi, 60_000_000)
    product = await product_id(koperasi, termMonths=3, annualRateBps=700, minimum=1)
    start = _next_31_january(leap)
    deposit = await _open_on(start, user, membership_id, product, 50_000_003,
                             TimeDepositMaturity.PAY_OUT, services)  # fmt: skip
    anniversaries = [month_later(start, n) for n in (1, 2, 3)]
    assert anniversaries[0] == date(start.year, 2, 29 if leap else 28)
    assert deposit.maturity_date == anniversaries[2] == date(start.year, 4, 30)
    month = expected_month(50_000_003, Fraction(7))  # 291.666 gross, 29.166 tax
    assert (month.gross, month.tax) == (291_666, 29_166)
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    await _run_on(date(start.year, 2, 27 if leap else 26), services)
    assert (await TimeDeposit.get(id=deposit.id)).months_accrued == 0
    for n, day in enumerate(anniversaries[:2], 1):
        await _run_on(day, services)
        await _run_on(day, services)  # a second run that day books nothing again
        row = await TimeDeposit.get(id=deposit.id)
        assert (row.months_accrued, row.interest_paid, row.tax_withheld) == (
            n,
            n * month.net,
            n * month.tax,
        )
        assert await sukarela(membership_id) == 10_000_000 - 3 + n * month.net
    await _run_on(anniversaries[2], services)
    row = await TimeDeposit.get(id=deposit.id)
    assert (row.status, row.closing_amount, row.interest_paid, row.tax_withheld) == (
        "PAID_OUT",
        50_000_003,
        3 * month.net,
        3 * month.tax,
    )
    assert await sukarela(membership_id) == 60_000_000 + 3 * month.net
    assert await account_balance(cooperative_id, UTANG_PAJAK) == 3 * month.tax
    assert await account_balance(cooperative_id, BEBAN_JASA_BERJANGKA) == 3 * month.gross
    assert await account_balance(cooperative_id, SIMPANAN_BERJANGKA) == 0


async def test_at_maturity_interest_rolls_over_with_the_principal_once(gql, live):
    services = make_services(live.settings, None)
    koperasi = await Koperasi.new(gql)
    user, membership_id = await _member_with(koperasi, 13_000_000)
    product = await product_id(koperasi, termMonths=1, annualRateBps=650, minimum=1,
                               interestPayout="AT_MATURITY")  # fmt: skip
    start = date(today().year + 1, 3, 31)
    deposit = await _open_on(start, user, membership_id, product, 12_345_679,
                             TimeDepositMaturity.ROLL_OVER, services)  # fmt: skip
    assert deposit.maturity_date == date(start.year, 4, 30)
    month = expected_month(12_345_679, Fraction(65, 10))
    await asyncio.gather(*[_run_on(deposit.maturity_date, services) for _ in range(4)])
    old = await TimeDeposit.get(id=deposit.id)
    assert (old.status, old.closing_amount, old.interest_paid) == (
        "ROLLED_OVER",
        12_345_679 + month.net,
        0,
    )
    owner = decode_id(membership_id, "Membership")
    renewed = await TimeDeposit.exclude(id=deposit.id).get(membership_id=owner)
    assert old.rolled_over_to_id == renewed.id
    assert (renewed.principal, renewed.start_date, renewed.maturity_date, renewed.status) == (
        12_345_679 + month.net,
        date(start.year, 4, 30),
        date(start.year, 5, 30),
        "ACTIVE",
    )
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    assert await account_balance(cooperative_id, SIMPANAN_BERJANGKA) == renewed.principal
    assert await sukarela(membership_id) == 13_000_000 - 12_345_679


async def test_an_early_withdrawal_forfeits_the_interest_kept_and_its_tax(gql, live):
    services = make_services(live.settings, None)
    koperasi = await Koperasi.new(gql)
    user, membership_id = await _member_with(koperasi, 100_000_000)
    product = await product_id(koperasi, termMonths=6, annualRateBps=900, minimum=1,
                               interestPayout="AT_MATURITY", earlyWithdrawalPenaltyBps=50)  # fmt: skip
    start = date(today().year + 1, 8, 31)
    deposit = await _open_on(start, user, membership_id, product, 77_777_777,
                             TimeDepositMaturity.PAY_OUT, services)  # fmt: skip
    await _run_on(date(start.year, 9, 30), services)
    month = expected_month(77_777_777, Fraction(9))
    row = await TimeDeposit.get(id=deposit.id)
    assert (row.accrued_interest, row.tax_withheld) == (month.gross, month.tax)
    assert month.tax > 0
    with ahead(_on(date(start.year, 10, 15))):
        closed = await withdraw_early(user, deposit.id, services.events)
    penalty = 77_777_777 * 50 // 10_000
    assert (closed.status, closed.closing_amount, closed.accrued_interest, closed.tax_withheld) == (
        "WITHDRAWN_EARLY",
        77_777_777 - penalty,
        0,
        0,
    )
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    for code in (SIMPANAN_BERJANGKA, UTANG_PAJAK, BEBAN_JASA_BERJANGKA):
        assert await account_balance(cooperative_id, code) == 0, code
    assert await sukarela(membership_id) == 100_000_000 - penalty


async def test_withdrawals_racing_the_run_close_the_deposit_once(gql, live):
    services = make_services(live.settings, None)
    koperasi = await Koperasi.new(gql)
    user, membership_id = await _member_with(koperasi, 30_000_000)
    product = await product_id(koperasi, termMonths=3, annualRateBps=1200, minimum=1,
                               interestPayout="AT_MATURITY")  # fmt: skip
    start = date(today().year + 1, 5, 31)
    deposit = await _open_on(start, user, membership_id, product, 25_000_000,
                             TimeDepositMaturity.ROLL_OVER, services)  # fmt: skip
    day = date(start.year, 6, 30)

    async def withdraw() -> str:
        with ahead(_on(day)):
            try:
                await withdraw_early(user, deposit.id, services.events)
            except UserError as error:
                return error.problems[0].code.value
        return "OK"

    results = await asyncio.gather(*[withdraw() for _ in range(4)],
                                   *[_run_on(day, services) for _ in range(3)])  # fmt: skip
    assert sorted(r for r in results if isinstance(r, str)) == ["INVALID_STATE"] * 3 + ["OK"]
    row = await TimeDeposit.get(id=deposit.id)
    assert (row.status, row.accrued_interest, row.rolled_over_to_id) == ("WITHDRAWN_EARLY", 0, None)
    # On its maturity date a deposit is the run's: a withdrawal is refused.
    later = await _open_on(start, user, membership_id, product, 1_000_000,
                           TimeDepositMaturity.ROLL_OVER, services)  # fmt: skip
    with ahead(_on(later.maturity_date)), pytest.raises(UserError) as refused:
        await withdraw_early(user, later.id, services.events)
    assert refused.value.problems[0].code.value == "INVALID_STATE"
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    assert await account_balance(cooperative_id, SIMPANAN_BERJANGKA) == 1_000_000
    owner = await Membership.get(id=decode_id(membership_id, "Membership"))
    assert await TimeDeposit.filter(membership_id=owner.id).count() == 2


async def test_the_test_clock_matures_a_deposit_through_the_sweep(gql, sandbox):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await koperasi.member()
    assert (await koperasi.deposit(membership_id, 2_000_000))["errors"] == []
    product = await product_id(koperasi, termMonths=1, annualRateBps=1200, minimum=1)
    opened = await open_over_http(koperasi, membership_id, product, 1_500_000, member["token"])
    maturity = date.fromisoformat(opened["timeDeposit"]["maturityDate"])
    admin = await city_admin(gql)
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=300) as http:
        moved = await GraphQL(http)(
            contract("AdvanceTestClock"),
            {"input": {"days": (maturity - today()).days}},
            token=admin["token"],
        )
        assert moved["data"]["advanceTestClock"]["errors"] == [], moved
        runs = moved["data"]["advanceTestClock"]["sweeps"]
        assert {"kind": "TIME_DEPOSITS", "day": maturity.isoformat()} in [
            {"kind": r["kind"], "day": r["day"]} for r in runs
        ]
        listed = await deposits_of(Koperasi(GraphQL(http), koperasi.cooperative,
                                            koperasi.pengurus), membership_id, member["token"])  # fmt: skip
    assert listed is not None
    node = listed["edges"][0]["node"]
    interest = 1_500_000 * 1200 // 120_000  # 15.000 a month, below the tax's threshold
    assert (node["status"], node["interestPaid"]["amount"], node["taxWithheld"]["amount"]) == (
        "PAID_OUT",
        interest,
        0,
    )
    assert node["closingAmount"]["amount"] == 1_500_000
    assert await sukarela(membership_id) == 2_000_000 + interest


async def test_the_audit_holds_simpanan_berjangka_to_the_active_deposits(gql):
    koperasi = await Koperasi.new(gql)
    member, membership_id = await koperasi.member()
    assert (await koperasi.deposit(membership_id, 1_000_000))["errors"] == []
    product = await product_id(koperasi, minimum=1)
    opened = await open_over_http(koperasi, membership_id, product, 400_000, member["token"])
    deposit_id = decode_id(opened["timeDeposit"]["id"], "TimeDeposit")
    assert await audit() == []
    await TimeDeposit.filter(id=deposit_id).update(principal=400_001)
    found = await audit()
    await TimeDeposit.filter(id=deposit_id).update(principal=400_000)
    assert found == [f"cooperative {decode_id(koperasi.id, 'Cooperative')}: time deposits "
                     "400001, lines"]  # fmt: skip


def test_the_tax_rate_and_threshold_are_settings(tmp_path):
    default = Settings.from_env({"SATUPINTU_VAR_DIR": str(tmp_path)})
    assert make_services(default, None).savings_interest_tax == PP_15_2009
    changed = Settings.from_env({"SATUPINTU_VAR_DIR": str(tmp_path),
                                 "SAVINGS_INTEREST_TAX_BPS": "1500",
                                 "SAVINGS_INTEREST_TAX_THRESHOLD": "500000"})  # fmt: skip
    assert make_services(changed, None).savings_interest_tax == SavingsInterestTax(1500, 500_000)
    with pytest.raises(SettingsError):
        Settings.from_env({"SATUPINTU_VAR_DIR": str(tmp_path), "SAVINGS_INTEREST_TAX_BPS": "x"})
