"""Form checks for Indonesian identifiers."""

import re

NIB = re.compile(r"[0-9]{13}")


def is_valid_nib(text: str | None) -> bool:
    """A Nomor Induk Berusaha from OSS is exactly 13 ASCII digits."""
    return bool(text) and bool(NIB.fullmatch(text or ""))
