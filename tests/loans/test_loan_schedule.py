"""Loan schedules: hand-computed tables for each method, and properties over all terms."""

import calendar
import itertools
from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.loans import InterestMethod
from resolvers.loans.schedule import annuity_payment, monthly_rate, rupiah, schedule
from resolvers.platform.errors import ErrorCode, UserError

M = InterestMethod
DISBURSED = date(2027, 1, 31)


def rows(method, principal, bps, tenor, disbursed=DISBURSED):
    return [
        (i.number, i.due_date, i.principal, i.interest, i.total, i.balance)
        for i in schedule(principal, bps, tenor, method, disbursed)
    ]


def test_flat_by_hand():
    # Rp1.000.000, 18% a year = 1.5% a month, 3 months.
    # Interest on the original principal: 1.000.000 x 0,015 = 15.000 every month.
    # Principal: 1.000.000 // 3 = 333.333 twice; the last 1.000.000 - 666.666 = 333.334.
    assert rows(M.FLAT, 1_000_000, 1800, 3) == [
        (1, date(2027, 2, 28), 333_333, 15_000, 348_333, 666_667),
        (2, date(2027, 3, 31), 333_333, 15_000, 348_333, 333_334),
        (3, date(2027, 4, 30), 333_334, 15_000, 348_334, 0),
    ]


def test_flat_interest_totals_p_r_n_the_last_absorbing_the_rounding():
    # Rp1.000.000, 10% a year = 8.333,33 a month, 3 months: P x r x n = 25.000 exactly.
    # Every month but the last floor(8.333,33) = 8.333; the last 25.000 - 16.666 = 8.334.
    # (Rounding every month alike, 3 x 8.333 = 24.999, lost a rupiah.)
    assert rows(M.FLAT, 1_000_000, 1000, 3) == [
        (1, date(2027, 2, 28), 333_333, 8_333, 341_666, 666_667),
        (2, date(2027, 3, 31), 333_333, 8_333, 341_666, 333_334),
        (3, date(2027, 4, 30), 333_334, 8_334, 341_668, 0),
    ]


def test_installments_in_multiples_the_last_absorbing_the_rest():
    # FLAT Rp1.000.000, 10% a year, 3 months, in multiples of Rp1.000: 341.666 -> 342.000,
    # the principal part 342.000 - 8.333 = 333.667 twice; the last 1.000.000 - 667.334 =
    # 332.666 of principal plus 8.334 = 341.000.
    plan = schedule(1_000_000, 1000, 3, M.FLAT, DISBURSED, 1000)
    assert [(i.principal, i.interest, i.total) for i in plan] == [
        (333_667, 8_333, 342_000),
        (333_667, 8_333, 342_000),
        (332_666, 8_334, 341_000),
    ]
    # ANUITAS Rp1.000.000, 12%, 3 months by Rp100: 340.022 -> 340.000 (a halve rounds up).
    anuitas = schedule(1_000_000, 1200, 3, M.ANUITAS, DISBURSED, 100)
    assert [i.total for i in anuitas[:-1]] == [340_000, 340_000]
    assert sum(i.principal for i in anuitas) == 1_000_000


def test_efektif_by_hand():
    # Rp1.000.000, 10% a year = 1/120 a month, 3 months; principal 333.333, 333.333, 333.334.
    # 1: 1.000.000 / 120 = 8.333,33 -> 8.333; balance 666.667
    # 2:   666.667 / 120 = 5.555,56 -> 5.556; balance 333.334
    # 3:   333.334 / 120 = 2.777,78 -> 2.778; balance 0
    assert rows(M.EFEKTIF, 1_000_000, 1000, 3) == [
        (1, date(2027, 2, 28), 333_333, 8_333, 341_666, 666_667),
        (2, date(2027, 3, 31), 333_333, 5_556, 338_889, 333_334),
        (3, date(2027, 4, 30), 333_334, 2_778, 336_112, 0),
    ]


def test_anuitas_by_hand():
    # Rp1.000.000, 12% a year = 1% a month, 3 months. 1,01^3 = 1,030301;
    # A = 1.000.000 x 0,01 x 1,030301 / 0,030301 = 340.022,11 -> 340.022.
    # 1: interest 10.000;              principal 340.022 - 10.000 = 330.022; balance 669.978
    # 2: interest 6.699,78 -> 6.700;   principal 333.322;                    balance 336.656
    # 3: interest 3.366,56 -> 3.367;   principal the whole 336.656; total 340.023 (absorbs +1)
    assert rows(M.ANUITAS, 1_000_000, 1200, 3) == [
        (1, date(2027, 2, 28), 330_022, 10_000, 340_022, 669_978),
        (2, date(2027, 3, 31), 333_322, 6_700, 340_022, 336_656),
        (3, date(2027, 4, 30), 336_656, 3_367, 340_023, 0),
    ]


def test_anuitas_a_year_by_hand():
    # Rp10.000.000, 12% a year, 12 months. 1,01^12 = 1,12682503;
    # A = 100.000 x 1,12682503 / 0,12682503 = 888.487,89 -> 888.488.
    # 1: interest 100.000, principal 788.488, balance 9.211.512
    # 2: interest 92.115,12 -> 92.115, principal 796.373, balance 8.415.139
    plan = schedule(10_000_000, 1200, 12, M.ANUITAS, DISBURSED)
    assert [(i.principal, i.interest, i.balance) for i in plan[:2]] == [
        (788_488, 100_000, 9_211_512),
        (796_373, 92_115, 8_415_139),
    ]
    assert {i.total for i in plan[:-1]} == {888_488}
    assert plan[-1].total == 888_485


def test_anuitas_without_interest_is_equal_principal():
    # 1.000.000 / 3 = 333.333,33 -> 333.333; the last takes 333.334.
    assert [i.total for i in schedule(1_000_000, 0, 3, M.ANUITAS, DISBURSED)] == [
        333_333,
        333_333,
        333_334,
    ]


def test_a_tiny_anuitas_keeps_a_rupiah_for_every_later_month():
    # Rp90 over 60 months at 0%: A = 90/60 = 1,5 -> 2; rounding would pay it off after 45
    # months and leave 15 installments of Rp0; instead the last 30 months keep Rp1 each.
    assert [i.principal for i in schedule(90, 0, 60, M.ANUITAS, DISBURSED)] == [2] * 30 + [1] * 30
    # Rp60 over 60 months at 100%: A = 5 = the first month's interest; the principal waits.
    assert [i.total for i in schedule(60, 10_000, 60, M.ANUITAS, DISBURSED)] == [5] * 59 + [65]


@pytest.mark.parametrize("method", list(M))
@pytest.mark.parametrize(("principal", "tenor"), [(1, 60), (5, 7), (59, 60), (2, 3)])
def test_a_principal_under_a_rupiah_a_month_is_refused(method, principal, tenor):
    # Rp1 over 60 months at 0% used to give 59 installments of Rp0 (FLAT, EFEKTIF, ANUITAS).
    with pytest.raises(UserError) as refused:
        schedule(principal, 0, tenor, method, DISBURSED)
    problem = refused.value.problems[0]
    assert (problem.code, problem.field) == (ErrorCode.INVALID, "principal")
    assert "Rp0" in problem.message


def test_a_method_is_one_of_the_three():
    assert schedule(1_000_000, 1200, 3, "EFEKTIF", DISBURSED) == (
        schedule(1_000_000, 1200, 3, M.EFEKTIF, DISBURSED)
    )
    with pytest.raises(ValueError, match="MUSIMAN"):
        schedule(1_000_000, 1200, 3, "MUSIMAN", DISBURSED)


def test_halves_round_to_even():
    assert [rupiah(Fraction(n, 2)) for n in (1, 3, 5, 7, -1)] == [0, 2, 2, 4, 0]
    # FLAT at 12% a year: Rp50 earns 0,50 a month -> 0, Rp150 earns 1,50 -> 2.
    assert schedule(50, 1200, 1, M.FLAT, DISBURSED)[0].interest == 0
    assert schedule(150, 1200, 1, M.FLAT, DISBURSED)[0].interest == 2


def test_due_dates_keep_the_day_and_clamp_to_month_end():
    def dates(disbursed, tenor):
        return [i.due_date for i in schedule(1_000_000, 1200, tenor, M.FLAT, disbursed)]

    assert dates(date(2027, 1, 31), 4) == [
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
    ]
    assert dates(date(2028, 1, 31), 2) == [date(2028, 2, 29), date(2028, 3, 31)]
    assert dates(date(2026, 11, 30), 3) == [
        date(2026, 12, 30),
        date(2027, 1, 30),
        date(2027, 2, 28),
    ]
    assert dates(date(2026, 12, 15), 60)[-1] == date(2031, 12, 15)


def test_due_dates_count_from_the_jakarta_date():
    # 17:30 UTC on 30 January is already 00:30 on 31 January in Jakarta.
    moment = datetime(2027, 1, 30, 17, 30, tzinfo=UTC)
    assert schedule(1_000_000, 1200, 1, M.FLAT, moment)[0].due_date == date(2027, 2, 28)
    with pytest.raises(ValueError, match="time zone"):
        schedule(1_000_000, 1200, 1, M.FLAT, datetime(2027, 1, 30, 17, 30))


@pytest.mark.parametrize(
    ("principal", "bps", "tenor", "code", "field"),
    [
        (0, 1200, 12, ErrorCode.INVALID, "principal"),
        (-5, 1200, 12, ErrorCode.INVALID, "principal"),
        (11, 1200, 12, ErrorCode.INVALID, "principal"),
        (1_000_000, 1200, 0, ErrorCode.INVALID, "tenorMonths"),
        (1_000_000, 1200, 61, ErrorCode.LIMIT_EXCEEDED, "tenorMonths"),
        (1_000_000, -1, 12, ErrorCode.INVALID, "annualRateBps"),
        (1_000_000, 10_001, 12, ErrorCode.INVALID, "annualRateBps"),
    ],
)
def test_impossible_terms_are_refused(principal, bps, tenor, code, field):
    with pytest.raises(UserError) as refused:
        schedule(principal, bps, tenor, M.FLAT, DISBURSED)
    assert (refused.value.problems[0].code, refused.value.problems[0].field) == (code, field)


rates = st.integers(min_value=0, max_value=10_000)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))
PROPERTY = settings(max_examples=150, deadline=None)


@st.composite
def terms(draw, most: int = 10_000_000_000) -> tuple[int, int]:
    """(principal, tenor) with at least Rp1 of principal a month, often only a little more."""
    tenor = draw(st.integers(min_value=1, max_value=60))
    tiny = st.integers(min_value=tenor, max_value=tenor * 200)
    return draw(st.one_of(tiny, st.integers(min_value=tenor, max_value=most))), tenor


@PROPERTY
@given(terms(), rates, st.sampled_from(M), days)
def test_every_schedule_adds_up_and_follows_its_formula(loan, bps, method, disbursed):
    principal, tenor = loan
    plan = schedule(principal, bps, tenor, method, disbursed)
    rate = monthly_rate(bps)
    assert [i.number for i in plan] == list(range(1, tenor + 1))
    assert all(i.principal >= 0 for i in plan)
    assert all(i.total > 0 for i in plan)
    assert sum(i.principal for i in plan) == principal
    assert sum(i.total for i in plan) == principal + sum(i.interest for i in plan)
    assert plan[-1].balance == 0
    balance = principal
    if method == M.FLAT:
        # The interest adds up to P x r x n; every month but the last is floor(P x r).
        assert sum(i.interest for i in plan) == rupiah(principal * rate * tenor)
        assert {i.interest for i in plan[:-1]} <= {(principal * rate).__floor__()}
    for installment in plan:
        if method != M.FLAT:
            assert abs(installment.interest - balance * rate) <= Fraction(1, 2)
        balance -= installment.principal
        assert installment.balance == balance
        months = disbursed.year * 12 + disbursed.month - 1 + installment.number
        year, month = divmod(months, 12)
        last_day = calendar.monthrange(year, month + 1)[1]
        assert installment.due_date == date(year, month + 1, min(disbursed.day, last_day))
    assert all(a.due_date < b.due_date for a, b in itertools.pairwise(plan))


@PROPERTY
@given(terms(), rates, days)
def test_flat_and_efektif_principal_parts_are_equal_but_the_last(loan, bps, disbursed):
    principal, tenor = loan
    for method in (M.FLAT, M.EFEKTIF):
        plan = schedule(principal, bps, tenor, method, disbursed)
        assert {i.principal for i in plan[:-1]} <= {principal // tenor}
        assert 0 <= plan[-1].principal - principal // tenor < tenor
    flat = schedule(principal, bps, tenor, M.FLAT, disbursed)
    assert len({i.total for i in flat[:-1]}) <= 1


@PROPERTY
@given(terms(), rates, days)
def test_anuitas_installments_are_the_annuity_but_the_last(loan, bps, disbursed):
    principal, tenor = loan
    plan = schedule(principal, bps, tenor, M.ANUITAS, disbursed)
    payment = annuity_payment(principal, monthly_rate(bps), tenor)
    for installment in plan[:-1]:
        # Equal to the annuity, unless rounding would pay a tiny loan off early: then the
        # balance keeps Rp1 for every later month.
        later = tenor - installment.number
        assert installment.total == payment or installment.balance == later


@PROPERTY
@given(
    st.integers(min_value=1_000_000, max_value=10_000_000_000),
    rates,
    st.integers(min_value=1, max_value=60),
    days,
)
def test_real_anuitas_loans_are_equal_to_the_rupiah_but_the_last(principal, bps, tenor, disbursed):
    plan = schedule(principal, bps, tenor, M.ANUITAS, disbursed)
    assert len({i.total for i in plan[:-1]}) <= 1


@PROPERTY
@given(terms(), rates, st.sampled_from(M), days, st.sampled_from([1, 100, 500, 1000, 100_000]))
def test_rounded_schedules_add_up_and_are_multiples(loan, bps, method, disbursed, multiple):
    principal, tenor = loan
    plan = schedule(principal, bps, tenor, method, disbursed, multiple)
    assert sum(i.principal for i in plan) == principal
    # Rounding keeps Rp1 of principal in every month; without it (a multiple of 1) a tiny
    # annuity whose payment is all interest may pay none, never Rp0 in all.
    assert all(i.principal >= (1 if multiple > 1 else 0) and i.total >= 1 for i in plan)
    assert plan[-1].balance == 0
    for installment in plan[:-1]:
        # A multiple, unless the balance left no room for one (Rp1 kept for each later month).
        later = tenor - installment.number
        assert (
            installment.total % multiple == 0
            or installment.principal == 1
            or installment.balance == later
        )
