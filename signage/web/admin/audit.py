"""/admin/audit: the audit log, filtered by actor, action and date (admin only)."""

from __future__ import annotations

from flask import render_template, request

from signage.errors import BadRequest
from signage.usecases.accounts import audit_actions, audit_log
from signage.web.admin import bp, roles
from signage.web.admin.views import lobby

PAGE_SIZE = 50
FILTERS = ("actor", "action", "target", "since", "until")


@bp.get("/audit")
@roles({"admin"})
def audit():
    lob = lobby()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    filters = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    paging = {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    try:
        found, bad_date = lob.query(audit_log, {**filters, **paging}, lob.clock.tz), False
    except BadRequest:  # a date typed by hand: show everything and say so
        found, bad_date = lob.query(audit_log, paging, lob.clock.tz), True
    pages = max(1, (found["total"] + PAGE_SIZE - 1) // PAGE_SIZE)
    return render_template("admin/audit.html", entries=found["items"], total=found["total"],
                           page=page, pages=pages, actions=lob.query(audit_actions),
                           args=request.args, bad_date=bad_date)
