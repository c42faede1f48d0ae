"""Checking and cleaning uploaded pictures, and making their WebP renditions.

Pure and synchronous (CPU-bound): callers run `process_image` in a worker thread.
The content decides, never the file name or the declared type.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED = {"JPEG", "PNG", "WEBP"}
WIDTHS = (160, 320, 640, 1280)
QUALITY = 82


class ImageRejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    key: str
    data: bytes
    content_type: str = "image/webp"


@dataclass(frozen=True)
class ProcessedImage:
    digest: str
    width: int
    height: int
    renditions: list[Rendition]


def _open(data: bytes) -> Image.Image:
    if len(data) > MAX_BYTES:
        raise ImageRejected("FILE_TOO_LARGE", "Berkas paling besar 10 MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED:
                raise ImageRejected("UNSUPPORTED_FILE", "Hanya JPEG, PNG atau WebP yang diterima.")
            # The header alone tells the size: refuse bombs before decoding any pixel.
            if image.width * image.height > MAX_PIXELS:
                raise ImageRejected("FILE_TOO_LARGE", "Gambar paling besar 40 megapiksel.")
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("FILE_TOO_LARGE", "Gambar paling besar 40 megapiksel.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRejected(
            "UNSUPPORTED_FILE", "Berkas bukan gambar JPEG, PNG atau WebP yang utuh."
        ) from None
    return image


def _clean(image: Image.Image) -> Image.Image:
    """Upright by its EXIF orientation, with no metadata left (a fresh image has none)."""
    upright = ImageOps.exif_transpose(image)
    transparent = upright.mode in ("RGBA", "LA") or "transparency" in upright.info
    mode = "RGBA" if transparent else "RGB"
    converted = upright.convert(mode)
    fresh = Image.new(mode, converted.size)
    fresh.paste(converted)
    return fresh


def _webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def process_image(data: bytes) -> ProcessedImage:
    image = _clean(_open(data))
    full = _webp(image)
    digest = hashlib.sha256(full).hexdigest()
    base = f"img/{digest[:2]}/{digest}"
    widths = sorted({w for w in WIDTHS if w < image.width} | {image.width})
    renditions = []
    for width in widths:
        if width == image.width:
            scaled, encoded = image, full
        else:
            height = max(1, round(image.height * width / image.width))
            scaled = image.resize((width, height), Image.Resampling.LANCZOS)
            encoded = _webp(scaled)
        renditions.append(Rendition(scaled.width, scaled.height, f"{base}/{width}.webp", encoded))
    return ProcessedImage(digest, image.width, image.height, renditions)
