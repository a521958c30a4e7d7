"""signage.notices.images.reencode on what an upload may bring (issue 9, item 12)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from signage.errors import Invalid, TooLarge
from signage.notices.images import MAX_SIDE, reencode

LIMIT = 5 * 1024 * 1024


def encoded(fmt: str, size=(40, 30), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 128).save(out, fmt)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims `width`×`height` and whose pixels are missing."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("content", [
    b"", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    b"%PDF-1.4 not a picture", encoded("GIF"), encoded("BMP"), encoded("TIFF"),
    encoded("PNG")[:60],  # cut short
    png_header_only(40, 30),
])
def test_anything_but_a_whole_jpeg_png_or_webp_is_refused(content):
    with pytest.raises(Invalid) as caught:
        reencode(content, LIMIT)
    assert caught.value.code == "not_an_image"


def test_a_picture_claiming_too_many_pixels_is_refused_before_it_is_decoded():
    with pytest.raises(Invalid) as caught:
        reencode(png_header_only(20_000, 20_000), LIMIT)
    assert caught.value.code == "image_too_large"


def test_the_size_limit_comes_first():
    with pytest.raises(TooLarge):
        reencode(encoded("PNG"), 10)


@pytest.mark.parametrize("fmt, ext", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_each_kept_format_stays_itself_and_fits_the_bound(fmt, ext):
    picture = reencode(encoded(fmt, (MAX_SIDE * 2, 100)), LIMIT)
    assert picture.ext == ext and (picture.width, picture.height) == (MAX_SIDE, 50)
    assert Image.open(io.BytesIO(picture.content)).format == fmt
    assert picture.name.endswith("." + ext) and len(picture.name) == 32 + 1 + len(ext)


def test_an_exif_orientation_is_applied_then_dropped():
    image = Image.new("RGB", (60, 20), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    picture = reencode(out.getvalue(), LIMIT)
    assert (picture.width, picture.height) == (20, 60)
    assert not Image.open(io.BytesIO(picture.content)).getexif()
