"""In Debian's Chromium: every shipped notice opened in its /admin form and saved without a
change ("Lưu và đăng lên màn hình", the page's own script collecting the form) is stored
exactly as it was, every field, every kind."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-rat-dai"
NAME = "duyet.vongtron"
STATE = ("status", "version", "updated_at", "pending")


def record_of(notice: dict) -> dict:
    return {k: v for k, v in notice.items() if k not in STATE}


def test_every_shipped_notice_saved_unchanged_in_the_browser_is_stored_unchanged(live_server,
                                                                                browser_page):
    # Given every shipped notice as the API reads it
    live_server.cli("users", "add", NAME, "--role", "approver", "--password-stdin",
                    input=PASSWORD + "\n")
    status, listed = live_server.request("GET", "/api/v1/notices?limit=500")
    assert status == 200 and listed["total"] >= 25
    before = {n["id"]: record_of(live_server.request("GET", f"/api/v1/notices/{n['id']}")[1])
              for n in listed["items"]}
    assert {r["kind"] for r in before.values()} == {"procedure", "law", "results"}

    # When an approver opens each in its form and saves it, touching nothing
    page = browser_page
    page.goto(f"{live_server.base}/admin/login")
    page.fill("input[name=name]", NAME)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("h1:has-text('Tổng quan')")
    for notice_id in before:
        page.goto(f"{live_server.base}/admin/notices/{notice_id}")
        page.wait_for_load_state("load")
        page.click("[data-test=publish]")
        page.wait_for_url(f"**/admin/notices/{notice_id}?saved=approved", timeout=15_000)

    # Then each is stored exactly as it was, and it is a new version on the screens
    for notice_id, record in before.items():
        status, after = live_server.request("GET", f"/api/v1/notices/{notice_id}")
        assert status == 200
        assert record_of(after) == record, notice_id
        assert after["version"] >= 2 and after["pending"] is None
