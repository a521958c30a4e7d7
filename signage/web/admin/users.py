"""/admin/users: staff accounts and their API tokens (admin only).

Forms only translate: each POST calls the same use case as the API and the CLI
(signage.usecases.accounts); a refusal shows its message, by the field it is about
when it is about one.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from signage.accounts import ROLES
from signage.errors import SignageError
from signage.usecases.accounts import (
    change_role,
    create_token,
    create_user,
    list_tokens,
    list_users,
    revoke_token,
    set_active,
    set_password,
    user_detail,
)
from signage.web.admin import bp, roles
from signage.web.admin.views import field_errors, lobby, message_of, perform


@bp.get("/users")
@roles({"admin"})
def users():
    return render_template("admin/users.html", users=lobby().query(list_users), roles=ROLES,
                           form={}, errors={})


@bp.post("/users")
@roles({"admin"})
def users_create():
    form = request.form
    try:
        user = perform(create_user, {"name": form.get("name", ""), "role": form.get("role", ""),
                                     "password": form.get("password", "")})
    except SignageError as exc:
        for problem in _problems(exc):
            flash(problem, "error")
        return render_template("admin/users.html", users=lobby().query(list_users), roles=ROLES,
                               form={"name": form.get("name", ""), "role": form.get("role")},
                               errors=field_errors(exc)), 422
    flash(_("Đã tạo người dùng %(name)s.", name=user["name"]), "success")
    return redirect(url_for("admin.users"))


def _problems(exc: SignageError) -> list[str]:
    """Every problem of a refused form ("Mật khẩu: phải có ít nhất 8 ký tự."), not just the
    first, so one submit shows all there is to fix."""
    return [p.text(_) for p in exc.fields] if exc.message is None and exc.fields \
        else [message_of(exc)]


def _edit_page(user_id: int, issued: dict[str, Any] | None = None):
    lob = lobby()
    user = lob.query(user_detail, user_id)  # NotFound: the error page, 404
    return render_template("admin/user_edit.html", user=user, roles=ROLES,
                           tokens=lob.query(list_tokens, user["name"]), issued=issued)


@bp.get("/users/<int:user_id>")
@roles({"admin"})
def user_edit(user_id: int):
    return _edit_page(user_id)


@bp.post("/users/<int:user_id>")
@roles({"admin"})
def user_update(user_id: int):
    form = request.form
    do = form.get("do")
    try:
        if do == "role":
            user = perform(change_role, user_id, {"role": form.get("role", "")})
            done = _("Đã đổi vai trò của %(name)s.", name=user["name"])
        elif do in ("activate", "deactivate"):
            user = perform(set_active, user_id, {"active": do == "activate"})
            done = (_("Đã mở khóa tài khoản %(name)s.", name=user["name"]) if do == "activate"
                    else _("Đã khóa tài khoản %(name)s.", name=user["name"]))
        elif do == "password":
            if form.get("password", "") != form.get("password2", ""):
                flash(_("Hai lần nhập mật khẩu không khớp."), "error")
                return redirect(url_for("admin.user_edit", user_id=user_id))
            user = perform(set_password, user_id, {"password": form.get("password", "")})
            done = _("Đã đặt mật khẩu mới cho %(name)s.", name=user["name"])
        else:
            return redirect(url_for("admin.user_edit", user_id=user_id))
    except SignageError as exc:
        flash(message_of(exc), "error")
    else:
        flash(done, "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.post("/users/<int:user_id>/tokens")
@roles({"admin"})
def user_token_create(user_id: int):
    user = lobby().query(user_detail, user_id)
    try:
        issued = perform(create_token, {"user": user["name"], "label": request.form.get("label", "")})
    except SignageError as exc:
        flash(message_of(exc), "error")
        return redirect(url_for("admin.user_edit", user_id=user_id))
    # The secret is shown on this response only (it is not stored).
    flash(_("Đã cấp token API cho %(name)s.", name=user["name"]), "success")
    return _edit_page(user_id, issued=issued)


@bp.post("/users/<int:user_id>/tokens/<int:token_id>/revoke")
@roles({"admin"})
def user_token_revoke(user_id: int, token_id: int):
    try:
        token = perform(revoke_token, token_id)
    except SignageError as exc:
        flash(message_of(exc), "error")
    else:
        flash(_("Đã thu hồi token %(label)s; token đó không dùng được nữa.",
                label=token["label"]), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))
