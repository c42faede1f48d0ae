"""Dynamic QRIS payloads: EMVCo merchant-presented QR strings with an amount.

Each field is ID (2 digits), length (2 digits) and value; the last field (63) is the
CRC-16/CCITT-FALSE of everything before its value, as four upper-case hex digits.
"""

from __future__ import annotations

import unicodedata

QRIS_GUID = "ID.CO.QRIS.WWW"
IDR = "360"


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"QRIS field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def _ascii(text: str, maximum: int) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(folded.split())[:maximum].strip() or "-"


def qris_payload(
    *,
    merchant_name: str,
    merchant_city: str,
    merchant_id: str,
    amount: int,
    reference: str,
    category_code: str = "5499",
) -> str:
    """A dynamic (point of initiation 12) QRIS string for `amount` whole rupiah."""
    if amount <= 0:
        raise ValueError("a QRIS amount must be positive")
    body = "".join(
        (
            field("00", "01"),
            field("01", "12"),
            field("51", field("00", QRIS_GUID) + field("02", merchant_id) + field("03", "UMI")),
            field("52", category_code),
            field("53", IDR),
            field("54", str(amount)),
            field("58", "ID"),
            field("59", _ascii(merchant_name, 25)),
            field("60", _ascii(merchant_city, 15)),
            field("62", field("01", reference[:25]) + field("05", reference[:25])),
        )
    )
    unsigned = body + "6304"
    return unsigned + f"{crc16_ccitt(unsigned.encode()):04X}"
