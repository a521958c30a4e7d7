"""The workflow on the real server: only approved content ever reaches a connected screen."""

from __future__ import annotations

import time

import pytest


def law(title: str, zone: str) -> dict:
    return {"kind": "law", "title": title, "slug": f"duyet-{time.monotonic_ns()}",
            "body": "Nội dung tuyên truyền.", "zones": [zone]}


def titles(message: dict) -> list[str]:
    return [s["title"] for s in message["playlist"]["slides"]]


def test_a_draft_never_reaches_the_glass_and_approval_puts_it_there(live_server, screen):
    tv = screen(live_server.add_screens("Duyệt 1", zone="duyet-a")[0])
    assert tv.snapshot["playlist"]["slides"] == []

    # When an editor creates a notice on the zone and submits it
    status, draft = live_server.request("POST", "/api/v1/notices?submit=true",
                                        law("Bản nháp chưa duyệt", "duyet-a"), role="editor")
    assert status == 201 and draft["status"] == "review"
    # Then nothing reaches the screen
    with pytest.raises(TimeoutError):
        tv.wait_for("playlist.changed", timeout=1)
    entries = live_server.request("GET", "/api/v1/zones/duyet-a/playlist")[1]["slides"]
    assert [e["notice_status"] for e in entries] == ["review"]   # on the playlist, not shown

    # When an approver approves it, the zone's playlist gains it at once
    status, _ = live_server.request("POST", f"/api/v1/notices/{draft['id']}/approve",
                                    role="approver")
    assert status == 200
    changed = tv.wait_for("playlist.changed", timeout=2)
    assert titles(changed) == ["Bản nháp chưa duyệt"]


def test_the_approved_version_stays_on_screen_while_a_change_waits(live_server, screen):
    key = live_server.add_screens("Duyệt 2", zone="duyet-b")[0]
    tv = screen(key)
    status, live = live_server.request("POST", "/api/v1/notices",
                                       law("Bản đã duyệt", "duyet-b"), role="approver")
    assert status == 201
    assert titles(tv.wait_for("playlist.changed")) == ["Bản đã duyệt"]

    # When an editor changes it and submits, and the approver rejects, nothing moves
    status, _ = live_server.request("PUT", f"/api/v1/notices/{live['id']}?submit=true",
                                    {**live, "title": "Bản sửa chờ duyệt"}, role="editor")
    assert status == 200
    status, _ = live_server.request("POST", f"/api/v1/notices/{live['id']}/reject",
                                    {"reason": "Chưa đúng."}, role="approver")
    assert status == 200
    with pytest.raises(TimeoutError):
        tv.wait_for("notice.updated", timeout=1)
    # (a screen connecting now gets the approved version too)
    assert "Bản đã duyệt" in screen(key).snapshot["playlist"]["slides"][0]["html"]

    # When the editor sends it again and the approver approves, the screen has it within 1 s
    live_server.request("POST", f"/api/v1/notices/{live['id']}/submit", role="editor")
    t0 = time.monotonic()
    status, _ = live_server.request("POST", f"/api/v1/notices/{live['id']}/approve",
                                    role="approver")
    assert status == 200
    updated = tv.wait_for("notice.updated", timeout=2)
    print(f"approval on the glass after {time.monotonic() - t0:.3f} s (informative)")
    assert updated["notice_id"] == live["id"]
    assert "Bản sửa chờ duyệt" in updated["slides"][0]["html"]
