"""Repayment allocation, denda, early payoff and arrears, against hand-computed cases."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from models.loans import InterestMethod
from resolvers.loans.arrears import (
    Kolektibilitas,
    LoanStanding,
    basis_points,
    kolektibilitas,
    loan_days_past_due,
    npl_ratio,
)
from resolvers.loans.repayment import (
    Allocation,
    DendaPolicy,
    OpenInstallment,
    Payoff,
    allocate,
    denda_due,
    payoff,
)
from resolvers.loans.schedule import schedule

# 0,1% a day of what is owed, after 3 days' grace.
POLICY = DendaPolicy(rate_bps_per_day=10, grace_days=3)
FIRST = OpenInstallment(1, date(2027, 2, 28), principal=100_000, interest=12_000)
SECOND = OpenInstallment(2, date(2027, 3, 31), principal=100_000, interest=12_000)
ON = date(2027, 3, 10)  # the first is 10 days past due: 7 days beyond the grace


@pytest.mark.parametrize(
    ("installment", "on", "denda"),
    [
        (FIRST, date(2027, 2, 28), 0),  # on the due date
        (FIRST, date(2027, 3, 3), 0),  # 3 days late: within the grace
        (FIRST, date(2027, 3, 4), 112),  # 1 day charged: 112.000 x 0,001 = 112
        (FIRST, ON, 784),  # 7 days: 112.000 x 0,001 x 7 = 784
        (OpenInstallment(1, date(2027, 2, 28), 100_000, 12_000, denda_paid=500), ON, 284),
        (OpenInstallment(1, date(2027, 2, 28), 100_000, 12_000, denda_paid=900), ON, 0),
        (OpenInstallment(1, date(2027, 2, 28), 111_111, 0), date(2027, 3, 4), 111),  # 111,11 down
        (SECOND, ON, 0),  # not yet due
    ],
)
def test_denda_by_hand(installment, on, denda):
    assert denda_due(installment, on, POLICY) == denda


@pytest.mark.parametrize(
    ("amount", "allocations", "unapplied"),
    [
        # Denda first, then interest, then principal, oldest first.
        (500, [Allocation(1, 500, 0, 0)], 0),
        (12_000, [Allocation(1, 784, 11_216, 0)], 0),
        # 200.000 - 112.784 (all of the first) = 87.216: 12.000 interest + 75.216 principal.
        (200_000, [Allocation(1, 784, 12_000, 100_000), Allocation(2, 0, 12_000, 75_216)], 0),
        (
            300_000,
            [Allocation(1, 784, 12_000, 100_000), Allocation(2, 0, 12_000, 100_000)],
            75_216,
        ),
        (0, [], 0),
    ],
)
def test_allocation_by_hand(amount, allocations, unapplied):
    # Given newest first: the order of the input does not matter.
    paid = allocate(amount, [SECOND, FIRST], ON, POLICY)
    assert (paid.allocations, paid.unapplied) == (allocations, unapplied)


def test_a_negative_payment_is_a_bug():
    with pytest.raises(ValueError, match="negative"):
        allocate(-1, [FIRST], ON, POLICY)


FLAT_LOAN = [  # Rp300.000 at 12% a year FLAT over 3 months, disbursed 31 January 2027.
    OpenInstallment(1, date(2027, 2, 28), 100_000, 3_000),
    OpenInstallment(2, date(2027, 3, 31), 100_000, 3_000),
    OpenInstallment(3, date(2027, 4, 30), 100_000, 3_000),
]


def test_payoff_in_the_second_month_by_hand():
    # The first is paid. On 16 March the second month (28 Feb - 31 Mar, 31 days) has run 16
    # days: 3.000 x 16 / 31 = 1.548,39 -> 1.548; the third month's flat interest is waived.
    assert payoff(FLAT_LOAN[1:], date(2027, 1, 31), date(2027, 3, 16), POLICY) == (
        Payoff(200_000, 1_548, 0)
    )


def test_payoff_with_an_installment_past_due_by_hand():
    # The first is 16 days past due, 13 beyond the grace: 103.000 x 0,001 x 13 = 1.339 denda;
    # its interest 3.000 in full, the second's 1.548 pro rata, the third's waived.
    assert payoff(FLAT_LOAN, date(2027, 1, 31), date(2027, 3, 16), POLICY) == (
        Payoff(300_000, 4_548, 1_339)
    )


def test_payoff_on_the_disbursement_day_and_on_a_due_date():
    assert payoff(FLAT_LOAN, date(2027, 1, 31), date(2027, 1, 31), POLICY).total == 300_000
    # On the second's due date its interest is owed in full, and the third's has not begun.
    on_due = payoff(FLAT_LOAN[1:], date(2027, 1, 31), date(2027, 3, 31), POLICY)
    assert (on_due.principal, on_due.interest, on_due.denda) == (200_000, 3_000, 0)


@pytest.mark.parametrize(
    ("days", "band"),
    [
        (0, Kolektibilitas.LANCAR),
        (1, Kolektibilitas.DALAM_PERHATIAN_KHUSUS),
        (90, Kolektibilitas.DALAM_PERHATIAN_KHUSUS),
        (91, Kolektibilitas.KURANG_LANCAR),
        (120, Kolektibilitas.KURANG_LANCAR),
        (121, Kolektibilitas.DIRAGUKAN),
        (180, Kolektibilitas.DIRAGUKAN),
        (181, Kolektibilitas.MACET),
        (3650, Kolektibilitas.MACET),
    ],
)
def test_kolektibilitas_bands(days, band):
    assert kolektibilitas(days) == band


def test_kolektibilitas_labels():
    assert [band.label for band in Kolektibilitas] == [
        "lancar",
        "dalam perhatian khusus",
        "kurang lancar",
        "diragukan",
        "macet",
    ]


def test_days_past_due_count_from_the_oldest_unpaid_installment():
    on = date(2027, 6, 1)
    assert loan_days_past_due([date(2027, 5, 31), date(2027, 3, 31)], on) == 62
    assert loan_days_past_due([date(2027, 6, 1), date(2027, 7, 1)], on) == 0
    assert loan_days_past_due([], on) == 0


def test_npl_ratio_by_hand():
    # Kolektibilitas 3-5: 500.000 (91 days) + 250.000 (200 days) of 2.000.000 = 3/8 = 3.750 bps.
    loans = [
        LoanStanding(1_000_000, 0),
        LoanStanding(500_000, 91),
        LoanStanding(250_000, 200),
        LoanStanding(250_000, 90),
    ]
    assert npl_ratio(loans) == Fraction(3, 8)
    assert basis_points(npl_ratio(loans)) == 3_750
    assert npl_ratio([]) == 0


def test_basis_points_round_halves_to_even():
    assert [basis_points(Fraction(n, 20_000)) for n in (1, 3, 5)] == [0, 2, 2]
    assert basis_points(Fraction(1, 3)) == 3_333


owed = st.integers(min_value=0, max_value=5_000_000)
open_installments = st.lists(
    st.builds(
        OpenInstallment,
        number=st.integers(min_value=1, max_value=60),
        due_date=st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)),
        principal=owed,
        interest=owed,
        denda_paid=st.integers(min_value=0, max_value=100_000),
    ),
    max_size=12,
    unique_by=lambda installment: installment.number,
)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=0, max_value=50_000_000),
    open_installments,
    st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 12, 31)),
    st.builds(DendaPolicy, st.integers(0, 100), st.integers(0, 30)),
)
def test_allocation_pays_oldest_first_denda_interest_principal(amount, installments, on, policy):
    paid = allocate(amount, installments, on, policy)
    assert sum(a.total for a in paid.allocations) + paid.unapplied == amount
    by_number = {a.number: a for a in paid.allocations}
    assert len(by_number) == len(paid.allocations)  # each installment at most once
    older_paid_in_full = True
    for installment in sorted(installments, key=lambda i: (i.due_date, i.number)):
        got = by_number.get(installment.number, Allocation(installment.number, 0, 0, 0))
        denda = denda_due(installment, on, policy)
        assert got.denda <= denda
        assert got.interest <= installment.interest
        assert got.principal <= installment.principal
        if got.total:
            assert older_paid_in_full
        if got.interest:
            assert got.denda == denda
        if got.principal:
            assert got.interest == installment.interest
        whole = denda + installment.interest + installment.principal
        older_paid_in_full = older_paid_in_full and got.total == whole
    if paid.unapplied:
        assert older_paid_in_full


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=1, max_value=1_000_000_000),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=1, max_value=60),
    st.sampled_from(InterestMethod),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    st.lists(st.integers(min_value=0, max_value=1900), min_size=2, max_size=2),
)
def test_payoff_grows_from_the_principal_to_the_whole_schedule(
    principal, bps, tenor, method, disbursed, offsets
):
    assume(principal >= tenor)  # smaller loans are refused (no Rp0 installment)
    plan = schedule(principal, bps, tenor, method, disbursed)
    open_ = [OpenInstallment(i.number, i.due_date, i.principal, i.interest) for i in plan]
    no_denda = DendaPolicy(rate_bps_per_day=0, grace_days=0)
    earlier, later = (disbursed + timedelta(days=days) for days in sorted(offsets))
    first, second = (payoff(open_, disbursed, on, no_denda) for on in (earlier, later))
    assert first.principal == second.principal == principal
    assert 0 <= first.interest <= second.interest <= sum(i.interest for i in plan)
    assert payoff(open_, disbursed, disbursed, no_denda).interest == 0
    assert payoff(open_, disbursed, plan[-1].due_date, no_denda).interest == sum(
        i.interest for i in plan
    )
