"""The notice editor in Debian's Chromium: an editor writes a procedure and sees it on a
TV-sized preview, submits it; an approver approves it; a connected screen shows it.
Also who may not: an editor cannot approve, a write without the CSRF token is refused,
an anonymous one too."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-rat-dai"
EDITOR, APPROVER = "bientap.vien", "duyet.vien"
ZONE = "sanh-duyet"
TITLE = "Cấp bản sao trích lục khai tử"


@pytest.fixture(scope="module")
def staff(live_server) -> dict[str, str]:
    for name, role in ((EDITOR, "editor"), (APPROVER, "approver")):
        live_server.cli("users", "add", name, "--role", role, "--password-stdin",
                        input=PASSWORD + "\n")
    return {"editor": EDITOR, "approver": APPROVER}


def log_in(page, base: str, name: str) -> None:
    page.goto(f"{base}/admin/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("h1:has-text('Tổng quan')")


def shot(page, folder: Path, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(folder / f"admin-{name}.png"), full_page=full_page)


def preview_text(page, orientation: str = "landscape") -> str:
    return page.frame_locator(f"iframe[data-frame={orientation}]").locator("#slides").inner_text()


def wait_for_preview(page, *texts: str, orientation: str = "landscape") -> None:
    frame = page.frame_locator(f"iframe[data-frame={orientation}]")
    for text in texts:
        frame.locator("#slides", has_text=text).wait_for(timeout=10_000)


def api_status(page, method: str, path: str, body=None, csrf: bool = True) -> dict:
    """A fetch from the page, as its script would make it (session cookie, CSRF header)."""
    return page.evaluate("""async ([method, path, body, csrf]) => {
        const headers = {"Accept": "application/json", "Content-Type": "application/json"};
        if (csrf) headers["X-CSRFToken"] = document.querySelector('meta[name="csrf-token"]').content;
        const r = await fetch(path, {method, headers, credentials: "same-origin",
                                     body: body === null ? undefined : JSON.stringify(body)});
        let data = null; try { data = await r.json(); } catch (e) {}
        return {status: r.status, code: data && data.error ? data.error.code : null};
    }""", [method, path, body, csrf])


def test_an_editor_writes_previews_submits_and_an_approved_procedure_reaches_the_screen(
        live_server, staff, browser, browser_page, screenshot_dir):
    base = live_server.base
    key = live_server.add_screens("TV sảnh duyệt", zone=ZONE)[0]
    tv_context = browser.new_context(viewport={"width": 1280, "height": 720})
    tv = tv_context.new_page()
    tv.goto(f"{base}/screen/{key}")
    tv.wait_for_function("document.querySelector('#link-state').dataset.state === 'online'")

    # Given an editor who opens a new procedure form
    page = browser_page
    log_in(page, base, EDITOR)
    page.click("nav.mainnav >> text=Thông báo")
    page.click("[data-test=new-procedure]")
    page.wait_for_selector("h1:has-text('Thêm thủ tục hành chính')")

    # When they fill it in: two dossier items, a channel, the zone
    page.fill("[data-field=code]", "9.200001")
    page.fill("[data-field=field]", "Hộ tịch")
    page.fill("[data-field=title]", TITLE)
    docs = page.locator("[data-group=documents]")
    docs.locator("[data-row] [data-key=name]").nth(0).fill("Tờ khai cấp bản sao trích lục")
    docs.locator("[data-action=add]").click()
    docs.locator("[data-row] [data-key=name]").nth(1).fill("Giấy ủy quyền nếu nhờ người khác nộp")
    docs.locator("[data-row] [data-key=required]").nth(1).uncheck()
    channel = page.locator("[data-group=channels] [data-row]").first
    channel.locator("[data-key=deadline]").fill("Ngay trong ngày làm việc")
    channel.locator("[data-key=fee]").fill("8.000 đồng/bản sao")
    page.check(f"[data-zone][value={ZONE}]")

    # Then the TV-sized preview shows the title and the dossier items as the TV would
    wait_for_preview(page, TITLE, "Tờ khai cấp bản sao trích lục",
                     "Giấy ủy quyền nếu nhờ người khác nộp")
    frame = page.frame_locator("iframe[data-frame=landscape]")
    assert frame.locator(".notice-title").inner_text() == TITLE
    assert frame.locator(".block-documents .unit.doc").count() == 2
    assert page.evaluate("""() => {
        const f = document.querySelector('iframe[data-frame=landscape]');
        return [f.offsetWidth, f.offsetHeight];
    }""") == [1920, 1080]
    page.click("[data-orientation=portrait]")
    wait_for_preview(page, TITLE, orientation="portrait")
    page.click("[data-orientation=landscape]")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, screenshot_dir, "notice-form")

    # When they submit it for approval
    page.click("[data-test=submit]")
    page.wait_for_selector("[data-test=saved]")
    assert "Đã gửi duyệt" in page.inner_text("[data-test=saved]")
    assert "đang chờ duyệt" in page.inner_text("[data-test=pending-banner]")
    notice_id = int(page.url.split("/admin/notices/")[1].split("?")[0])

    # Then no screen shows it yet, and the editor may not approve it (page or API)
    assert TITLE not in tv.inner_text("#slides")
    page.goto(f"{base}/admin/review")
    assert "Không có quyền" in page.inner_text("main")
    assert not page.is_visible("nav.mainnav >> text=Chờ duyệt")
    page.goto(f"{base}/admin/notices/{notice_id}")
    refused = api_status(page, "POST", f"/api/v1/notices/{notice_id}/approve", {})
    assert refused == {"status": 403, "code": "forbidden"}

    # When an approver logs in, finds it waiting, looks at it and approves it
    approver_context = browser.new_context(viewport={"width": 1600, "height": 1000})
    approver = approver_context.new_page()
    try:
        log_in(approver, base, APPROVER)
        assert int(approver.inner_text("[data-test=review-count]")) >= 1
        approver.click("nav.mainnav >> text=Chờ duyệt")
        approver.locator("tr", has_text=TITLE).locator("text=Xem và duyệt").click()
        wait_for_preview(approver, TITLE, "Tờ khai cấp bản sao trích lục")
        assert "Giấy ủy quyền nếu nhờ người khác nộp" in approver.inner_text("[data-test=diff]")
        shot(approver, screenshot_dir, "notice-review")
        t0 = time.monotonic()
        approver.click("[data-test=approve]")
        approver.wait_for_selector("[data-test=queue-empty], h1:has-text('Chờ duyệt')")

        # Then the connected screen of the zone shows it
        tv.wait_for_function(
            "(title) => [...document.querySelectorAll('#slides .notice-title')]"
            ".some(e => e.textContent.includes(title))", arg=TITLE, timeout=5_000)
        print(f"approved notice on the glass after {time.monotonic() - t0:.3f} s (informative)")

        # And a session write without the CSRF token is refused, as is an anonymous one
        no_token = api_status(approver, "POST", f"/api/v1/notices/{notice_id}/approve", {},
                              csrf=False)
        assert no_token == {"status": 400, "code": "csrf_failed"}
    finally:
        approver_context.close()
        tv_context.close()
    anonymous = browser.new_context()
    try:
        stranger = anonymous.new_page()
        stranger.goto(f"{base}/healthz")
        for path in (f"/api/v1/notices/{notice_id}/approve", "/api/v1/notices",
                     f"/api/v1/notices/{notice_id}/reject"):
            assert api_status(stranger, "POST", path, {"reason": "x"}, csrf=False)["status"] == 401
    finally:
        anonymous.close()


def test_the_form_explains_problems_next_to_the_fields_and_reorders_rows(live_server, staff,
                                                                         browser_page,
                                                                         screenshot_dir):
    page = browser_page
    log_in(page, live_server.base, EDITOR)
    page.goto(f"{live_server.base}/admin/notices/new?kind=procedure")

    # When the editor saves an empty form, the schema's messages show at the fields
    page.click("[data-test=save-draft]")
    assert page.inner_text("[data-error-for=code]") == "Mã thủ tục: không được để trống."
    docs = page.locator("[data-group=documents]")
    assert docs.locator("[data-error-key=name]").first.inner_text() == \
        "Thành phần hồ sơ › mục 1 › Tên giấy tờ: không được để trống."
    assert page.get_attribute("[data-field=title]", "aria-invalid") == "true"

    # When a field only the server can judge is wrong, its message comes as they type
    page.fill("[data-field=online_url]", "ftp://dichvucong.gov.vn")
    page.wait_for_selector("[data-error-for=online_url]:not([hidden])")
    assert "phải là địa chỉ web bắt đầu bằng http:// hoặc https://" in \
        page.inner_text("[data-error-for=online_url]")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, screenshot_dir, "notice-problems")

    # Rows move up and down and go away
    steps = page.locator("[data-group=steps]")
    for text in ("Nộp hồ sơ tại Bộ phận một cửa.", "Nhận kết quả."):
        steps.locator("[data-action=add]").click()
        steps.locator("[data-row] [data-key=text]").last.fill(text)
    steps.locator("[data-row]").nth(1).locator("[data-action=up]").click()
    assert [steps.locator("[data-row] [data-key=text]").nth(i).input_value() for i in (0, 1)] == \
        ["Nhận kết quả.", "Nộp hồ sơ tại Bộ phận một cửa."]
    assert steps.locator("[data-row] [data-num]").first.inner_text() == "1"
    page.once("dialog", lambda d: d.accept())
    steps.locator("[data-row]").first.locator("[data-action=remove]").click()
    assert steps.locator("[data-row]").count() == 1


def test_history_shows_a_readable_diff_and_restores_a_version(live_server, staff, browser_page,
                                                              screenshot_dir):
    # Given a law message an approver changed once (through the API)
    status, notice = live_server.request("POST", "/api/v1/notices", {
        "kind": "law", "title": "Phòng cháy trong nhà ở", "slug": f"pccc-{time.monotonic_ns()}",
        "body": "Tắt bếp trước khi ra khỏi nhà.\n\nKhông để xăng dầu gần nguồn lửa."},
        role="approver")
    assert status == 201
    live_server.request("PUT", f"/api/v1/notices/{notice['id']}", {
        **notice, "body": "Tắt bếp và thiết bị điện trước khi ra khỏi nhà.\n\n"
                          "Không để xăng dầu gần nguồn lửa."}, role="approver")

    # When the approver opens the history
    page = browser_page
    log_in(page, live_server.base, APPROVER)
    page.goto(f"{live_server.base}/admin/notices/{notice['id']}/history")
    diff = page.inner_text("[data-test=diff]")
    assert "Nội dung" in diff and "Tắt bếp và thiết bị điện" in diff
    assert page.locator("[data-test=diff] ins").count() >= 1
    shot(page, screenshot_dir, "notice-history")

    # And restores version 1: live at once (an approver's restore)
    page.once("dialog", lambda d: d.accept())
    page.click("[data-test=restore-1]")
    page.wait_for_selector("tr[data-revision='3']")
    _, now = live_server.request("GET", f"/api/v1/notices/{notice['id']}")
    assert now["body"].startswith("Tắt bếp trước khi ra khỏi nhà.") and now["version"] == 3
