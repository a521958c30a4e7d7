"""/api/v1/images: pictures for law messages (signage.usecases.images).

The body of an upload is the picture itself (Content-Type image/jpeg, image/png or
image/webp — the server checks the content, not the type it is told). It is refused
with 413 `image_too_large` above SIGNAGE_IMAGE_MAX_BYTES and with 422 `not_an_image`
when Pillow does not open it as one of those three formats; otherwise it is re-encoded
without metadata and stored by its content hash: put the `url` it answers in a law
message's `image`.
"""

from __future__ import annotations

from flask import request

from signage.usecases import EDITORS
from signage.usecases import images as uc
from signage.web.api import blueprint, items_of, lobby, operation, perform
from signage.web.api import query as read

bp = blueprint("images")


@operation(bp, "POST", "/images", roles=EDITORS, errors=(413, 422),
           upload=("image/jpeg", "image/png", "image/webp"),
           summary="Upload a picture for a law message (editors; the image itself as the body)",
           responses={201: uc.UploadedImage})
def upload_image():
    """413 `image_too_large` above SIGNAGE_IMAGE_MAX_BYTES; 422 `not_an_image` when the
    content is not a JPEG, PNG or WebP picture. The stored file is re-encoded (no
    metadata, at most 1920 px on its longer side) and named by its content hash."""
    limit = lobby().settings.image_max_bytes
    if (request.content_length or 0) > limit:
        raise uc.too_large(limit)
    request.max_content_length = limit + 1  # a body without Content-Length stops there
    return perform(uc.upload_image, request.get_data(), limit), 201


@operation(bp, "GET", "/images", roles=EDITORS, summary="The stored pictures, newest first",
           responses={200: items_of(uc.ImageOut)})
def list_images():
    return {"items": read(uc.list_images, lobby().settings.data_dir)}
