"""/admin/office: the office's names, address and hotline (admin).

A plain form (no script): it sends the fields through `signage.usecases.office.change_office`,
the same use case as `PATCH /api/v1/office`, so every screen's header and cards change at
once (`office.updated`). Features that add a text of the office add its field to
`FIELDS` and the template's list, nothing else.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from signage.errors import SignageError
from signage.usecases import ADMIN
from signage.usecases import office as office_uc
from signage.web.admin import NAV, NavItem, bp, roles
from signage.web.admin.views import ACTION_LABELS, field_errors, lobby, message_of, perform

NAV.append(NavItem("admin.office", _l("Thông tin đơn vị"), ADMIN, 64))
ACTION_LABELS.setdefault("office.update", lazy_pgettext("audit", "Sửa tên văn phòng, lời chào"))

# The office's texts this page edits, in order: (field, label, hint).
FIELDS: list[tuple[str, Any, Any]] = [
    ("office_name", _l("Tên trung tâm"),
     _l("Dòng lớn ở đầu mọi màn hình, ví dụ: Trung tâm Phục vụ hành chính công phường Khánh Bình.")),
    ("ward_name", _l("Tên phường, xã"),
     _l("Dòng thứ hai ở đầu màn hình, ví dụ: Ủy ban nhân dân phường Khánh Bình.")),
    ("address", _l("Địa chỉ"),
     _l("Hiện trên thẻ chào mừng và thẻ ngoài giờ làm việc. Để trống: không hiện.")),
    ("hotline", _l("Đường dây nóng"),
     _l("Hiện ở đầu màn hình, cạnh tên phường. Để trống: không hiện.")),
    ("feedback_address", _l("Địa chỉ tiếp nhận phản ánh, kiến nghị"),
     _l("Địa chỉ bưu chính hoặc thư điện tử; hiện ở chân màn hình cùng đường dây nóng và mã QR "
        "tới trang góp ý. Để trống: không hiện.")),
]


def _page(form: dict[str, Any], errors: dict[str, str] | None = None, status: int = 200):
    office = lobby().query(office_uc.office)
    return render_template("admin/office.html", form=form, errors=errors or {}, fields=FIELDS,
                           limits=office_uc.LIMITS, defaults=office_uc.OFFICE_DEFAULTS,
                           office=office), status


@bp.get("/office")
@roles(ADMIN)
def office():
    return _page(lobby().query(office_uc.office))


@bp.post("/office")
@roles(ADMIN)
def office_save():
    values = {name: request.form[name] for name, _label, _hint in FIELDS if name in request.form}
    try:
        perform(office_uc.change_office, values)
    except SignageError as exc:
        errors = field_errors(exc)
        flash(_("Chưa lưu: hãy sửa các ô được đánh dấu.") if errors else message_of(exc), "error")
        return _page(request.form.to_dict(), errors, 422)
    flash(_("Đã lưu. Mọi màn hình hiện thông tin mới ngay."), "success")
    return redirect(url_for("admin.office"))
