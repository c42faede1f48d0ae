"""Checking and cleaning uploaded pictures, and making their WebP renditions.

Pure and synchronous (CPU-bound): callers run `process_image` in a worker thread
(`await asyncio.to_thread(process_image, data)`). The decoded content decides, never
the file name or the declared type: only JPEG (including multi-picture MPO), PNG and
WebP are accepted, and only their first frame is kept.

Every output is re-encoded from bare pixels, so nothing of the upload's metadata
survives (EXIF with GPS, XMP, comments, ICC profiles, trailing bytes of polyglots).
Pixels are first turned upright by the EXIF orientation and, when the upload carries
an ICC profile, converted to sRGB so colours survive dropping the profile.

The stored "original" is a WebP at the picture's own size (lossy, quality `QUALITY`),
not the uploaded file: one format to serve, and no path for metadata to leak through.
All renditions are content-addressed by the SHA-256 of that cleaned original:
`img/<digest[:2]>/<digest>/<width>.webp`.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from PIL import Image, ImageCms, ImageOps

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 16_383  # the largest width or height a WebP can hold
FORMATS = ("JPEG", "PNG", "WEBP")  # the only decoders Pillow may try on an upload
ACCEPTED = {"JPEG", "MPO", "PNG", "WEBP"}  # MPO: a JPEG from a camera with extra frames
WIDTHS = (160, 320, 640, 1280)
QUALITY = 82
CONTENT_TYPE = "image/webp"

# Pillow warns above this many pixels and refuses outright above twice as many, while
# it reads the header. `_open` refuses anything above MAX_PIXELS itself, so the warning
# only ever concerns a picture that is refused anyway. Process-wide on purpose: any other
# Pillow use in the server gets the same ceiling.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

UNSUPPORTED = "UNSUPPORTED_FILE"
TOO_LARGE = "FILE_TOO_LARGE"
MESSAGE_BYTES = "Berkas paling besar 10 MB."
MESSAGE_PIXELS = "Gambar paling besar 40 megapiksel."
MESSAGE_SIDE = "Sisi gambar paling panjang 16.383 piksel."
MESSAGE_FORMAT = "Hanya gambar JPEG, PNG atau WebP yang diterima."
MESSAGE_BROKEN = "Berkas bukan gambar JPEG, PNG atau WebP yang utuh."


class ImageRejected(Exception):
    """An upload that is not an acceptable picture; `code` is the API error code."""

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
    content_type: str = CONTENT_TYPE


@dataclass(frozen=True)
class ProcessedImage:
    digest: str  # SHA-256 of the cleaned original's WebP bytes
    width: int
    height: int
    renditions: list[Rendition]  # ascending width; the last one is the original


def _open(data: bytes) -> Image.Image:
    """Decode `data`, refusing oversized input by its header before any pixel is decoded."""
    if len(data) > MAX_BYTES:
        raise ImageRejected(TOO_LARGE, MESSAGE_BYTES)
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
        if image.format not in ACCEPTED:
            raise ImageRejected(UNSUPPORTED, MESSAGE_FORMAT)
        if image.width * image.height > MAX_PIXELS:
            raise ImageRejected(TOO_LARGE, MESSAGE_PIXELS)
        if max(image.size) > MAX_SIDE:
            raise ImageRejected(TOO_LARGE, MESSAGE_SIDE)
        image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(TOO_LARGE, MESSAGE_PIXELS) from None
    except Image.UnidentifiedImageError:
        raise ImageRejected(UNSUPPORTED, MESSAGE_FORMAT) from None
    except Exception:
        # Hostile or damaged input makes decoders fail in many ways (OSError for a
        # truncated file, SyntaxError, ValueError, struct.error, EOFError, ...).
        raise ImageRejected(UNSUPPORTED, MESSAGE_BROKEN) from None
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """`image` colour-managed to sRGB when it carries an ICC profile we can apply."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK") or "transparency" in image.info:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.createProfile("sRGB")
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, srgb, outputMode=mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # a broken profile: keep the pixels as they are


def _clean(image: Image.Image) -> Image.Image:
    """Upright by its EXIF orientation, in sRGB, with no metadata (a fresh image has none)."""
    upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if upright.has_transparency_data else "RGB"
    converted = _to_srgb(upright).convert(mode)
    fresh = Image.new(mode, converted.size)
    fresh.paste(converted)
    return fresh


def _webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def rendition_widths(width: int) -> list[int]:
    """The standard widths narrower than the picture, plus its own width."""
    return sorted({w for w in WIDTHS if w < width} | {width})


def process_image(data: bytes) -> ProcessedImage:
    """Check, clean and render an upload; raises ImageRejected for anything unacceptable."""
    opened = _open(data)
    try:
        image = _clean(opened)
    except Exception:
        # e.g. EXIF too damaged to read its orientation
        raise ImageRejected(UNSUPPORTED, MESSAGE_BROKEN) from None
    full = _webp(image)
    digest = hashlib.sha256(full).hexdigest()
    base = f"img/{digest[:2]}/{digest}"
    renditions = []
    for width in rendition_widths(image.width):
        if width == image.width:
            scaled, encoded = image, full
        else:
            height = max(1, round(image.height * width / image.width))
            scaled = image.resize((width, height), Image.Resampling.LANCZOS)
            encoded = _webp(scaled)
        renditions.append(Rendition(scaled.width, scaled.height, f"{base}/{width}.webp", encoded))
    return ProcessedImage(digest, image.width, image.height, renditions)


R = TypeVar("R", bound="Rendition | Mapping[str, Any]")


def _width(rendition: Rendition | Mapping[str, Any]) -> int:
    return int(rendition["width"] if isinstance(rendition, Mapping) else rendition.width)


def pick_rendition(renditions: Sequence[R], width: int) -> R:
    """The smallest rendition at least `width` wide, or the widest there is.

    Takes `Rendition`s or their stored form (mappings with a "width" entry).
    """
    if not renditions:
        raise ValueError("no renditions to pick from")
    wide_enough = [r for r in renditions if _width(r) >= width]
    if wide_enough:
        return min(wide_enough, key=_width)
    return max(renditions, key=_width)
