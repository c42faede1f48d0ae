"""The project's copy of the 104 kelurahan of Kota Tangerang (Kemendagri codes)."""

import csv
from dataclasses import dataclass
from pathlib import Path

CSV_PATH = Path(__file__).parent / "data" / "tangerang_wilayah.csv"


@dataclass(frozen=True)
class Row:
    code: str
    kecamatan_code: str
    kecamatan: str
    kelurahan: str


def rows() -> list[Row]:
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        return [
            Row(r["kode"], r["kecamatan_kode"], r["kecamatan"], r["kelurahan"])
            for r in csv.DictReader(handle)
        ]
