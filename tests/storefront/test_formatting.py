"""Money, dates and phone numbers the way Indonesian readers write them."""

from decimal import Decimal

from storefront.formatting import (
    date,
    date_time,
    day,
    month,
    parse_percent,
    parse_rupiah,
    percent_bps,
    phone,
    rupiah,
    short_month,
    whatsapp_link,
)


def test_rupiah_has_dots_for_thousands_and_no_decimals():
    assert rupiah(15000) == "Rp15.000"
    assert rupiah(0) == "Rp0"
    assert rupiah(2_500_000_000) == "Rp2.500.000.000"
    assert rupiah(-25000) == "-Rp25.000"


def test_dates_are_in_indonesian_and_jakarta_time():
    assert date_time("2026-12-01T12:05:00+00:00") == "1 Desember 2026 19.05"
    assert date("2026-08-17T20:00:00+00:00") == "18 Agustus 2026"


def test_phone_numbers_are_written_as_people_write_them():
    assert phone("+6281234567890") == "0812-3456-7890"
    assert phone("not a number") == "not a number"


def test_whatsapp_link_goes_to_the_international_number_with_the_message_encoded():
    link = whatsapp_link("0812 3456 7890", "Halo, keripik & kopi?")
    assert link == "https://wa.me/6281234567890?text=Halo%2C%20keripik%20%26%20kopi%3F"
    assert whatsapp_link("+6281234567890", "x").startswith("https://wa.me/6281234567890?")


def test_amounts_are_read_as_people_type_them():
    assert parse_rupiah("50.000") == 50000
    assert parse_rupiah(" Rp 1.250.000 ") == 1250000
    assert parse_rupiah("lima puluh") is None
    assert parse_rupiah("-5000") is None
    assert parse_rupiah("") is None
    assert parse_rupiah("１２３") is None  # digits, but not ASCII ones


def test_a_calendar_date_stays_on_its_day():
    assert day("2026-11-02") == "2 November 2026"


def test_rates_are_percentages_with_a_decimal_comma():
    assert percent_bps(1250) == "12,5%"
    assert percent_bps(1200) == "12%"
    assert percent_bps(5) == "0,05%"
    assert parse_percent("12,5") == Decimal("12.5")
    assert parse_percent(" 18 % ") == Decimal(18)
    assert parse_percent("0.25") == Decimal("0.25")
    for wrong in ("12,555", "1e3", "-3", "", "dua belas", "nan"):
        assert parse_percent(wrong) is None, wrong


def test_a_month_is_short_and_indonesian():
    assert short_month("2026-12") == "Des 2026"
    assert short_month("2026-05") == "Mei 2026"


def test_a_bill_period_is_its_month_in_indonesian():
    assert month("2026-12") == "Desember 2026"
    assert month("2027-02") == "Februari 2027"
    assert month("bulan ini") == "bulan ini"
