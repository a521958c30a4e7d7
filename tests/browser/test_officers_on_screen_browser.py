"""The officers on duty on the lobby screens, in Debian's Chromium: each counter's row
of the queue panel names its officer, and the call overlay says who receives the citizen
(NĐ 118 Điều 9 khoản 8), legibly (≥ 28 px) and inside the panel, in both orientations."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

NAMES = ["Nguyễn Thị Lan", "Trần Văn Bình", "Lê Hoàng Phương Thảo", "Phạm Minh Đức",
         "Võ Thị Ngọc Hân", "Đặng Quốc Khánh"]


@pytest.fixture(scope="module")
def on_duty(live_server):
    _, counters = live_server.request("GET", "/api/v1/counters", role=None)
    for counter, name in zip(counters["items"], NAMES, strict=False):
        status, officer = live_server.request("POST", "/api/v1/officers", {
            "name": name, "title": "Công chức", "field": counter["name"]}, role="admin")
        assert status == 201
        status, _ = live_server.request("POST", f"/api/v1/counters/{counter['id']}/duty",
                                        {"officer_id": officer["id"]}, role="admin")
        assert status == 200
    live_server.request("PUT", "/api/v1/queue/settings", {"overlay_seconds": 30, "repeat": 1},
                        role="admin")
    return counters["items"]


def rows_fit(page, expected: int) -> None:
    """The rows with their officers fit above the panel's footer, at 28 px or more."""
    foot = page.locator("#queue-panel .qp-foot").bounding_box()
    rows = page.locator("#queue-panel .qp-row.has-officer")
    assert rows.count() == expected
    for i in range(rows.count()):
        box = rows.nth(i).bounding_box()
        assert box["y"] + box["height"] <= foot["y"] + 0.5
        size = rows.nth(i).locator(".qp-officer").evaluate("e => getComputedStyle(e).fontSize")
        assert float(size.removesuffix("px")) >= 28


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_the_panel_and_the_call_name_the_officer_on_duty(live_server, on_duty, browser_page,
                                                         screenshot_dir: Path, orientation):
    zone = "sanh-chinh" if orientation == "landscape" else "doc"
    key = live_server.cli("screens", "add", f"TV {orientation}", "--zone", zone,
                          "--create-zone", "--orientation", orientation).split()[-1]
    page = browser_page
    if orientation == "portrait":
        page.set_viewport_size({"width": 1080, "height": 1920})
    page.goto(f"{live_server.base}/screen/{key}")
    page.wait_for_selector("#queue-panel .qp-row.has-officer")
    texts = page.locator("#queue-panel .qp-officer").all_inner_texts()
    # Landscape has room for five such rows (the busiest counters), portrait for six
    expected = 5 if orientation == "landscape" else 6
    assert texts == NAMES[:expected]
    rows_fit(page, expected)
    # When counter 2 calls a citizen, the overlay says who receives them
    live_server.request("POST", "/api/v1/tickets", {"service": "CHUNGTHUC"}, role=None,
                        headers=live_server.kiosk())
    status, _ = live_server.request("POST", f"/api/v1/counters/{on_duty[1]['id']}/call-next",
                                    role="operator")
    assert status == 200
    page.wait_for_selector("#call-overlay .co-officer", state="visible")
    assert "Trần Văn Bình" in page.inner_text("#call-overlay .co-officer")
    page.screenshot(path=str(screenshot_dir / f"screen-officer-call-{orientation}.png"))
    page.locator("#call-overlay").evaluate("e => e.hidden = true")
    page.screenshot(path=str(screenshot_dir / f"screen-officers-{orientation}.png"))
