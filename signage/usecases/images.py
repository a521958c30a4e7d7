"""Pictures for law messages: upload (editors) and the list the form's picker shows.

    upload_image   one picture, checked and re-encoded (signage.notices.images), stored
                   under the data dir by its content hash; audit `image.upload`

A law message may only name a picture this server has (`check_image`, used by every
save of a notice — API, /admin form, content import — and by the live preview).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field
from sqlalchemy.orm import Session

from signage.errors import N_, FieldProblem, Invalid
from signage.notices.images import TYPES, ImageFolder, reencode, too_large
from signage.usecases import EDITORS, Change
from signage.validation import Output

__all__ = ["too_large"]  # the doors refuse an oversize body before reading it


class ImageOut(Output):
    url: str = Field(description="the path to put in a law message's `image`")
    name: str = Field(description="<content hash>.<jpg|png|webp>")
    bytes: int
    modified: int = Field(description="when it was stored (POSIX seconds)")


class UploadedImage(ImageOut):
    width: int
    height: int


MISSING = N_("không có ảnh này trên máy chủ (%(path)s): hãy tải ảnh lên hoặc chọn một ảnh có "
             "sẵn.")


def image_problem(image: str, data_dir: Path | None) -> FieldProblem | None:
    """Why a law message's `image` cannot be shown (a picture this server does not have),
    or None."""
    if not image or ImageFolder(data_dir).exists(image):
        return None
    return FieldProblem("image", MISSING, {"path": image}, (N_("Hình ảnh"),))


def check_image(record: Any, data_dir: Path | None) -> None:
    """Refuse (Invalid, field `image`) a law message naming a picture this server lacks."""
    problem = image_problem(getattr(record, "image", "") or "", data_dir)
    if problem is not None:
        raise Invalid(code="image_missing", fields=[problem])


def upload_image(change: Change, content: bytes, max_bytes: int) -> dict[str, Any]:
    """Store one picture (JPEG, PNG or WebP, at most `max_bytes`); its URL and size."""
    change.require(EDITORS)
    picture = reencode(content, max_bytes)
    folder = ImageFolder(change.data_dir)
    url = folder.save(picture)
    stat = (folder.file(picture.name) or Path()).stat()
    change.audit("image.upload", url, {"bytes": len(picture.content),
                                       "size": f"{picture.width}×{picture.height}"})
    return {"url": url, "name": picture.name, "bytes": len(picture.content),
            "modified": int(stat.st_mtime), "width": picture.width, "height": picture.height}


def list_images(session: Session, data_dir: Path | None) -> list[dict[str, Any]]:
    """The stored pictures, newest first."""
    return ImageFolder(data_dir).listing()


def image_file(data_dir: Path | None, name: str) -> tuple[Path, str] | None:
    """A stored picture's file and its Content-Type (from what it was saved as), or None."""
    path = ImageFolder(data_dir).file(name)
    if path is None:
        return None
    return path, TYPES[path.suffix.lstrip(".")]
