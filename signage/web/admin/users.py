"""/admin/users: staff accounts (admin only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from signage import accounts
from signage.accounts import ROLES, AccountError
from signage.accounts.audit import last_logins
from signage.web.admin import bp, roles
from signage.web.admin.actions import create_user, update_user, user_json
from signage.web.admin.views import actor, lobby, message_of


@bp.get("/users")
@roles({"admin"})
def users():
    with lobby().store.read() as db:
        seen = last_logins(db)
        rows = [user_json(u, seen.get(u.name)) for u in accounts.list_users(db)]
    return render_template("admin/users.html", users=rows, roles=ROLES, form={})


@bp.post("/users")
@roles({"admin"})
def users_create():
    form = request.form
    try:
        user = create_user(lobby(), actor(), form.get("name", ""), form.get("role", ""),
                           form.get("password", ""))
    except AccountError as exc:
        flash(message_of(exc), "error")
        with lobby().store.read() as db:
            seen = last_logins(db)
            rows = [user_json(u, seen.get(u.name)) for u in accounts.list_users(db)]
        return render_template("admin/users.html", users=rows, roles=ROLES,
                               form={"name": form.get("name", ""), "role": form.get("role")}), 422
    flash(_("Đã tạo người dùng %(name)s.", name=user["name"]), "success")
    return redirect(url_for("admin.users"))


@bp.get("/users/<int:user_id>")
@roles({"admin"})
def user_edit(user_id: int):
    with lobby().store.read() as db:
        try:
            user = accounts.get_user(db, user_id)
        except AccountError:
            return render_template("admin/error.html", status=404, title=_("Không tìm thấy"),
                                   message=_("Không có người dùng này.")), 404
        row = user_json(user, last_logins(db).get(user.name))
    return render_template("admin/user_edit.html", user=row, roles=ROLES)


@bp.post("/users/<int:user_id>")
@roles({"admin"})
def user_update(user_id: int):
    do = request.form.get("do")
    changes: dict = {}
    if do == "role":
        changes["role"] = request.form.get("role", "")
    elif do in ("activate", "deactivate"):
        changes["active"] = do == "activate"
    elif do == "password":
        password = request.form.get("password", "")
        if password != request.form.get("password2", ""):
            flash(_("Hai lần nhập mật khẩu không khớp."), "error")
            return redirect(url_for("admin.user_edit", user_id=user_id))
        changes["password"] = password
    try:
        user = update_user(lobby(), actor(), user_id, **changes)
    except AccountError as exc:
        flash(message_of(exc), "error")
        return redirect(url_for("admin.user_edit", user_id=user_id))
    done = {
        "role": _("Đã đổi vai trò của %(name)s.", name=user["name"]),
        "activate": _("Đã mở khóa tài khoản %(name)s.", name=user["name"]),
        "deactivate": _("Đã khóa tài khoản %(name)s.", name=user["name"]),
        "password": _("Đã đặt mật khẩu mới cho %(name)s.", name=user["name"]),
    }.get(do or "")
    if done:
        flash(done, "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))
