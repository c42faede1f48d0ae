"""The Nomor Induk Kependudukan's form: 16 digits, province, district, birth date, serial.

Digits 1-2 are the province (Kemendagri code), 3-4 the kabupaten/kota, 5-6 the kecamatan,
7-12 the birth date as DDMMYY with 40 added to the day for women, 13-16 a serial number.
"""

from __future__ import annotations

from datetime import date

# Kemendagri province codes, including the Papua provinces formed in 2022.
PROVINCES = frozenset(
    ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35",
     "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
     "81", "82", "91", "92", "93", "94", "95", "96"]
)  # fmt: skip


def birth_date(nik: str, today: date) -> date | None:
    """The birth date written in digits 7-12 (the latest century not in the future), or None."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    for century in (2000, 1900):
        try:
            born = date(century + year, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def nik_problem(nik: str, today: date) -> str | None:
    """Why `nik` cannot be a NIK, in Bahasa Indonesia; None when its form is right."""
    if len(nik) != 16 or not (nik.isascii() and nik.isdigit()):
        return "NIK harus 16 angka."
    if nik[:2] not in PROVINCES:
        return "Kode provinsi pada NIK tidak dikenal."
    if nik[2:4] == "00" or nik[4:6] == "00":
        return "Kode kabupaten/kota atau kecamatan pada NIK tidak valid."
    if birth_date(nik, today) is None:
        return "Tanggal lahir pada NIK tidak valid."
    if nik[12:] == "0000":
        return "Nomor urut pada NIK tidak valid."
    return None
