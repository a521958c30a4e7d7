"""The approval rules (signage.notices.workflow) on a real store: who puts what on the glass."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from signage.accounts.audit import AuditQuery, find_entries
from signage.notices import workflow
from signage.notices.schema import NoticeInvalid, parse_notice
from signage.notices.service import NoticeConflict, apply_record
from signage.notices.workflow import Staff, WorkflowError
from signage.playlists import service as playlists
from signage.store import Store
from signage.store.migrate import upgrade
from signage.store.models import Notice

EDITOR = Staff("lan", "editor", "10.0.0.5")
EDITOR2 = Staff("minh", "editor")
APPROVER = Staff("hoa", "approver")
ADMIN = Staff("quantri", "admin")
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


def save(store, staff, data, notice_id=None, **kw):
    with store.write() as session:
        outcome = workflow.save(session, notice_id, data, staff, kw.pop("now", T0), **kw)
        return outcome.notice.id, outcome


def notice(store, notice_id):
    with store.read() as session:
        n = session.get(Notice, notice_id)
        return n, workflow.notice_json(session, n)


def lobby_playlist(store, notice_id):
    """Ids of the notices the lobby zone's screens would show."""
    with store.write() as session:
        zone = playlists.ensure_zone(session, playlists.DEFAULT_ZONE)
        return [s.notice["id"] for s in playlists.playlist(session, zone)]


def actions(store, notice_id):
    with store.read() as session:
        entries = find_entries(session, AuditQuery(target=f"notice:{notice_id}"))[0]
        return [(e.actor, e.action) for e in reversed(entries)]


def test_an_approvers_save_is_live_at_once(store):
    nid, outcome = save(store, APPROVER, PROCEDURE, zones=None)
    assert outcome.live_changed and outcome.went_live
    n, body = notice(store, nid)
    assert n.status == "approved" and n.version == 1 and body["pending"] is None
    assert body["title"] == "Đăng ký khai sinh"
    assert outcome.revision.number == 1 and outcome.revision.status == "approved"
    assert actions(store, nid) == [("hoa", "notice.create"), ("hoa", "notice.publish")]


def test_an_editors_new_notice_is_a_draft_no_screen_shows(store):
    # Given an editor who creates a notice on the lobby's playlist
    with store.write() as session:
        playlists.ensure_zone(session, playlists.DEFAULT_ZONE)
    nid, outcome = save(store, EDITOR, PROCEDURE, zones=["sanh-chinh"])
    # Then it is a draft, on the playlist but not on the glass
    assert outcome.zones_added == ["sanh-chinh"] and not outcome.live_changed
    n, body = notice(store, nid)
    assert n.status == "draft" and body["pending"]["status"] == "draft"
    assert body["pending"]["author"] == "lan" and body["pending"]["record"]["code"] == "1.000001"
    assert nid not in lobby_playlist(store, nid)
    # When it is submitted and approved, it is
    with store.write() as session:
        workflow.submit(session, nid, EDITOR, at(1))
    assert notice(store, nid)[0].status == "review"
    with store.write() as session:
        approved = workflow.approve(session, nid, APPROVER, at(2))
    assert approved.went_live and approved.live_changed
    assert nid in lobby_playlist(store, nid)
    assert actions(store, nid) == [("lan", "notice.create"), ("lan", "notice.submit"),
                                   ("hoa", "notice.approve"), ("hoa", "notice.publish")]


def test_an_editors_change_waits_in_review_while_the_approved_version_stays_live(store):
    nid, _ = save(store, APPROVER, PROCEDURE)
    # When an editor changes the title and submits
    edited = {**PROCEDURE, "title": "Đăng ký khai sinh (sửa)"}
    _, outcome = save(store, EDITOR, edited, nid, submit=True, now=at(5))
    # Then the live record is the approved one, and the change waits
    assert not outcome.live_changed
    n, body = notice(store, nid)
    assert n.status == "approved" and n.version == 1
    assert body["title"] == "Đăng ký khai sinh"
    assert body["pending"]["status"] == "review" and body["pending"]["number"] == 2
    assert body["pending"]["record"]["title"] == "Đăng ký khai sinh (sửa)"
    # When an approver approves it, it is the live record
    with store.write() as session:
        outcome = workflow.approve(session, nid, APPROVER, at(6), number=2)
    assert outcome.live_changed and not outcome.went_live
    n, body = notice(store, nid)
    assert body["title"] == "Đăng ký khai sinh (sửa)" and n.version == 2
    assert body["pending"] is None


def test_a_rejection_needs_a_reason_and_leaves_the_screens_alone(store):
    nid, _ = save(store, APPROVER, PROCEDURE)
    save(store, EDITOR, {**PROCEDURE, "title": "Tên sai"}, nid, submit=True)
    with store.write() as session, pytest.raises(WorkflowError) as refused:
        workflow.reject(session, nid, APPROVER, "   ", at(1))
    assert refused.value.code == "reason_required" and refused.value.status == 422
    assert "lý do" in refused.value.message
    with store.write() as session:
        workflow.reject(session, nid, APPROVER, "Tên thủ tục không đúng\n với Cổng DVC.", at(2))
    n, body = notice(store, nid)
    assert n.status == "approved" and body["title"] == "Đăng ký khai sinh"
    assert body["pending"]["status"] == "rejected"
    assert body["pending"]["reason"] == "Tên thủ tục không đúng với Cổng DVC."
    assert body["pending"]["decided_by"] == "hoa"
    # Sent again unchanged, it is a new revision in review; the rejection stays as it was
    with store.write() as session:
        again = workflow.submit(session, nid, EDITOR, at(3))
    assert again.revision.number == 3 and again.revision.status == "review"
    with store.read() as session:
        assert workflow.get_revision(session, nid, 2).status == "rejected"


def test_a_never_approved_notice_that_is_rejected_says_so(store):
    nid, _ = save(store, EDITOR, PROCEDURE, submit=True)
    with store.write() as session:
        workflow.reject(session, nid, APPROVER, "Thiếu căn cứ pháp lý.", at(1))
    assert notice(store, nid)[0].status == "rejected"


def test_only_an_approver_approves_and_only_what_is_in_review(store):
    nid, _ = save(store, EDITOR, PROCEDURE)
    with store.write() as session, pytest.raises(WorkflowError) as refused:
        workflow.approve(session, nid, EDITOR, at(1))
    assert refused.value.status == 403
    with store.write() as session, pytest.raises(WorkflowError) as draft:
        workflow.approve(session, nid, APPROVER, at(1))
    assert draft.value.code == "invalid_state" and "chờ duyệt" in draft.value.message
    save(store, EDITOR, PROCEDURE, nid)  # revision 2 supersedes 1
    with store.write() as session, pytest.raises(WorkflowError) as wrong:
        workflow.submit(session, nid, EDITOR, at(1), number=1)
    assert wrong.value.code == "not_pending"


def test_asking_for_a_revision_that_does_not_exist_is_not_found(store):
    nid, _ = save(store, EDITOR, PROCEDURE, submit=True)
    with store.write() as session, pytest.raises(workflow.RevisionNotFound):
        workflow.approve(session, nid, APPROVER, at(1), number=9)


def test_a_newer_save_supersedes_the_open_draft(store):
    nid, _ = save(store, APPROVER, PROCEDURE)
    save(store, EDITOR, {**PROCEDURE, "title": "Bản một"}, nid, submit=True)
    save(store, EDITOR2, {**PROCEDURE, "title": "Bản hai"}, nid)
    with store.read() as session:
        states = [(r.number, r.status, r.author) for r in workflow.revisions(session, nid)]
    assert states == [(1, "approved", "hoa"), (2, "superseded", "lan"), (3, "draft", "minh")]
    # And an approver's own edit replaces what waits, live at once
    save(store, ADMIN, {**PROCEDURE, "title": "Bản của quản trị"}, nid)
    n, body = notice(store, nid)
    assert body["title"] == "Bản của quản trị" and body["pending"] is None


def test_restore_goes_to_review_for_an_editor_and_live_for_an_approver(store):
    nid, _ = save(store, APPROVER, PROCEDURE)
    save(store, APPROVER, {**PROCEDURE, "title": "Tên mới"}, nid)
    with store.write() as session:
        by_editor = workflow.restore(session, nid, 1, EDITOR, at(1))
    assert by_editor.revision.status == "review" and not by_editor.live_changed
    assert notice(store, nid)[1]["title"] == "Tên mới"
    with store.write() as session:
        by_approver = workflow.restore(session, nid, 1, APPROVER, at(2))
    assert by_approver.revision.status == "approved" and by_approver.live_changed
    assert notice(store, nid)[1]["title"] == "Đăng ký khai sinh"
    assert ("lan", "notice.restore") in actions(store, nid)
    assert actions(store, nid)[-1] == ("hoa", "notice.restore")


def test_a_stale_save_is_refused(store):
    nid, _ = save(store, APPROVER, PROCEDURE)
    save(store, EDITOR, {**PROCEDURE, "title": "Bản một"}, nid)
    with pytest.raises(WorkflowError) as stale_version:
        save(store, APPROVER, PROCEDURE, nid, expected_version=0)
    assert stale_version.value.code == "version_conflict"
    with pytest.raises(WorkflowError) as stale_pending:
        save(store, EDITOR2, PROCEDURE, nid, expected_version=1, expected_pending=None)
    assert stale_pending.value.code == "version_conflict"
    save(store, EDITOR2, PROCEDURE, nid, expected_version=1, expected_pending={"number": 2})


def test_the_kind_of_a_notice_cannot_change_and_invalid_records_are_refused(store):
    nid, _ = save(store, EDITOR, PROCEDURE)
    with pytest.raises(NoticeInvalid) as changed:
        save(store, EDITOR, {"kind": "law", "title": "Luật", "body": "Nội dung."}, nid)
    assert "không đổi được loại" in changed.value.problems[0]["message"]
    with pytest.raises(NoticeInvalid) as empty:
        save(store, EDITOR, {**PROCEDURE, "documents": []}, nid)
    assert "Thành phần hồ sơ: phải có ít nhất 1 mục." in empty.value.problems[0]["message"]


def test_a_code_is_checked_on_save_and_again_on_approval(store):
    first, _ = save(store, APPROVER, PROCEDURE)
    other, _ = save(store, APPROVER, {**PROCEDURE, "code": "1.000002"})
    with pytest.raises(NoticeConflict):
        save(store, EDITOR, PROCEDURE, other)
    # Given a change to a free code waiting, and then the first notice taking that code
    save(store, EDITOR, {**PROCEDURE, "code": "1.000009"}, other, submit=True)
    save(store, APPROVER, {**PROCEDURE, "code": "1.000009"}, first)
    # Then the waiting change cannot be approved
    with store.write() as session, pytest.raises(NoticeConflict) as clash:
        workflow.approve(session, other, APPROVER, at(1))
    assert "1.000009" in clash.value.message


def test_a_notice_loaded_without_history_gets_one_on_its_first_change(store):
    # Given a notice written straight into the store (as the content import does)
    with store.write() as session:
        n = Notice(created_at=T0, updated_at=T0, status="approved", version=1)
        apply_record(n, parse_notice(PROCEDURE))
        session.add(n)
        session.flush()
        nid = n.id
    save(store, EDITOR, {**PROCEDURE, "title": "Sửa"}, nid)
    with store.read() as session:
        history = [(r.number, r.status, r.author, r.record["title"])
                   for r in workflow.revisions(session, nid)]
    assert history == [(1, "approved", "system", "Đăng ký khai sinh"), (2, "draft", "lan", "Sửa")]


def test_lists_filter_by_status_field_and_zone(store):
    with store.write() as session:
        playlists.ensure_zone(session, "tang-2", "Tầng 2")
    live, _ = save(store, APPROVER, PROCEDURE, zones=["tang-2"])
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
    with store.read() as session:
        assert not workflow.may_delete(session.get(Notice, live), EDITOR)
        assert workflow.may_delete(session.get(Notice, draft), EDITOR)
        assert workflow.may_delete(session.get(Notice, live), APPROVER)


def test_every_step_is_in_the_audit_log_with_its_revision(store):
    nid, _ = save(store, EDITOR, PROCEDURE, submit=True)
    with store.write() as session:
        workflow.approve(session, nid, APPROVER, at(1))
    with store.read() as session:
        entries = find_entries(session, AuditQuery(target=f"notice:{nid}"))[0]
        submitted = next(e for e in entries if e.action == "notice.submit")
        assert submitted.details == {"revision": 1} and submitted.ip == "10.0.0.5"
        published = next(e for e in entries if e.action == "notice.publish")
        assert published.details == {"revision": 1, "version": 2}
        assert session.scalar(select(Notice.status).where(Notice.id == nid)) == "approved"
