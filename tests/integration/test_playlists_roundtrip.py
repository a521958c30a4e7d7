"""The playlist editor's round trip: what it reads (GET …/playlist/entries) saved back
unchanged, as its script saves it, stores the same playlist — entries, order, durations,
every kind of schedule, and an entry whose notice waits for approval — and changes
nothing at all (no audit entry, nothing sent to the screens)."""

from __future__ import annotations

from sqlalchemy import text

from signage.usecases import Actor
from signage.usecases.notices import create_notice
from signage.usecases.playlists import replace_playlist
from tests.conftest import staff_client
from tests.formpage import page_json

PASSWORD = "mat-khau-rat-dai"
# What the script sends per entry (signage/static/admin-playlists.js, save()).
SENT = ("notice_id", "duration", "starts_on", "ends_on", "weekdays", "windows", "priority")


def adopt(slide: dict) -> dict:
    """An entry as the script keeps it (adopt()) and sends it back."""
    return {"notice_id": slide["notice_id"], "duration": slide["duration"],
            "starts_on": slide["starts_on"] or None, "ends_on": slide["ends_on"] or None,
            "weekdays": slide["weekdays"] or None, "windows": slide["windows"] or None,
            "priority": slide["priority"] or 0}


def stored(lobby) -> tuple[list, int]:
    """The slides table as it is (ids included) and how many audit entries there are."""
    with lobby.store.read() as session:
        slides = [tuple(r) for r in session.execute(text("SELECT * FROM slides ORDER BY id"))]
        audits = session.execute(text("SELECT count(*) FROM audit_entries")).scalar_one()
    return slides, audits


def test_the_editor_saves_back_what_it_read_and_the_same_playlist_is_stored(app, lobby):
    # Given the lobby's playlist with every kind of schedule and a notice awaiting approval
    draft = lobby.perform(create_notice, Actor("lan", "editor"), {
        "kind": "law", "title": "Tin chờ duyệt", "body": "Nội dung.", "zones": ["sanh-chinh"]})
    entries = lobby.query(lambda s: [dict(r._mapping) for r in s.execute(text(
        "SELECT notice_id, duration_s FROM slides ORDER BY position"))])
    slides = [{"notice_id": e["notice_id"], "duration": e["duration_s"]} for e in entries]
    slides[0].update(starts_on="2026-12-01", ends_on="2026-12-31", weekdays=[1, 2, 3, 4, 5],
                     windows=[["07:30", "11:30"], ["13:30", "17:00"]], priority=5)
    slides[1].update(weekdays=[6, 7])
    slides[2].update(windows=[["11:30", "13:30"]], priority=-2)
    slides[3].update(ends_on="2027-01-15")
    lobby.perform(replace_playlist, Actor("lan", "editor"), "sanh-chinh", {"slides": slides})
    before = stored(lobby)

    # When the editor opens the page, reads the entries and saves them back unchanged
    editor = staff_client(app, lobby, "editor-pl", "editor")
    api = page_json(editor.get("/admin/playlists/sanh-chinh").text, "page-data")["api"]
    read = editor.get(api["entries"]).json
    assert read["slides"][-1]["notice_id"] == draft["id"]
    assert read["slides"][-1]["notice_status"] == "draft"
    body = {"slides": [{k: adopt(s)[k] for k in SENT} for s in read["slides"]]}
    saved = editor.put(api["save"], json=body, headers={"X-CSRFToken": editor.csrf})

    # Then the same playlist is stored, nothing was rewritten, and the answer is what GET says
    assert saved.status_code == 200, saved.json
    assert stored(lobby)[0] == before[0]
    assert stored(lobby)[1] == before[1] + 1   # only the login
    assert saved.json == editor.get(api["entries"]).json

    # And GET's answer itself, read-only fields and all, is taken back just the same
    again = editor.put(api["save"], json=read, headers={"X-CSRFToken": editor.csrf})
    assert again.status_code == 200 and stored(lobby)[0] == before[0]
