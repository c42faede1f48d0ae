"""Believable demo shops and products: Indonesian names, real-looking rupiah prices."""

from __future__ import annotations

import random
from dataclasses import dataclass

# Per leaf category: (product names, variants, price range in rupiah, weight in grams).
PRODUCTS: dict[str, tuple[list[str], list[str], tuple[int, int], int]] = {
    "makanan-berat": (["Nasi Uduk", "Laksa Tangerang", "Pecak Bandeng", "Sayur Besan", "Nasi Ulam"],
                      ["Komplit", "Spesial", "Porsi Keluarga", "Paket Hemat"], (12_000, 65_000), 500),
    "kue-roti": (["Roti Gambang", "Kue Cucur", "Kue Lapis", "Bolu Pandan", "Kue Apem"],
                 ["Isi 10", "Kotak Besar", "Original", "Gula Aren"], (15_000, 90_000), 400),
    "minuman": (["Es Selendang Mayang", "Bir Pletok", "Kopi Robusta Tangerang", "Wedang Jahe"],
                ["Botol 1 Liter", "Sachet Isi 10", "Siap Seduh", "Gula Aren"], (8_000, 85_000), 600),
    "sambal-bumbu": (["Sambal Bawang", "Sambal Roa", "Bumbu Rendang", "Sambal Cumi"],
                     ["Botol 200 gr", "Pedas Level 5", "Tanpa Pengawet"], (18_000, 55_000), 250),
    "makanan-beku": (["Otak-otak Bandeng", "Siomay Ikan", "Nugget Ayam", "Pempek Kapal Selam"],
                     ["Isi 20", "Frozen 500 gr", "Paket Keluarga"], (25_000, 95_000), 600),
    "keripik": (["Keripik Singkong", "Keripik Pisang", "Keripik Tempe", "Keripik Kentang",
                 "Keripik Talas"], ["Balado", "Original", "Pedas Manis", "Keju", "Daun Jeruk"],
                (8_000, 45_000), 250),
    "kerupuk": (["Kerupuk Kulit", "Kerupuk Udang", "Kerupuk Ikan Tenggiri", "Rengginang"],
                ["Mentah 500 gr", "Siap Makan", "Original"], (10_000, 60_000), 500),
    "kue-kering": (["Nastar", "Kastengel", "Putri Salju", "Kue Kacang", "Lidah Kucing"],
                   ["Toples 500 gr", "Premium", "Edisi Lebaran"], (45_000, 150_000), 600),
    "manisan": (["Dodol Betawi", "Manisan Pala", "Geplak", "Wajik Ketan"],
                ["Kemasan 250 gr", "Original", "Durian"], (15_000, 70_000), 300),
    "batik": (["Kemeja Batik", "Kain Batik Tulis", "Batik Cap", "Blus Batik", "Selendang Batik"],
              ["Motif Kali Cisadane", "Motif Parang", "Motif Kembang Gunung", "Motif Pintu Air"],
              (85_000, 1_250_000), 300),
    "busana-muslim": (["Gamis", "Kerudung Segi Empat", "Koko", "Mukena"],
                      ["Katun Rayon", "Bordir", "Ukuran L", "All Size"], (65_000, 450_000), 350),
    "pakaian": (["Kaos Sablon Tangerang", "Celana Kulot", "Daster", "Jaket Denim"],
                ["Ukuran M", "Ukuran XL", "Anak", "Dewasa"], (40_000, 350_000), 300),
    "tas-sepatu": (["Tas Anyaman", "Sepatu Kulit", "Dompet Batik", "Sandal Jepit Custom"],
                   ["Hitam", "Cokelat", "Ukuran 40", "Motif Etnik"], (35_000, 550_000), 700),
    "anyaman": (["Tikar Pandan", "Keranjang Bambu", "Tudung Saji", "Bakul Rotan"],
                ["Besar", "Sedang", "Set Isi 3"], (25_000, 250_000), 900),
    "kerajinan-kayu": (["Talenan Kayu Jati", "Miniatur Perahu", "Hiasan Dinding Kayu"],
                       ["Ukir Tangan", "Finishing Natural"], (45_000, 650_000), 1200),
    "souvenir": (["Gantungan Kunci", "Magnet Kulkas Tangerang", "Pin Batik"],
                 ["Isi 12", "Custom Nama", "Satuan"], (5_000, 60_000), 100),
    "dekorasi": (["Lampu Hias Bambu", "Vas Bunga Tanah Liat", "Bingkai Foto Batik"],
                 ["Besar", "Kecil", "Set Isi 2"], (35_000, 300_000), 1000),
    "perawatan-kulit": (["Lulur Tradisional", "Masker Beras", "Minyak Zaitun"],
                        ["100 gr", "Kemasan Travel", "Aroma Melati"], (20_000, 120_000), 200),
    "jamu-herbal": (["Jamu Kunyit Asam", "Beras Kencur", "Jahe Merah Instan", "Temulawak"],
                    ["Botol 250 ml", "Serbuk 200 gr", "Tanpa Gula"], (10_000, 65_000), 300),
    "sabun-alami": (["Sabun Sereh", "Sabun Kopi", "Sabun Susu Kambing"],
                    ["Batang 100 gr", "Isi 3", "Cair 250 ml"], (12_000, 55_000), 150),
    "sayur-buah": (["Sayur Organik", "Pisang Raja", "Jambu Kristal", "Cabai Rawit"],
                   ["1 kg", "500 gr", "Paket Seminggu"], (10_000, 85_000), 1000),
    "ikan-olahan": (["Bandeng Presto", "Ikan Asin Jambal", "Abon Ikan Tuna", "Ikan Lele Segar"],
                    ["500 gr", "Isi 4", "Tanpa Duri"], (25_000, 120_000), 500),
    "tanaman-hias": (["Monstera", "Aglonema", "Sansevieria", "Anggrek Bulan"],
                     ["Pot 20 cm", "Bibit", "Dewasa"], (20_000, 450_000), 1500),
    "beras-hasil-tani": (["Beras Pandan Wangi", "Gula Aren", "Kacang Tanah", "Beras Merah"],
                         ["5 kg", "1 kg", "Organik"], (15_000, 110_000), 1000),
    "perabot": (["Kursi Rotan", "Rak Bambu", "Meja Lipat Kayu"], ["Natural", "Cokelat Tua"],
                (150_000, 1_500_000), 5000),
    "kebersihan": (["Sapu Ijuk", "Keset Kain Perca", "Sabun Cuci Piring Cair"],
                   ["Isi 2", "Jumbo", "Satuan"], (10_000, 60_000), 800),
    "peralatan-dapur": (["Ulekan Batu", "Kukusan Bambu", "Cobek Tanah Liat"],
                        ["Besar", "Sedang"], (25_000, 180_000), 2000),
    "jasa-jahit": (["Jasa Permak Celana", "Jahit Seragam Sekolah", "Jahit Kebaya"],
                   ["Per Potong", "Paket Keluarga"], (15_000, 450_000), 0),
    "katering": (["Nasi Kotak", "Tumpeng Mini", "Snack Box Rapat"], ["Isi 50", "Per Porsi"],
                 (20_000, 1_500_000), 0),
    "servis-elektronik": (["Servis Kipas Angin", "Servis Rice Cooker", "Servis Televisi"],
                          ["Panggilan ke Rumah", "Antar ke Toko"], (35_000, 250_000), 0),
    "laundry": (["Cuci Setrika Kiloan", "Cuci Karpet", "Cuci Bed Cover"], ["Reguler", "Kilat"],
                (7_000, 120_000), 0),
}  # fmt: skip

SHOP_PREFIXES = ["Dapur", "Warung", "Toko", "Griya", "Kedai", "Sanggar", "Rumah", "Usaha"]
OWNER_NAMES = ["Bu Ani", "Pak Darto", "Mpok Nori", "Bang Jali", "Bu Sari", "Teh Euis", "Pak Haji Udin",
               "Ci Lina", "Mas Joko", "Bu Yati", "Kang Asep", "Uni Rahmi", "Cak Mamat", "Bu Ratna"]  # fmt: skip
SHOP_WORDS = ["Cisadane", "Berkah", "Sejahtera", "Makmur", "Barokah", "Mandiri", "Sentosa", "Jaya"]


@dataclass(frozen=True)
class DemoProduct:
    category_slug: str
    name: str
    description: str
    price: int
    stock: int
    weight_grams: int
    is_halal: bool


def shop_name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(SHOP_PREFIXES)} {rng.choice(OWNER_NAMES)}"
    return f"{rng.choice(SHOP_PREFIXES)} {rng.choice(SHOP_WORDS)} {rng.choice(SHOP_WORDS)}"


def product(rng: random.Random, kelurahan_name: str) -> DemoProduct:
    slug = rng.choice(list(PRODUCTS))
    names, variants, (low, high), weight = PRODUCTS[slug]
    base = rng.choice(names)
    name = f"{base} {rng.choice(variants)}"
    price = round(rng.randint(low, high), -2 if high < 200_000 else -3)
    food = slug in {"makanan-berat", "kue-roti", "minuman", "sambal-bumbu", "makanan-beku",
                    "keripik", "kerupuk", "kue-kering", "manisan", "ikan-olahan", "katering"}  # fmt: skip
    return DemoProduct(
        category_slug=slug,
        name=name,
        description=(
            f"{name} buatan UMKM {kelurahan_name}, Kota Tangerang. "
            f"Dibuat dengan bahan pilihan, dikemas rapi dan siap dikirim."
        ),
        price=max(price, 1000),
        stock=rng.choice([0, 3, 10, 25, 50, 100, 250]),
        weight_grams=weight,
        is_halal=food and rng.random() < 0.85,
    )
