"""The two-level category tree UMKM in Kota Tangerang sell in: (slug, name, children)."""

CATEGORIES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("makanan-minuman", "Makanan & Minuman", [
        ("makanan-berat", "Makanan Berat"),
        ("kue-roti", "Kue & Roti"),
        ("minuman", "Minuman"),
        ("sambal-bumbu", "Sambal & Bumbu"),
        ("makanan-beku", "Makanan Beku"),
    ]),
    ("camilan-keripik", "Camilan & Keripik", [
        ("keripik", "Keripik"),
        ("kerupuk", "Kerupuk"),
        ("kue-kering", "Kue Kering"),
        ("manisan", "Manisan & Dodol"),
    ]),
    ("batik-fashion", "Batik & Fashion", [
        ("batik", "Batik"),
        ("busana-muslim", "Busana Muslim"),
        ("pakaian", "Pakaian"),
        ("tas-sepatu", "Tas & Sepatu"),
    ]),
    ("kerajinan", "Kerajinan", [
        ("anyaman", "Anyaman"),
        ("kerajinan-kayu", "Kerajinan Kayu"),
        ("souvenir", "Suvenir"),
        ("dekorasi", "Dekorasi Rumah"),
    ]),
    ("kecantikan", "Kecantikan & Perawatan", [
        ("perawatan-kulit", "Perawatan Kulit"),
        ("jamu-herbal", "Jamu & Herbal"),
        ("sabun-alami", "Sabun Alami"),
    ]),
    ("pertanian-perikanan", "Pertanian & Perikanan", [
        ("sayur-buah", "Sayur & Buah"),
        ("ikan-olahan", "Ikan & Olahan"),
        ("tanaman-hias", "Tanaman Hias"),
        ("beras-hasil-tani", "Beras & Hasil Tani"),
    ]),
    ("rumah-tangga", "Rumah Tangga", [
        ("perabot", "Perabot"),
        ("kebersihan", "Kebersihan"),
        ("peralatan-dapur", "Peralatan Dapur"),
    ]),
    ("jasa", "Jasa", [
        ("jasa-jahit", "Jahit & Permak"),
        ("katering", "Katering"),
        ("servis-elektronik", "Servis Elektronik"),
        ("laundry", "Laundry"),
    ]),
]  # fmt: skip
