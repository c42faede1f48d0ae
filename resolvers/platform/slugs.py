"""URL slugs from Indonesian names: lower-case ASCII words joined by hyphens."""

import re
import secrets
import unicodedata
from typing import Any

NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 60) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = NON_WORD.sub("-", folded.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


async def unique_slug(model: Any, name: str) -> str:
    """The name's slug, with a short suffix when another row already has it."""
    base = slugify(name)
    if not await model.filter(slug=base).exists():
        return base
    for _ in range(5):
        candidate = f"{base}-{secrets.token_hex(2)}"
        if not await model.filter(slug=candidate).exists():
            return candidate
    return f"{base}-{secrets.token_hex(6)}"
