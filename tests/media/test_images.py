"""media.images with real pictures made here by Pillow, and hostile files."""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import time
import warnings
import zlib

import pytest
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from media.images import (
    MAX_BYTES,
    ImageRejected,
    ProcessedImage,
    Rendition,
    pick_rendition,
    process_image,
)

KEY = re.compile(r"^img/([0-9a-f]{2})/([0-9a-f]{64})/(\d+)\.webp$")
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description>RAHASIA-XMP</rdf:Description></rdf:RDF></x:xmpmeta>'
)


def encode(image: Image.Image, fmt: str, **save) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def two_tone(size=(1200, 800)) -> Image.Image:
    """Red left half, blue right half: shows which way the picture was turned."""
    image = Image.new("RGB", size, (20, 40, 220))
    image.paste((220, 30, 30), (0, 0, size[0] // 2, size[1]))
    return image


def is_red(pixel: tuple[int, ...]) -> bool:
    return pixel[0] > 180 and pixel[2] < 80


def is_blue(pixel: tuple[int, ...]) -> bool:
    return pixel[2] > 180 and pixel[0] < 80


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 37.0, 50.0)}
    return exif


def webp_chunks(data: bytes) -> list[bytes]:
    """The RIFF chunk names of a WebP file."""
    assert data[:4] == b"RIFF"
    assert data[8:12] == b"WEBP"
    names, offset = [], 12
    while offset + 8 <= len(data):
        name, size = (
            data[offset : offset + 4],
            struct.unpack("<I", data[offset + 4 : offset + 8])[0],
        )
        names.append(name)
        offset += 8 + size + (size & 1)
    return names


def assert_clean(processed: ProcessedImage) -> None:
    """Every rendition is a bare WebP: pixels only, no EXIF, GPS, XMP or ICC."""
    for rendition in processed.renditions:
        assert set(webp_chunks(rendition.data)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
        for secret in (b"KameraRahasia", b"RAHASIA-XMP", b"Exif", b"<?php", b"GPS"):
            assert secret not in rendition.data
        decoded = Image.open(io.BytesIO(rendition.data))
        assert decoded.format == "WEBP"
        assert decoded.size == (rendition.width, rendition.height)
        assert not decoded.getexif()
        assert not decoded.getexif().get_ifd(0x8825)
        for field in ("exif", "xmp", "icc_profile", "XML:com.adobe.xmp"):
            assert field not in decoded.info
        assert rendition.content_type == "image/webp"


def assert_addressed(processed: ProcessedImage) -> None:
    original = processed.renditions[-1]
    assert (original.width, original.height) == (processed.width, processed.height)
    assert processed.digest == hashlib.sha256(original.data).hexdigest()
    for rendition in processed.renditions:
        match = KEY.match(rendition.key)
        assert match, rendition.key
        assert match.group(1) == processed.digest[:2]
        assert match.group(2) == processed.digest
        assert int(match.group(3)) == rendition.width


def test_jpeg_is_turned_upright_stripped_and_rendered():
    upload = encode(two_tone(), "JPEG", quality=90, exif=gps_exif(orientation=6), xmp=XMP)
    source = Image.open(io.BytesIO(upload))
    assert source.getexif()[0x0112] == 6
    assert source.getexif().get_ifd(0x8825)  # the upload really carries GPS
    assert b"RAHASIA-XMP" in upload

    processed = process_image(upload)

    assert (processed.width, processed.height) == (800, 1200)
    assert [(r.width, r.height) for r in processed.renditions] == [
        (160, 240),
        (320, 480),
        (640, 960),
        (800, 1200),
    ]
    assert_clean(processed)
    assert_addressed(processed)
    # Orientation 6 is "turn 90° clockwise to view": the red left half ends on top.
    upright = Image.open(io.BytesIO(processed.renditions[-1].data)).convert("RGB")
    top, bottom = upright.getpixel((400, 150)), upright.getpixel((400, 1050))
    assert is_red(top), top
    assert is_blue(bottom), bottom


def test_png_keeps_transparency_and_loses_its_text_chunks():
    info = PngInfo()
    info.add_text("Comment", "KameraRahasia")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    image = Image.new("RGBA", (500, 300), (0, 0, 0, 0))
    image.paste((10, 200, 10, 255), (100, 100, 400, 200))
    upload = encode(image, "PNG", pnginfo=info, exif=gps_exif())

    processed = process_image(upload)

    assert (processed.width, processed.height) == (500, 300)
    assert [r.width for r in processed.renditions] == [160, 320, 500]
    assert [r.height for r in processed.renditions] == [96, 192, 300]
    assert_clean(processed)
    assert_addressed(processed)
    decoded = Image.open(io.BytesIO(processed.renditions[-1].data))
    assert decoded.mode == "RGBA"
    assert decoded.getpixel((10, 10))[3] == 0
    assert decoded.getpixel((250, 150))[3] == 255


def test_webp_with_metadata_is_accepted_and_stripped():
    upload = encode(two_tone((700, 700)), "WEBP", exif=gps_exif(orientation=1), xmp=XMP)
    assert b"KameraRahasia" in upload
    processed = process_image(upload)
    assert (processed.width, processed.height) == (700, 700)
    assert [r.width for r in processed.renditions] == [160, 320, 640, 700]
    assert_clean(processed)
    assert_addressed(processed)


def test_icc_profile_is_applied_then_dropped():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = encode(two_tone((300, 200)), "JPEG", icc_profile=srgb)
    assert Image.open(io.BytesIO(upload)).info.get("icc_profile")
    processed = process_image(upload)
    assert_clean(processed)
    red = Image.open(io.BytesIO(processed.renditions[-1].data)).convert("RGB").getpixel((20, 20))
    assert is_red(red), red


def test_camera_mpo_is_a_jpeg_and_only_its_first_picture_is_kept():
    first, second = two_tone((400, 300)), Image.new("RGB", (400, 300), (0, 255, 0))
    upload = encode(first, "MPO", save_all=True, append_images=[second], exif=gps_exif())
    assert Image.open(io.BytesIO(upload)).format == "MPO"
    processed = process_image(upload)
    assert (processed.width, processed.height) == (400, 300)
    assert_clean(processed)


def test_small_picture_has_only_its_own_width_and_keys_follow_content():
    upload = encode(two_tone((120, 90)), "PNG")
    processed = process_image(upload)
    assert [(r.width, r.height) for r in processed.renditions] == [(120, 90)]
    again = process_image(upload)
    assert [r.key for r in again.renditions] == [r.key for r in processed.renditions]
    other = process_image(encode(Image.new("RGB", (120, 90), (1, 2, 3)), "PNG"))
    assert other.digest != processed.digest


def test_wide_picture_keeps_its_aspect_ratio():
    processed = process_image(encode(two_tone((3000, 1000)), "JPEG"))
    assert [(r.width, r.height) for r in processed.renditions] == [
        (160, 53),
        (320, 107),
        (640, 213),
        (1280, 427),
        (3000, 1000),
    ]


def test_polyglot_jpeg_keeps_only_its_pixels():
    upload = encode(two_tone((200, 200)), "JPEG") + b"<?php system($_GET['c']); ?>"
    assert_clean(process_image(upload))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` but carries almost no pixel data."""

    def chunk(name: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(name + body)
        return struct.pack(">I", len(body)) + name + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def flat_png_52_megapixels() -> bytes:
    data = encode(Image.new("1", (8000, 6500), 1), "PNG", optimize=True)
    assert len(data) < 200_000  # a few KB that would decode to 52 megapixels
    return data


def noise_png_11_mb() -> bytes:
    data = encode(Image.frombytes("RGB", (2000, 1900), os.urandom(2000 * 1900 * 3)), "PNG")
    assert len(data) > MAX_BYTES  # a real, decodable picture: only its size is wrong
    return data


def noise_jpeg() -> bytes:
    return encode(Image.frombytes("RGB", (800, 600), os.urandom(800 * 600 * 3)), "JPEG")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'

HOSTILE = [
    ("php script named .jpg", lambda: b"<?php system($_GET['c']); ?>", "UNSUPPORTED_FILE"),
    ("php behind a jpeg magic", lambda: b"\xff\xd8\xff\xe0<?php phpinfo(); ?>", "UNSUPPORTED_FILE"),
    ("truncated jpeg", lambda: noise_jpeg()[:20_000], "UNSUPPORTED_FILE"),
    ("svg", lambda: SVG, "UNSUPPORTED_FILE"),
    ("gif", lambda: encode(Image.new("P", (50, 50)), "GIF"), "UNSUPPORTED_FILE"),
    ("tiff", lambda: encode(Image.new("RGB", (50, 50)), "TIFF"), "UNSUPPORTED_FILE"),
    ("bmp", lambda: encode(Image.new("RGB", (50, 50)), "BMP"), "UNSUPPORTED_FILE"),
    ("empty", lambda: b"", "UNSUPPORTED_FILE"),
    ("52 megapixels in a few KB", flat_png_52_megapixels, "FILE_TOO_LARGE"),
    ("header claims 10 gigapixels", lambda: png_header_only(100_000, 100_000), "FILE_TOO_LARGE"),
    ("header claims 45 megapixels", lambda: png_header_only(9000, 5000), "FILE_TOO_LARGE"),
    ("wider than webp allows", lambda: png_header_only(20_000, 10), "FILE_TOO_LARGE"),
    (
        "11 MB of zeros behind a jpeg magic",
        lambda: b"\xff\xd8\xff" + bytes(11 << 20),
        "FILE_TOO_LARGE",
    ),
    ("11 MB real png", noise_png_11_mb, "FILE_TOO_LARGE"),
]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(("make", "code"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_rejected(make, code):
    data = make()
    with pytest.raises(ImageRejected) as rejected:
        process_image(data)
    assert rejected.value.code == code
    assert rejected.value.message == str(rejected.value)
    assert any(word in rejected.value.message for word in ("Berkas", "Gambar", "gambar"))


@pytest.mark.parametrize(
    "make", [flat_png_52_megapixels, lambda: png_header_only(100_000, 100_000)]
)
def test_bombs_are_refused_by_their_header_even_when_warnings_are_errors(make):
    data = make()
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ImageRejected) as rejected:
            process_image(data)
    assert rejected.value.code == "FILE_TOO_LARGE"
    assert time.perf_counter() - started < 1.0  # no pixel was decoded


def test_pick_rendition_takes_the_smallest_wide_enough_or_the_widest():
    renditions = [Rendition(w, w, f"k/{w}", b"") for w in (160, 320, 640, 800)]
    assert pick_rendition(renditions, 1).width == 160
    assert pick_rendition(renditions, 160).width == 160
    assert pick_rendition(renditions, 161).width == 320
    assert pick_rendition(renditions, 700).width == 800
    assert pick_rendition(renditions, 5000).width == 800
    stored = [{"width": 640, "key": "b"}, {"width": 160, "key": "a"}]
    assert pick_rendition(stored, 200) == {"width": 640, "key": "b"}
    assert pick_rendition(stored, 100) == {"width": 160, "key": "a"}
    with pytest.raises(ValueError, match="no renditions"):
        pick_rendition([], 100)
