"""Pages where citizens judge the service: the counter's rating tablet (`/rate/<counter
number>`, slice by slice), and the officers' portraits it shows. They only read; a
rating or a feedback post goes through the API (signage.web.api.ratings, .feedback)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app

from signage.usecases import officers as officers_uc

bp = Blueprint("evaluation", __name__)


def _lobby() -> Any:
    return current_app.extensions["signage"]


@bp.get("/officers/<int:officer_id>/photo")
def officer_photo(officer_id: int):
    """An officer's portrait (public, like their name: NĐ 118 Điều 9 khoản 8)."""
    photo = _lobby().query(officers_uc.officer_photo, officer_id)
    if photo is None:
        abort(404)
    content, kind = photo
    return content, 200, {"Content-Type": kind, "Cache-Control": "public, max-age=86400",
                          "X-Content-Type-Options": "nosniff"}
