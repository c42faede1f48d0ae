"""Names and policies of the demo's cooperatives: the city's incorporated ones, and a
Koperasi Kelurahan Merah Putih in each kelurahan."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from models.cooperatives import CooperativeType

INCORPORATED = 94
# How the city's incorporated cooperatives are spread over the kinds, roughly.
KINDS = (
    [(CooperativeType.SIMPAN_PINJAM, "Simpan Pinjam")] * 4
    + [(CooperativeType.KONSUMEN, "Konsumen")] * 3
    + [(CooperativeType.SERBA_USAHA, "Serba Usaha")] * 3
    + [(CooperativeType.JASA, "Jasa")]
    + [(CooperativeType.PRODUSEN, "Produsen")]
    + [(CooperativeType.PEMASARAN, "Pemasaran")]
)
WORDS = ["Sejahtera", "Mandiri", "Makmur", "Bina Usaha", "Warga", "Karya Bersama", "Berkah",
         "Cisadane", "Mitra Usaha", "Sauyunan", "Guyub Rukun", "Tunas Harapan",
         "Amanah"]  # fmt: skip
POKOK = [50_000, 100_000, 100_000, 150_000, 250_000]
WAJIB = [10_000, 20_000, 25_000, 50_000]


@dataclass(frozen=True)
class DemoCooperative:
    name: str
    type: CooperativeType
    legal_date: date
    kelurahan_code: str
    pokok_amount: int
    wajib_monthly_amount: int


def incorporated(rng: random.Random, kelurahan: list[tuple[str, str]]) -> list[DemoCooperative]:
    """The 94 cooperatives incorporated by 2020, spread over the kelurahan (code, name)."""
    found = []
    for i in range(INCORPORATED):
        kind, label = rng.choice(KINDS)
        code, name = kelurahan[(i * 7) % len(kelurahan)]
        found.append(
            DemoCooperative(
                name=f"Koperasi {label} {rng.choice(WORDS)} {name}",
                type=kind,
                legal_date=date(rng.randint(1995, 2020), rng.randint(1, 12), rng.randint(1, 28)),
                kelurahan_code=code,
                pokok_amount=rng.choice(POKOK),
                wajib_monthly_amount=rng.choice(WAJIB),
            )
        )
    return found


def merah_putih(rng: random.Random, kelurahan: list[tuple[str, str]]) -> list[DemoCooperative]:
    """A Koperasi Kelurahan Merah Putih in each kelurahan, incorporated since 2025."""
    return [
        DemoCooperative(
            name=f"Koperasi Kelurahan Merah Putih {name}",
            type=CooperativeType.SERBA_USAHA,
            legal_date=date(2025, rng.randint(3, 10), rng.randint(1, 28)),
            kelurahan_code=code,
            pokok_amount=100_000,
            wajib_monthly_amount=10_000,
        )
        for code, name in kelurahan
    ]
