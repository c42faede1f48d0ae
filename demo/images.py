"""Generated product pictures for the demo (no downloads): one per category, shared."""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageDraw, ImageFont

from media.images import ProcessedImage, process_image

SIZE = (960, 720)


def category_picture(slug: str, label: str) -> ProcessedImage:
    """A category's card, processed as an upload is (renditions, WebP)."""
    return process_image(category_card(slug, label))


def category_card(slug: str, label: str) -> bytes:
    """A warm two-tone card (PNG) with the label, coloured by the category's slug."""
    seed = hashlib.sha256(slug.encode()).digest()
    background = (150 + seed[0] % 100, 90 + seed[1] % 120, 60 + seed[2] % 120)
    accent = tuple(max(0, c - 70) for c in background)
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((560, 300, 1100, 840), fill=accent)
    draw.rectangle((0, 560, SIZE[0], SIZE[1]), fill=accent)
    font = ImageFont.load_default(size=64)
    draw.text((48, 600), label, fill=(255, 255, 255), font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
