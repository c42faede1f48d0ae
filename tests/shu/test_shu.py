"""SHU shares: hand-computed splits, refusals, and properties over surpluses and members."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resolvers.platform.errors import ErrorCode, UserError
from resolvers.shu.shares import (
    Destination,
    MemberShare,
    MemberYear,
    apportion,
    average_monthly_balance,
    shu_split,
)


def test_average_monthly_balance_is_the_mean_of_twelve_month_ends():
    assert average_monthly_balance([1_000_000] * 12) == 1_000_000
    # Joined in July: nothing for January-June, 600.000 from July: 3.600.000 / 12 = 300.000.
    assert average_monthly_balance([0] * 6 + [600_000] * 6) == 300_000
    assert average_monthly_balance([100] + [0] * 11) == Fraction(25, 3)
    with pytest.raises(ValueError, match="twelve"):
        average_monthly_balance([100] * 11)
    with pytest.raises(ValueError, match="negative"):
        average_monthly_balance([-1] + [0] * 11)


def test_a_year_by_hand():
    # Surplus 10.000.000: reserve 40% = 4.000.000, jasa modal 20% = 2.000.000, jasa anggota
    # 25% = 2.500.000, the other 15% = 1.500.000 to the allocations payable.
    # Jasa modal by average balance 1.000.000 : 300.000 : 200.000 (of 1.500.000):
    #   1.333.333,33 / 400.000 / 266.666,67 -> floors leave 1 rupiah, to #3 (0,67): 266.667.
    # Jasa anggota by business 300.000 : 200.000 : 100.000 (of 600.000):
    #   1.250.000 / 833.333,33 / 416.666,67 -> the 1 rupiah left to #3: 416.667.
    # #3 left during the year: a payable, not a SUKARELA credit.
    split = shu_split(
        10_000_000,
        40,
        20.0,
        "25",
        [
            MemberYear(3, average_monthly_balance([200_000] * 12), 100_000, left=True),
            MemberYear(1, average_monthly_balance([1_000_000] * 12), 300_000),
            MemberYear(2, average_monthly_balance([0] * 6 + [600_000] * 6), 200_000),
        ],
    )
    assert (
        split.reserve,
        split.capital_service_pool,
        split.member_service_pool,
        split.allocations_payable,
    ) == (4_000_000, 2_000_000, 2_500_000, 1_500_000)
    assert split.members == [
        MemberShare(1, 1_333_333, 1_250_000, Destination.SUKARELA),
        MemberShare(2, 400_000, 833_333, Destination.SUKARELA),
        MemberShare(3, 266_667, 416_667, Destination.PAYABLE),
    ]
    assert split.members[2].total == 683_334


def test_pools_are_whole_rupiah_by_largest_remainder():
    # 1.001 x (40%, 20%, 25%, 15%) = 400,4 / 200,2 / 250,25 / 150,15: the 1 left to the reserve.
    split = shu_split(1_001, "40", "20", "25", [MemberYear(1, Fraction(1), 1)])
    assert (split.reserve, split.capital_service_pool, split.member_service_pool) == (401, 200, 250)
    assert split.allocations_payable == 150
    # 101 x (50%, 50%): 50,5 each, equal weights: the earlier (the reserve) gets the 1 left.
    split = shu_split(101, "50", "50", "0", [MemberYear(1, Fraction(1), 1)])
    assert (split.reserve, split.capital_service_pool, split.allocations_payable) == (51, 50, 0)


@pytest.mark.parametrize(
    ("amount", "weights", "parts"),
    [
        (100, [1, 1, 1], [34, 33, 33]),  # 33,33 each: a tie, to the first
        (10, [1, 3], [2, 8]),  # 2,5 and 7,5: equal remainders, to the larger weight
        (2, [1, 1, 2], [1, 0, 1]),  # 0,5 / 0,5 / 1
        (7, [0, 0], [0, 0]),  # nobody to share it
        (0, [5, 5], [0, 0]),
        (3, [Fraction(1, 3), Fraction(2, 3)], [1, 2]),
    ],
)
def test_apportion_by_hand(amount, weights, parts):
    assert apportion(amount, weights) == parts


def test_a_pool_nobody_shares_goes_to_the_allocations_payable():
    # No business with the cooperative: the jasa anggota pool 3.000 stays payable.
    split = shu_split(10_000, "50", "20", "30", [MemberYear(1, Fraction(500), 0)])
    assert (split.member_service_pool, split.allocations_payable) == (0, 3_000)
    assert split.members == [MemberShare(1, 2_000, 0, Destination.SUKARELA)]
    empty = shu_split(10_000, "50", "20", "30", [])
    assert (empty.reserve, empty.allocations_payable, empty.members) == (5_000, 5_000, [])


def refusal(*args):
    with pytest.raises(UserError) as refused:
        shu_split(*args, [])
    return [(p.field, p.code) for p in refused.value.problems]


def test_percentages_over_100_are_refused():
    assert refusal(1_000, "50", "30", "20.01") == [("input", ErrorCode.INVALID)]
    assert refusal(1_000, 100, 0.01, 0) == [("input", ErrorCode.INVALID)]


@pytest.mark.parametrize(
    "value", ["12.345", 0.1 + 0.2, "-1", "100.01", "abc", float("nan"), float("inf"), "1e-5"]
)
def test_bad_percentages_are_refused(value):
    assert refusal(1_000, value, "0", "0") == [("reservePercent", ErrorCode.INVALID)]


def test_every_bad_field_is_named_at_once():
    assert refusal(0, "1.001", "0", "-3") == [
        ("surplus", ErrorCode.INVALID),
        ("reservePercent", ErrorCode.INVALID),
        ("memberServicePercent", ErrorCode.INVALID),
    ]


def test_two_decimals_and_exactly_100_are_accepted():
    split = shu_split(10_000, 33.33, Decimal("33.33"), "33.34", [MemberYear(1, Fraction(1), 1)])
    assert (split.reserve, split.capital_service_pool, split.member_service_pool) == (
        3_333,
        3_333,
        3_334,
    )
    assert split.allocations_payable == 0


# Mostly together at most 100%, sometimes over.
percent = st.one_of(st.integers(0, 5_000), st.sampled_from([0, 10_000]))
members = st.lists(
    st.builds(
        MemberYear,
        number=st.integers(min_value=1, max_value=10_000),
        # Small weights too, so that ties and all-zero pools come up.
        capital=st.lists(
            st.one_of(st.integers(0, 3), st.integers(0, 50_000_000)), min_size=12, max_size=12
        ).map(average_monthly_balance),
        business=st.one_of(st.integers(0, 3), st.integers(0, 100_000_000)),
        left=st.booleans(),
    ),
    max_size=30,
    unique_by=lambda member: member.number,
)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=10**12), percent, percent, percent, members)
def test_shares_add_up_exactly_to_each_pool(surplus, reserve, capital, service, people):
    if reserve + capital + service > 10_000:
        with pytest.raises(UserError):
            shu_split(surplus, *(f"{bps / 100:.2f}" for bps in (reserve, capital, service)), people)
        return
    split = shu_split(surplus, *(f"{bps / 100:.2f}" for bps in (reserve, capital, service)), people)
    assert (
        split.reserve
        + split.capital_service_pool
        + split.member_service_pool
        + split.allocations_payable
        == surplus
    )
    assert abs(split.reserve - Fraction(surplus * reserve, 10_000)) < 1
    assert [m.number for m in split.members] == sorted(p.number for p in people)
    by_number = {p.number: p for p in people}
    for pool, weight, share in (
        (split.capital_service_pool, lambda p: p.capital, lambda m: m.capital_share),
        (split.member_service_pool, lambda p: p.business, lambda m: m.service_share),
    ):
        assert sum(share(m) for m in split.members) == pool
        whole = sum(weight(p) for p in people)
        if not whole:
            assert pool == 0
            continue
        for m in split.members:
            assert abs(share(m) - Fraction(pool) * weight(by_number[m.number]) / whole) < 1
        # A larger weight never gets less; of equal weights, the lower number is not behind.
        ranked = sorted(split.members, key=lambda m: (weight(by_number[m.number]), -m.number))
        assert [share(m) for m in ranked] == sorted(share(m) for m in ranked)
    for m in split.members:
        left = by_number[m.number].left
        assert m.destination == (Destination.PAYABLE if left else Destination.SUKARELA)
