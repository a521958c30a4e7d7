"""/admin/audit: the audit log, filtered by actor, action and date (admin only)."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import gettext as _

from signage.errors import BadRequest
from signage.usecases.accounts import audit_actions, audit_log
from signage.web.admin import bp, roles
from signage.web.admin.views import lobby
from signage.web.inputs import iso_day

PAGE_SIZE = 50


def _day(value: Any) -> str:
    text = str(value)
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}" if len(text) == 10 and text[4] == "-" else text


@bp.app_template_filter("audit_value")
def audit_value(value: Any) -> str:
    """An audit detail as a person reads it: a playlist entry as "thông báo số 5 (30 giây,
    đến 28/02/2027)", lists and maps as text, never Python's repr (issue 9)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "notice_id" in value:
        parts = [_("%(n)s giây", n=value["duration"])] if value.get("duration") else []
        if value.get("starts_on"):
            parts.append(_("từ %(day)s", day=_day(value["starts_on"])))
        if value.get("ends_on"):
            parts.append(_("đến %(day)s", day=_day(value["ends_on"])))
        if value.get("weekdays"):
            parts.append(_("thứ %(days)s", days=", ".join(str(d + 1) if d < 7 else "CN"
                                                          for d in value["weekdays"])))
        if value.get("windows"):
            parts.append(", ".join("–".join(w) for w in value["windows"]))
        if value.get("priority"):
            parts.append(_("ưu tiên %(p)s", p=value["priority"]))
        head = _("thông báo số %(id)s", id=value["notice_id"])
        return f"{head} ({'; '.join(parts)})" if parts else head
    if isinstance(value, dict):
        return "; ".join(f"{k}: {audit_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, dict) and "notice_id" in v for v in value):
            return _("%(n)s mục: ", n=len(value)) + " · ".join(audit_value(v) for v in value)
        return ", ".join(audit_value(v) for v in value)
    return str(value)
FILTERS = ("actor", "action", "target", "since", "until")


@bp.get("/audit")
@roles({"admin"})
def audit():
    lob = lobby()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    filters = {k: iso_day(request.args[k]) if k in ("since", "until") else request.args[k]
               for k in FILTERS if request.args.get(k)}
    paging = {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    try:
        found, bad_date = lob.query(audit_log, {**filters, **paging}, lob.clock.tz), False
    except BadRequest:  # a date typed by hand: show everything and say so
        found, bad_date = lob.query(audit_log, paging, lob.clock.tz), True
    pages = max(1, (found["total"] + PAGE_SIZE - 1) // PAGE_SIZE)
    return render_template("admin/audit.html", entries=found["items"], total=found["total"],
                           page=page, pages=pages, actions=lob.query(audit_actions),
                           args=request.args, bad_date=bad_date)
