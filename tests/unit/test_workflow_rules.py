"""The approval rules on a real store, through the use cases every door calls
(signage.usecases.notices over signage.notices.workflow): who puts what on the glass."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from signage.accounts.audit import AuditQuery, find_entries
from signage.errors import Conflict, Forbidden, Invalid, InvalidState, NotFound
from signage.events import NoticeChanged, PlaylistChanged
from signage.notices import workflow
from signage.notices.schema import parse_notice
from signage.playlists import service as playlists
from signage.store import Store
from signage.store.migrate import upgrade
from signage.store.models import Notice
from signage.usecases import Actor, Change
from signage.usecases import notices as uc
from signage.usecases.zones import create_zone

EDITOR = Actor("lan", "editor", "10.0.0.5")
EDITOR2 = Actor("minh", "editor")
APPROVER = Actor("hoa", "approver")
ADMIN = Actor("quantri", "admin")
T0 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)

PROCEDURE = {
    "kind": "procedure", "code": "1.000001", "title": "Đăng ký khai sinh", "field": "Hộ tịch",
    "documents": [{"name": "Tờ khai đăng ký khai sinh"}, {"name": "Giấy chứng sinh"}],
    "channels": [{"channel": "truc_tiep", "deadline": "Ngay trong ngày", "fee": "Miễn lệ phí"}],
}


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'wf.db'}")
    upgrade(store)
    yield store
    store.dispose()


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def perform(store, actor, usecase, *args, now=T0, **kw):
    """Run a use case as the lobby does (one write transaction); (its result, its events)."""
    with store.write() as session:
        change = Change(session, actor, now, UTC)
        return usecase(change, *args, **kw), change.events


def save(store, actor, data, notice_id=None, submit=False, now=T0):
    """Create (no id) or update a notice; (its id, the events the save emitted)."""
    if notice_id is None:
        body, events = perform(store, actor, uc.create_notice, data, submit, now=now)
    else:
        body, events = perform(store, actor, uc.update_notice, notice_id, data, submit, now=now)
    return body["id"], events


def notice(store, notice_id):
    with store.read() as session:
        n = session.get(Notice, notice_id)
        return n, workflow.notice_json(session, n)


def revisions(store, notice_id):
    with store.read() as session:
        return [(r.number, r.status, r.author) for r in workflow.revisions(session, notice_id)]


def zone(store, slug="sanh-chinh", name="Sảnh chính"):
    perform(store, ADMIN, create_zone, {"slug": slug, "name": name})


def lobby_playlist(store, notice_id):
    """Ids of the notices the lobby zone's screens would show."""
    with store.read() as session:
        lobby_zone = playlists.get_zone(session, playlists.DEFAULT_ZONE)
        return [s.notice["id"] for s in playlists.playlist(session, lobby_zone)]


def actions(store, notice_id):
    with store.read() as session:
        entries = find_entries(session, AuditQuery(target=f"notice:{notice_id}"))[0]
        return [(e.actor, e.action) for e in reversed(entries)]


def test_an_approvers_save_is_live_at_once(store):
    nid, events = save(store, APPROVER, PROCEDURE)
    assert events == [PlaylistChanged(())]   # live for the first time; on no playlist yet
    n, body = notice(store, nid)
    assert n.status == "approved" and n.version == 1 and body["pending"] is None
    assert body["title"] == "Đăng ký khai sinh"
    assert revisions(store, nid) == [(1, "approved", "hoa")]
    assert actions(store, nid) == [("hoa", "notice.create"), ("hoa", "notice.publish")]


def test_an_editors_new_notice_is_a_draft_no_screen_shows(store):
    # Given an editor who creates a notice on the lobby's playlist
    zone(store)
    nid, events = save(store, EDITOR, {**PROCEDURE, "zones": ["sanh-chinh"]})
    # Then it is a draft, on the playlist but not on the glass
    assert events == []
    with store.read() as session:
        assert workflow.zones_of(session, nid) == ["sanh-chinh"]
    n, body = notice(store, nid)
    assert n.status == "draft" and body["pending"]["status"] == "draft"
    assert body["pending"]["author"] == "lan" and body["pending"]["record"]["code"] == "1.000001"
    assert nid not in lobby_playlist(store, nid)
    # When it is submitted and approved, it is
    perform(store, EDITOR, uc.submit_notice, nid, now=at(1))
    assert notice(store, nid)[0].status == "review"
    _, events = perform(store, APPROVER, uc.approve_notice, nid, now=at(2))
    assert events == [PlaylistChanged(("sanh-chinh",))]   # it joins the playlist it waited in
    assert nid in lobby_playlist(store, nid)
    assert actions(store, nid) == [("lan", "notice.create"), ("lan", "notice.submit"),
                                   ("hoa", "notice.approve"), ("hoa", "notice.publish")]


def test_an_editors_change_waits_in_review_while_the_approved_version_stays_live(store):
    nid, _ = save(store, APPROVER, PROCEDURE)
    # When an editor changes the title and submits
    edited = {**PROCEDURE, "title": "Đăng ký khai sinh (sửa)"}
    _, events = save(store, EDITOR, edited, nid, submit=True, now=at(5))
    # Then the live record is the approved one, and the change waits
    assert events == []
    n, body = notice(store, nid)
    assert n.status == "approved" and n.version == 1
    assert body["title"] == "Đăng ký khai sinh"
    assert body["pending"]["status"] == "review" and body["pending"]["number"] == 2
    assert body["pending"]["record"]["title"] == "Đăng ký khai sinh (sửa)"
    # When an approver approves it, it is the live record
    _, events = perform(store, APPROVER, uc.approve_notice, nid, {"revision": 2}, now=at(6))
    assert events == [NoticeChanged(nid)]
    n, body = notice(store, nid)
    assert body["title"] == "Đăng ký khai sinh (sửa)" and n.version == 2
    assert body["pending"] is None


def test_a_rejection_needs_a_reason_and_leaves_the_screens_alone(store):
    nid, _ = save(store, APPROVER, PROCEDURE)
    save(store, EDITOR, {**PROCEDURE, "title": "Tên sai"}, nid, submit=True)
    with pytest.raises(Invalid) as refused:
        perform(store, APPROVER, uc.reject_notice, nid, {"reason": "   "}, now=at(1))
    assert refused.value.code == "reason_required" and refused.value.field == "reason"
    assert "lý do" in str(refused.value)
    _, events = perform(store, APPROVER, uc.reject_notice, nid,
                        {"reason": "Tên thủ tục không đúng\n với Cổng DVC."}, now=at(2))
    assert events == []
    n, body = notice(store, nid)
    assert n.status == "approved" and body["title"] == "Đăng ký khai sinh"
    assert body["pending"]["status"] == "rejected"
    assert body["pending"]["reason"] == "Tên thủ tục không đúng với Cổng DVC."
    assert body["pending"]["decided_by"] == "hoa"
    # Sent again unchanged, it is a new revision in review; the rejection stays as it was
    again, _ = perform(store, EDITOR, uc.submit_notice, nid, now=at(3))
    assert again["pending"]["number"] == 3 and again["pending"]["status"] == "review"
    with store.read() as session:
        assert workflow.get_revision(session, nid, 2).status == "rejected"


def test_a_never_approved_notice_that_is_rejected_says_so(store):
    nid, _ = save(store, EDITOR, PROCEDURE, submit=True)
    perform(store, APPROVER, uc.reject_notice, nid, {"reason": "Thiếu căn cứ pháp lý."}, now=at(1))
    assert notice(store, nid)[0].status == "rejected"


def test_only_an_approver_approves_and_only_what_is_in_review(store):
    nid, _ = save(store, EDITOR, PROCEDURE)
    with pytest.raises(Forbidden) as refused:
        perform(store, EDITOR, uc.approve_notice, nid, now=at(1))
    assert refused.value.code == "forbidden"
    with pytest.raises(InvalidState) as draft:
        perform(store, APPROVER, uc.approve_notice, nid, now=at(1))
    assert draft.value.code == "invalid_state" and "chờ duyệt" in str(draft.value)
    save(store, EDITOR, PROCEDURE, nid)  # revision 2 supersedes 1
    with pytest.raises(InvalidState) as wrong:
        perform(store, EDITOR, uc.submit_notice, nid, {"revision": 1}, now=at(1))
    assert wrong.value.code == "not_pending"


def test_asking_for_a_revision_that_does_not_exist_is_not_found(store):
    nid, _ = save(store, EDITOR, PROCEDURE, submit=True)
    with pytest.raises(NotFound):
        perform(store, APPROVER, uc.approve_notice, nid, {"revision": 9}, now=at(1))


def test_a_newer_save_supersedes_the_open_draft(store):
    nid, _ = save(store, APPROVER, PROCEDURE)
    save(store, EDITOR, {**PROCEDURE, "title": "Bản một"}, nid, submit=True)
    save(store, EDITOR2, {**PROCEDURE, "title": "Bản hai"}, nid)
    assert revisions(store, nid) == [(1, "approved", "hoa"), (2, "superseded", "lan"),
                                     (3, "draft", "minh")]
    # And an approver's own edit replaces what waits, live at once
    save(store, ADMIN, {**PROCEDURE, "title": "Bản của quản trị"}, nid)
    n, body = notice(store, nid)
    assert body["title"] == "Bản của quản trị" and body["pending"] is None


def test_restore_goes_to_review_for_an_editor_and_live_for_an_approver(store):
    nid, _ = save(store, APPROVER, PROCEDURE)
    save(store, APPROVER, {**PROCEDURE, "title": "Tên mới"}, nid)
    by_editor, events = perform(store, EDITOR, uc.restore_revision, nid, 1, now=at(1))
    assert by_editor["pending"]["status"] == "review" and events == []
    assert notice(store, nid)[1]["title"] == "Tên mới"
    by_approver, events = perform(store, APPROVER, uc.restore_revision, nid, 1, now=at(2))
    assert by_approver["pending"] is None and events == [NoticeChanged(nid)]
    assert notice(store, nid)[1]["title"] == "Đăng ký khai sinh"
    assert ("lan", "notice.restore") in actions(store, nid)
    assert actions(store, nid)[-1] == ("hoa", "notice.restore")


def test_a_stale_save_is_refused(store):
    nid, _ = save(store, APPROVER, PROCEDURE)
    save(store, EDITOR, {**PROCEDURE, "title": "Bản một"}, nid)
    with pytest.raises(Conflict) as stale_version:
        save(store, APPROVER, {**PROCEDURE, "version": 0}, nid)
    assert stale_version.value.code == "version_conflict"
    with pytest.raises(Conflict) as stale_pending:
        save(store, EDITOR2, {**PROCEDURE, "version": 1, "pending": None}, nid)
    assert stale_pending.value.code == "version_conflict"
    save(store, EDITOR2, {**PROCEDURE, "version": 1, "pending": {"number": 2}}, nid)


def test_the_kind_of_a_notice_cannot_change_and_invalid_records_are_refused(store):
    nid, _ = save(store, EDITOR, PROCEDURE)
    with pytest.raises(Invalid) as changed:
        save(store, EDITOR, {"kind": "law", "title": "Luật", "body": "Nội dung."}, nid)
    assert "không đổi được loại" in changed.value.fields[0].text()
    with pytest.raises(Invalid) as empty:
        save(store, EDITOR, {**PROCEDURE, "documents": []}, nid)
    assert "Thành phần hồ sơ: phải có ít nhất 1 mục." in empty.value.fields[0].text()


def test_a_code_is_checked_on_save_and_again_on_approval(store):
    first, _ = save(store, APPROVER, PROCEDURE)
    other, _ = save(store, APPROVER, {**PROCEDURE, "code": "1.000002"})
    with pytest.raises(Conflict):
        save(store, EDITOR, PROCEDURE, other)
    # Given a change to a free code waiting, and then the first notice taking that code
    save(store, EDITOR, {**PROCEDURE, "code": "1.000009"}, other, submit=True)
    save(store, APPROVER, {**PROCEDURE, "code": "1.000009"}, first)
    # Then the waiting change cannot be approved
    with pytest.raises(Conflict) as clash:
        perform(store, APPROVER, uc.approve_notice, other, now=at(1))
    assert "1.000009" in str(clash.value) and clash.value.extra == {"field": "code"}


def test_a_notice_loaded_without_history_gets_one_on_its_first_change(store):
    # Given a notice written straight into the store (as the content import once did)
    with store.write() as session:
        n = Notice(created_at=T0, updated_at=T0, status="approved", version=1)
        workflow.apply_record(n, parse_notice(PROCEDURE))
        session.add(n)
        session.flush()
        nid = n.id
    save(store, EDITOR, {**PROCEDURE, "title": "Sửa"}, nid)
    with store.read() as session:
        history = [(r.number, r.status, r.author, r.record["title"])
                   for r in workflow.revisions(session, nid)]
    assert history == [(1, "approved", "system", "Đăng ký khai sinh"), (2, "draft", "lan", "Sửa")]


def test_lists_filter_by_status_field_and_zone(store):
    zone(store, "tang-2", "Tầng 2")
    live, _ = save(store, APPROVER, {**PROCEDURE, "zones": ["tang-2"]})
    waiting, _ = save(store, APPROVER, {**PROCEDURE, "code": "2.000001", "field": "Chứng thực",
                                        "title": "Chứng thực bản sao"})
    save(store, EDITOR, {**PROCEDURE, "code": "2.000001", "field": "Chứng thực",
                         "title": "Chứng thực bản sao từ bản chính"}, waiting, submit=True)
    draft, _ = save(store, EDITOR, {"kind": "law", "title": "Phòng cháy", "body": "Nội dung."})

    def ids(**kw):
        with store.read() as session:
            return sorted(n.id for n in workflow.list_notices(session, **kw)[0])

    assert ids(status="approved") == sorted([live, waiting])
    assert ids(status="review") == [waiting]
    assert ids(status="draft") == [draft]
    assert ids(field="Chứng thực") == [waiting]
    assert ids(zone="tang-2") == [live]
    assert ids(q="khai sinh") == [live]
    with store.read() as session:
        assert workflow.count_in_review(session) == 1
        assert [n.id for n, _ in workflow.review_queue(session)] == [waiting]
        assert workflow.fields_in_use(session) == ["Chứng thực", "Hộ tịch"]


def test_an_editor_may_delete_a_draft_but_not_what_is_on_the_screens(store):
    live, _ = save(store, APPROVER, PROCEDURE)
    draft, _ = save(store, EDITOR, {**PROCEDURE, "code": "3.0"})
    with pytest.raises(Forbidden, match="phê duyệt"):
        perform(store, EDITOR, uc.delete_notice, live)
    _, events = perform(store, EDITOR, uc.delete_notice, draft)
    assert events == []   # on no playlist
    _, events = perform(store, APPROVER, uc.delete_notice, live)
    with store.read() as session:
        assert session.get(Notice, live) is None and session.get(Notice, draft) is None
    assert actions(store, draft)[-1] == ("lan", "notice.delete")


def test_every_step_is_in_the_audit_log_with_its_revision(store):
    nid, _ = save(store, EDITOR, PROCEDURE, submit=True)
    perform(store, APPROVER, uc.approve_notice, nid, now=at(1))
    with store.read() as session:
        entries = find_entries(session, AuditQuery(target=f"notice:{nid}"))[0]
        submitted = next(e for e in entries if e.action == "notice.submit")
        assert submitted.details == {"revision": 1} and submitted.ip == "10.0.0.5"
        published = next(e for e in entries if e.action == "notice.publish")
        assert published.details == {"revision": 1, "version": 2}
        assert session.scalar(select(Notice.status).where(Notice.id == nid)) == "approved"
