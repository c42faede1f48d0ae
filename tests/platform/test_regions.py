"""The Regions operation and the project's copy of the reference data."""

from collections import Counter

from models.platform.regions_data import rows

EXPECTED = {
    "Tangerang": 8, "Jatiuwung": 6, "Batuceper": 7, "Benda": 5, "Cipondoh": 10,
    "Ciledug": 8, "Karawaci": 16, "Periuk": 5, "Cibodas": 6, "Neglasari": 7,
    "Pinang": 11, "Karang Tengah": 7, "Larangan": 8,
}  # fmt: skip


def test_reference_data_has_104_kelurahan_in_13_kecamatan():
    counts = Counter(r.kecamatan for r in rows())
    assert counts == EXPECTED
    assert {r.kelurahan for r in rows()} >= {"Belendung", "Bugel", "Gerendeng"}


async def test_regions_query_serves_every_kelurahan(gql):
    result = await gql("query Regions { kecamatan { code name kelurahan { code name } } }")
    kecamatan = result["data"]["kecamatan"]
    assert {k["name"]: len(k["kelurahan"]) for k in kecamatan} == EXPECTED
    tangerang = next(k for k in kecamatan if k["code"] == "36.71.01")
    assert tangerang["kelurahan"][0] == {"code": "36.71.01.1001", "name": "Sukarasa"}
