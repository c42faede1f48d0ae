"""Reading the PDFs the API makes (uncompressed, core fonts) without a PDF library: the file
opens (its cross-reference table points at its objects) and the text it shows."""

from __future__ import annotations

import re

TEXT = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"(": b"(", b")": b")", b"\\": b"\\"}


def assert_opens(content: bytes) -> None:
    """A PDF a reader opens: header, trailer, and every object where the xref table says."""
    assert content.startswith(b"%PDF-1.")
    assert content.rstrip().endswith(b"%%EOF")
    start = int(re.findall(rb"startxref\s+(\d+)", content)[-1])
    assert content[start:].startswith(b"xref")
    count = int(re.match(rb"xref\s+0 (\d+)", content[start:]).group(1))  # type: ignore[union-attr]
    entries = re.findall(rb"(\d{10}) \d{5} n", content[start:])
    assert len(entries) == count - 1
    for number, offset in enumerate(entries, start=1):
        assert content[int(offset) :].startswith(f"{number} 0 obj".encode())


def pdf_text(content: bytes) -> str:
    """Every string the pages show, one per line, as Latin-1 text."""
    shown = [
        re.sub(rb"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), found)
        for found in TEXT.findall(content)
    ]
    return "\n".join(text.decode("latin-1") for text in shown)
