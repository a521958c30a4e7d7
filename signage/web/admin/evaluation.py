"""/admin pages of the citizens' evaluation: the officers at the counters (profiles,
portraits, who is on duty), the counters' rating tablets and the rating scale.

Forms only translate: each POST calls the same use case as the API and the CLI
(signage.usecases.officers, tablets, ratings).
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from markupsafe import Markup

from signage.errors import SignageError
from signage.evaluation import charts as charts_
from signage.evaluation.feedback import STATES as feedback_states
from signage.usecases import ADMIN
from signage.usecases import feedback as feedback_uc
from signage.usecases import officers as officers_uc
from signage.usecases import queue as queue_uc
from signage.usecases import ratings as ratings_uc
from signage.usecases import reports as reports_uc
from signage.usecases import tablets as tablets_uc
from signage.web.admin import NAV, NavItem, bp, roles
from signage.web.admin.views import ACTION_LABELS, field_errors, lobby, message_of, perform
from signage.web.inputs import iso_day

NAV.append(NavItem("admin.officers", _l("Cán bộ"), ADMIN, 63))
NAV.append(NavItem("admin.tablets", _l("Máy đánh giá"), ADMIN, 63))

ACTION_LABELS.update({
    "officer.create": lazy_pgettext("audit", "Thêm cán bộ"),
    "officer.update": lazy_pgettext("audit", "Sửa hồ sơ cán bộ"),
    "officer.photo": lazy_pgettext("audit", "Đổi ảnh cán bộ"),
    "duty.start": lazy_pgettext("audit", "Nhận ca trực"),
    "duty.end": lazy_pgettext("audit", "Kết thúc ca trực"),
    "tablet.add": lazy_pgettext("audit", "Đăng ký máy đánh giá"),
    "tablet.revoke": lazy_pgettext("audit", "Thu hồi máy đánh giá"),
    "rating.settings": lazy_pgettext("audit", "Đổi thang đánh giá"),
    "feedback.update": lazy_pgettext("audit", "Xử lý góp ý"),
})

OFFICER_FIELDS = ("name", "title", "field", "phone", "user")


def _officer_form() -> dict[str, Any]:
    form = request.form
    data: dict[str, Any] = {key: form.get(key, "") for key in OFFICER_FIELDS}
    data["user"] = data["user"] or None
    return data


# ---- officers ------------------------------------------------------------------------------

def _officers_page(form: dict | None = None, errors: dict | None = None, status: int = 200):
    lob = lobby()
    return render_template("admin/officers.html", officers=lob.query(officers_uc.list_officers),
                           accounts=lob.query(officers_uc.account_choices),
                           board=lob.query(officers_uc.duty_board), form=form or {},
                           errors=errors or {}), status


@bp.get("/officers")
@roles(ADMIN)
def officers():
    return _officers_page()


@bp.post("/officers")
@roles(ADMIN)
def officers_add():
    try:
        made = perform(officers_uc.create_officer, _officer_form())
    except SignageError as exc:
        flash(message_of(exc), "error")
        return _officers_page(dict(request.form), field_errors(exc), 422)
    flash(_("Đã thêm cán bộ %(name)s.", name=made["name"]), "success")
    return redirect(url_for("admin.officer_edit", officer_id=made["id"]))


def _officer_page(officer_id: int, form: dict | None = None, errors: dict | None = None,
                  status: int = 200):
    lob = lobby()
    officer = lob.query(officers_uc.get_officer, officer_id)  # NotFound: the 404 page
    counters = lob.query(queue_uc.list_counters)
    return render_template("admin/officer_edit.html", officer=officer, form=form or officer,
                           errors=errors or {}, accounts=lob.query(officers_uc.account_choices),
                           counters=counters), status


@bp.get("/officers/<int:officer_id>")
@roles(ADMIN)
def officer_edit(officer_id: int):
    return _officer_page(officer_id)


@bp.post("/officers/<int:officer_id>")
@roles(ADMIN)
def officer_update(officer_id: int):
    do = request.form.get("do", "profile")
    try:
        if do == "profile":
            data = {**_officer_form(), "active": request.form.get("active") == "on"}
            perform(officers_uc.update_officer, officer_id, data)
            flash(_("Đã lưu hồ sơ cán bộ."), "success")
        elif do == "photo":
            upload = request.files.get("photo")
            content = upload.read() if upload else b""
            perform(officers_uc.set_officer_photo, officer_id, content,
                    upload.mimetype if upload else "")
            flash(_("Đã lưu ảnh."), "success")
        elif do == "no-photo":
            perform(officers_uc.clear_officer_photo, officer_id)
            flash(_("Đã xóa ảnh."), "success")
        elif do == "duty":
            counter = request.form.get("counter", "")
            if counter:
                perform(officers_uc.start_duty, int(counter), {"officer_id": officer_id})
                flash(_("Cán bộ đã nhận ca trực tại quầy."), "success")
            else:
                where = lobby().query(officers_uc.get_officer, officer_id)["counter"]
                board = {d["counter"]: d for d in lobby().query(officers_uc.duty_board)}
                if where in board:
                    perform(officers_uc.end_duty, board[where]["counter_id"])
                flash(_("Cán bộ đã kết thúc ca trực."), "success")
    except SignageError as exc:
        flash(message_of(exc), "error")
        return _officer_page(officer_id, dict(request.form), field_errors(exc), 422)
    return redirect(url_for("admin.officer_edit", officer_id=officer_id))


# ---- tablets and the scale ---------------------------------------------------------------------

def _tablets_page(added: dict | None = None, form: dict | None = None, status: int = 200):
    lob = lobby()
    tablets = [{**t, "url": request.host_url.rstrip("/") + tablets_uc.tablet_path(
        t["counter"], t["key"])} for t in lob.query(tablets_uc.list_tablets)]
    tablets.sort(key=lambda t: (t["revoked"], t["counter"], t["id"]))
    return render_template("admin/tablets.html", tablets=tablets, added=added, form=form or {},
                           counters=lob.query(queue_uc.list_counters),
                           settings=lob.query(ratings_uc.get_rating_settings)), status


@bp.get("/tablets")
@roles(ADMIN)
def tablets():
    return _tablets_page()


@bp.post("/tablets")
@roles(ADMIN)
def tablets_add():
    form = request.form
    try:
        added = perform(tablets_uc.add_tablet, {"name": form.get("name", ""),
                                                "counter": int(form.get("counter") or 0)})
    except (SignageError, ValueError) as exc:
        flash(message_of(exc), "error")
        return _tablets_page(form=dict(form), status=422)
    added["url"] = request.host_url.rstrip("/") + tablets_uc.tablet_path(added["counter"],
                                                                         added["key"])
    flash(_("Đã đăng ký máy đánh giá %(name)s.", name=added["name"]), "success")
    return _tablets_page(added=added)


@bp.post("/tablets/<int:tablet_id>/revoke")
@roles(ADMIN)
def tablets_revoke(tablet_id: int):
    try:
        done = perform(tablets_uc.revoke_tablet, tablet_id)
    except SignageError as exc:
        flash(message_of(exc), "error")
    else:
        flash(_("Đã thu hồi máy đánh giá %(name)s.", name=done["name"]), "success")
    return redirect(url_for("admin.tablets"))


@bp.post("/tablets/settings")
@roles(ADMIN)
def rating_settings():
    form = request.form
    try:
        perform(ratings_uc.update_rating_settings, {
            "scale": int(form.get("scale") or 3), "timeout_s": int(form.get("timeout_s") or 30)})
    except (SignageError, ValueError) as exc:
        flash(message_of(exc), "error")
        return _tablets_page(status=422)
    flash(_("Đã lưu thang đánh giá."), "success")
    return redirect(url_for("admin.tablets"))


# ---- reports ---------------------------------------------------------------------------------

NAV.append(NavItem("admin.reports", _l("Báo cáo"), frozenset({"admin", "approver"}), 55))
NAV.append(NavItem("admin.feedback", _l("Góp ý"), feedback_uc.HANDLERS, 56))


def _minutes(seconds: int | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


@bp.get("/reports")
@roles({"approver"})
def reports():
    """The office's figures for a period, with charts drawn on the server and each table
    as CSV (the API's /stats, which the links call with this session)."""
    lob = lobby()
    clock = lob.clock
    try:
        period = reports_uc.parse_period({k: iso_day(v) for k, v in request.args.items()
                                          if k in ("since", "until") and v},
                                         clock.now(), clock.tz)
    except SignageError as exc:
        flash(message_of(exc), "error")
        period = reports_uc.parse_period({}, clock.now(), clock.tz)
    queue = lob.query(reports_uc.queue_stats, period, clock.tz)
    ratings = lob.query(reports_uc.rating_stats, period, clock.tz)
    feedback = lob.query(reports_uc.feedback_stats, period, clock.tz)
    play = lob.query(reports_uc.play_stats, period, clock.tz, clock.now())
    charts = {
        "issued": charts_.columns([(d["date"][8:] + "/" + d["date"][5:7], d["issued"])
                                   for d in queue["by_day"]], title=_("Số phiếu theo ngày")),
        "hours": charts_.columns([(f"{h['hour']}h", h["issued"]) for h in queue["by_hour"]],
                                 title=_("Số phiếu theo giờ")),
        "waiting": charts_.bars([(f"{b['from_min']}–{b['to_min']}" if b["to_min"] is not None
                                  else f"≥ {b['from_min']}", b["count"])
                                 for b in queue["waiting_distribution"]], label_width=110,
                                title=_("Thời gian chờ (phút)")),
        "levels": charts_.bars([(_(lv["label"]), lv["count"])
                                for lv in ratings["totals"]["levels"]],
                               title=_("Mức độ hài lòng")),
        "counters": charts_.bars([(c["name"], c["satisfied_pct"] or 0)
                                  for c in ratings["by_counter"]], unit="%", top=100,
                                 title=_("Tỷ lệ hài lòng theo quầy")),
        "reasons": charts_.bars([(_(r["label"]), r["count"]) for r in ratings["by_reason"]],
                                label_width=330, title=_("Lý do chưa hài lòng")),
        # Proof of play: the twenty notices longest on screen (minutes, zone: title).
        "play": charts_.bars([(f"{p['zone']}: {p['title'][:48]}", round(p["seconds"] / 60, 1))
                              for p in sorted(play["by_notice"], key=lambda p: -p["seconds"])[:20]],
                             label_width=420, width=720, title=_("Thời gian trình chiếu (phút)")),
    }
    return render_template("admin/reports.html", period=period, queue=queue, ratings=ratings,
                           feedback=feedback, play=play, minutes=_minutes,
                           rated={r["number"]: r for r in ratings["by_counter"]},
                           charts={k: Markup(v) for k, v in charts.items()},
                           states=feedback_states)


# ---- the feedback box -----------------------------------------------------------------------

@bp.get("/feedback")
@roles(feedback_uc.HANDLERS)
def feedback():
    status = request.args.get("status") or None
    if status not in feedback_states:
        status = None
    listed = lobby().query(feedback_uc.list_feedback, status=status, limit=200,
                           with_contact=True)
    return render_template("admin/feedback.html", items=listed["items"], total=listed["total"],
                           status=status, states=feedback_states)


@bp.post("/feedback/<int:feedback_id>")
@roles(feedback_uc.HANDLERS)
def feedback_handle(feedback_id: int):
    form = request.form
    data: dict[str, Any] = {}
    if form.get("answer", "").strip():
        data["answer"] = form["answer"]
    # An answer with the state left as it was answers the item (the use case's rule).
    if form.get("status") and not (data and form.get("status") == form.get("was")):
        data["status"] = form["status"]
    try:
        perform(feedback_uc.handle_feedback, feedback_id, data)
    except SignageError as exc:
        flash(message_of(exc), "error")
    else:
        flash(_("Đã lưu góp ý số %(id)s.", id=feedback_id), "success")
    return redirect(url_for("admin.feedback", status=request.args.get("status") or None))
