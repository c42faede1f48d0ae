"""The NIK's form, as the rule reads."""

from datetime import date

import pytest

from resolvers.cooperatives.nik import birth_date, nik_problem

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("nik", "born"),
    [
        ("3671011705900001", date(1990, 5, 17)),  # a man born 17 May 1990
        ("3671015705900001", date(1990, 5, 17)),  # a woman: day + 40
        ("3671012902000003", date(2000, 2, 29)),  # 2000 was a leap year
        ("3671010101250001", date(2025, 1, 1)),
        ("3671010101300001", date(1930, 1, 1)),  # 2030 has not come: the 1900s
    ],
)
def test_a_right_nik_gives_its_birth_date(nik, born):
    assert nik_problem(nik, TODAY) is None
    assert birth_date(nik, TODAY) == born


@pytest.mark.parametrize(
    ("nik", "problem"),
    [
        ("367101170590000", "16 angka"),  # fifteen digits
        ("36710117059000012", "16 angka"),
        ("36710117059O0001", "16 angka"),  # a letter O
        ("３６71011705900001", "16 angka"),  # full-width digits are not ASCII
        ("3671011705900001 ", "16 angka"),
        ("2071011705900001", "provinsi"),  # no province 20
        ("9971011705900001", "provinsi"),
        ("3600011705900001", "kabupaten"),
        ("3671003105900001", "kabupaten"),  # kecamatan 00
        ("3671013102900001", "Tanggal lahir"),  # 31 February
        ("3671017102900001", "Tanggal lahir"),  # a woman's 31 February (71)
        ("3671013213900001", "Tanggal lahir"),  # month 13
        ("3671010000900001", "Tanggal lahir"),  # day 0
        ("3671014005900001", "Tanggal lahir"),  # day 40: a woman born on day 0
        ("3671012902010001", "Tanggal lahir"),  # 29 February 2001 (and 1901)
        ("3671011705900000", "urut"),
    ],
)
def test_a_wrong_nik_is_named_for_what_is_wrong(nik, problem):
    assert problem in (nik_problem(nik, TODAY) or "")
