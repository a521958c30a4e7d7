"""Pictures for law messages: checked, re-encoded, kept under a content-hash name.

An upload is taken only if Pillow opens it as JPEG, PNG or WebP (whatever its name or
declared type says): an HTML page renamed .png is refused. It is then drawn again by
Pillow — turned upright by its EXIF orientation, scaled to at most `MAX_SIDE` pixels on
its longer side, saved in its own format with no metadata at all (EXIF, GPS, comments,
ICC profiles go) — and stored as `<data dir>/images/<first 32 hex of its SHA-256>.<ext>`,
so the same picture uploaded twice is one file. The screens load it from
`/images/<name>` (signage.web.screen), served with its image type and `nosniff`.

A law message's `image` is either such a picture or a file shipped in the package's
static folder (`/static/…`); `missing_image` says when the path names neither.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from signage.errors import N_, Invalid, TooLarge
from signage.resources import STATIC_DIR

# The longest side kept (a slide's picture column is at most ~700 px wide on a 1080p TV;
# a 4K TV doubles that).
MAX_SIDE = 1920
# Pillow refuses larger images outright (decompression bombs).
MAX_PIXELS = 40_000_000
# Format Pillow reports -> (Content-Type, file extension).
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"),
           "WEBP": ("image/webp", "webp")}
TYPES = {ext: kind for kind, ext in FORMATS.values()}
URL_PREFIX = "/images/"
NAME = re.compile(r"^[0-9a-f]{32}\.(?:jpg|png|webp)$")


@dataclass(frozen=True)
class Picture:
    """A re-encoded picture, ready to store."""

    content: bytes
    ext: str
    width: int
    height: int

    @property
    def name(self) -> str:
        return f"{hashlib.sha256(self.content).hexdigest()[:32]}.{self.ext}"


def _refuse() -> Invalid:
    return Invalid(N_("Tệp này không phải ảnh JPEG, PNG hoặc WebP (máy chủ đã mở thử nội dung "
                      "tệp, không chỉ xem tên tệp)."), code="not_an_image")


def _too_many_pixels() -> Invalid:
    return Invalid(N_("Ảnh có quá nhiều điểm ảnh (tối đa %(mp)s triệu)."),
                   code="image_too_large", mp=MAX_PIXELS // 1_000_000)


def reencode(content: bytes, max_bytes: int) -> Picture:
    """The picture in `content`, checked and drawn again without metadata (see the module);
    TooLarge over `max_bytes`, Invalid when it is not a JPEG, PNG or WebP image."""
    if len(content) > max_bytes:
        raise too_large(max_bytes)
    if not content:
        raise _refuse()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                if probe.format not in FORMATS:
                    raise _refuse()
                if probe.width * probe.height > MAX_PIXELS:
                    raise _too_many_pixels()
                fmt = probe.format
                probe.load()
                image = ImageOps.exif_transpose(probe)
    except Invalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception:  # Pillow could not read it (UnidentifiedImageError, a truncated or
        # malformed file tripping a decoder, a decompression bomb): not an image we take
        raise _refuse() from None
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    if fmt == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info or "A" in image.mode
                              else "RGB")
    image.info = {}  # nothing of the original's metadata goes along
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85, method=4)
    return Picture(out.getvalue(), FORMATS[fmt][1], image.width, image.height)


# What Pillow reports of a picture `reencode` saved (no metadata): anything else in its
# `info` (exif, icc_profile, comment, xmp, text chunks …) did not come from this server.
_OWN_INFO = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "loop", "background",
             "transparency", "progressive", "progression"}


def stored_as_is(name: str, content: bytes, max_bytes: int) -> Picture:
    """A picture as this server stores it, brought in from a content export (not an upload):
    the same checks as `reencode` (size, JPEG/PNG/WebP by its content, pixels), and it must
    be what a server stored — named `<first 32 hex of its SHA-256>.<its format's ext>`,
    within `MAX_SIDE`, without metadata — so it is kept byte for byte under the name the
    notices use. TooLarge over `max_bytes`; Invalid otherwise."""
    reencode(content, max_bytes)  # refuses what an upload would refuse
    with Image.open(io.BytesIO(content)) as probe:
        picture = Picture(content, FORMATS[str(probe.format)][1], probe.width, probe.height)
        info = set(probe.info) - _OWN_INFO
        text = getattr(probe, "text", None)
        exif = len(probe.getexif())
    if picture.name != name:
        raise Invalid(N_("Tên tệp ảnh phải là mã băm nội dung của nó (%(expected)s): tệp đã "
                         "bị sửa, hoặc không phải ảnh do máy chủ xuất ra. Hãy tải ảnh lên qua "
                         "trang quản trị."), code="image_not_exported", expected=picture.name)
    if max(picture.width, picture.height) > MAX_SIDE or info or text or exif:
        raise Invalid(N_("Ảnh còn siêu dữ liệu hoặc lớn hơn %(side)s điểm ảnh: không phải ảnh do "
                         "máy chủ xuất ra. Hãy tải ảnh lên qua trang quản trị."),
                      code="image_not_exported", side=MAX_SIDE)
    return picture


def too_large(max_bytes: int) -> TooLarge:
    """The refusal of a picture over `max_bytes` (413 `image_too_large`)."""
    return TooLarge(N_("Ảnh quá lớn: tối đa %(mb)s MB."), code="image_too_large",
                    mb=f"{max_bytes / 1024 / 1024:.3g}")


class ImageFolder:
    """The stored pictures: `<data dir>/images`."""

    def __init__(self, data_dir: Path | None) -> None:
        self.path = Path(data_dir) / "images" if data_dir is not None else None

    def save(self, picture: Picture) -> str:
        """Store the picture (atomically; once per content); its URL."""
        assert self.path is not None, "no data dir"
        self.path.mkdir(parents=True, exist_ok=True)
        target = self.path / picture.name
        if not target.exists():
            fd, temp = tempfile.mkstemp(dir=self.path, prefix=".upload-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(picture.content)
            os.chmod(temp, 0o644)
            os.replace(temp, target)
        return URL_PREFIX + picture.name

    def file(self, name: str) -> Path | None:
        """The stored file called `name` (a content-hash name), or None."""
        if self.path is None or not NAME.match(name):
            return None
        path = self.path / name
        return path if path.is_file() else None

    def listing(self) -> list[dict[str, object]]:
        """Every stored picture, newest first: url, name, bytes, modified (POSIX time)."""
        if self.path is None or not self.path.is_dir():
            return []
        found = [(p.stat(), p.name) for p in self.path.iterdir() if NAME.match(p.name)]
        found.sort(key=lambda item: (-item[0].st_mtime, item[1]))
        return [{"url": URL_PREFIX + name, "name": name, "bytes": st.st_size,
                 "modified": int(st.st_mtime)} for st, name in found]

    def exists(self, url: str) -> bool:
        """Whether `url` (a law message's `image`) names a picture this server has: a stored
        upload or a file of the package's static folder."""
        if url.startswith(URL_PREFIX):
            return self.file(url[len(URL_PREFIX):]) is not None
        if url.startswith("/static/"):
            root = STATIC_DIR.resolve()
            path = (root / url[len("/static/"):]).resolve()
            return path.is_relative_to(root) and path.is_file()
        return False
