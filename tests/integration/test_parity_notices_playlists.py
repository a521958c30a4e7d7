"""Notices, playlists, office hours and the welcome card: the same change through every
door — the API (bearer token), the /admin pages (as their scripts drive them, with the
session and the CSRF token) and `signage content import` — leaves the same rows and the
same audit entries (tests/parity.py)."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import text

from signage.accounts import add_token, add_user
from tests.formpage import collect, page_json, parse_html
from tests.parity import PASSWORD

NOTICE_TABLES = ["notices", "notice_revisions", "slides"]
PROCEDURE = {"code": "9.300001", "field": "Hộ tịch", "title": "Cấp bản sao trích lục khai tử",
             "documents": [{"name": "Tờ khai", "quantity": 1, "copy": "either",
                            "required": True, "note": ""}],
             "channels": [{"channel": "truc_tiep", "deadline": "Trong ngày", "fee": "8.000 đồng",
                           "note": ""}]}


class Staff:
    """One staff member in a door: a bearer token and a logged-in page session."""

    def __init__(self, door, name: str, role: str) -> None:
        with door.lobby.store.write() as session:
            add_user(session, name, role, PASSWORD, door.clock.now())
            self.bearer = {"Authorization": f"Bearer {add_token(session, name, 'p', door.clock.now())}"}
        self.page = door.app.test_client()
        login = self.page.get("/admin/login").text
        self.page.post("/admin/login", data={
            "name": name, "password": PASSWORD,
            "csrf_token": re.search(r'name="csrf-token" content="([^"]+)"', login)[1]})
        self.csrf = {"X-CSRFToken": re.search(r'name="csrf-token" content="([^"]+)"',
                                              self.page.get("/admin/").text)[1]}

    def api(self, method: str, path: str, body=None):
        response = self.page.open(path, method=method, json=body, headers=self.bearer)
        assert response.status_code < 300, (method, path, response.json)
        return response.json

    def script(self, method: str, path: str, body=None):
        """A call as the page's script makes it: the session cookie and the CSRF header."""
        response = self.page.open(path, method=method, json=body, headers=self.csrf)
        assert response.status_code < 300, (method, path, response.json)
        return response.json


def fill(record: dict, values: dict) -> dict:
    """What typing `values` into the form's fields and rows does to what it collects."""
    out = dict(record)
    for key, value in values.items():
        if isinstance(value, list):
            blank = (record.get(key) or [{}])[0]
            out[key] = [{**blank, **row} for row in value]
        else:
            out[key] = value
    return out


def review_button(staff: Staff, notice_id: int, which: str) -> tuple[str, dict]:
    """The review page's approve / reject button: where it posts and the revision it names."""
    page = parse_html(staff.page.get(f"/admin/notices/{notice_id}/review").text)
    button = page.find("data-test", which)
    return button.attrs["data-api-action"], {"revision": int(button.attrs["data-revision"])}


def test_the_notice_workflow_is_the_same_through_the_api_and_the_pages(parity):
    def api(d):
        lan, hoa = Staff(d, "lan", "editor"), Staff(d, "hoa", "approver")
        draft = lan.api("POST", "/api/v1/notices",
                        {"kind": "procedure", **PROCEDURE, "zones": ["sanh-chinh"]})
        nid = draft["id"]
        lan.api("PUT", f"/api/v1/notices/{nid}?submit=true", draft)
        hoa.api("POST", f"/api/v1/notices/{nid}/reject", {"revision": 2, "reason": "Thiếu phí."})
        read = lan.api("GET", f"/api/v1/notices/{nid}")
        lan.api("PUT", f"/api/v1/notices/{nid}?submit=true",
                {**read["pending"]["record"], "version": read["version"],
                 "pending": {"number": read["pending"]["number"]},
                 "channels": [{**PROCEDURE["channels"][0], "fee": "8.000 đồng/bản"}]})
        hoa.api("POST", f"/api/v1/notices/{nid}/approve", {"revision": 3})
        live = hoa.api("GET", f"/api/v1/notices/{nid}")
        hoa.api("PUT", f"/api/v1/notices/{nid}", {**live, "title": PROCEDURE["title"] + " (sửa)"})

    def pages(d):
        lan, hoa = Staff(d, "lan", "editor"), Staff(d, "hoa", "approver")
        # The editor fills the new-procedure form, ticks the zone, "Lưu nháp"
        page = lan.page.get("/admin/notices/new?kind=procedure").text
        record, data = collect(page)
        draft = lan.script("POST", data["api"],
                           {**fill(record, PROCEDURE), "zones": ["sanh-chinh"]})
        nid = draft["id"]
        # … opens it again and "Lưu và gửi duyệt"
        record, data = collect(lan.page.get(f"/admin/notices/{nid}").text)
        lan.script("PUT", f"{data['api']}/{nid}?submit=true",
                   {**record, "version": data["version"], "pending": data["pending"]})
        # The approver sends it back from the review page, with a reason
        action, body = review_button(hoa, nid, "reject")
        hoa.script("POST", action, {**body, "reason": "Thiếu phí."})
        # The editor changes the fee on the form and sends it again
        record, data = collect(lan.page.get(f"/admin/notices/{nid}").text)
        record["channels"][0]["fee"] = "8.000 đồng/bản"
        lan.script("PUT", f"{data['api']}/{nid}?submit=true",
                   {**record, "version": data["version"], "pending": data["pending"]})
        # The approver approves it from the review page, then corrects the title live
        action, body = review_button(hoa, nid, "approve")
        hoa.script("POST", action, body)
        record, data = collect(hoa.page.get(f"/admin/notices/{nid}").text)
        hoa.script("PUT", f"{data['api']}/{nid}",
                   {**record, "title": PROCEDURE["title"] + " (sửa)", "version": data["version"],
                    "pending": data["pending"]})

    results = parity({"api": api, "pages": pages}, tables=NOTICE_TABLES)
    results.assert_same()
    assert [a for a, _, _ in results["api"]["audit"]] == [
        "notice.create", "notice.update", "notice.submit", "notice.reject", "notice.update",
        "notice.submit", "notice.approve", "notice.publish", "notice.update", "notice.publish"]
    revisions = results["pages"]["state"]["notice_revisions"][-4:]
    assert [(r["number"], r["status"], r["author"]) for r in revisions] == [
        (1, "superseded", "lan"), (2, "rejected", "lan"), (3, "approved", "lan"),
        (4, "approved", "hoa")]


def content_folder(root: Path, site: str) -> str:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(site, encoding="utf-8")
    return str(root)


def shipped_codes(d) -> list[tuple[int, str]]:
    with d.lobby.store.read() as session:
        return [tuple(r) for r in session.execute(text(
            "SELECT id, code FROM notices WHERE kind = 'procedure' ORDER BY id LIMIT 2"))]


def test_replacing_a_playlist_is_the_same_through_the_api_the_page_and_content_import(parity):
    def slides(d):
        (a, _), (b, _) = shipped_codes(d)
        return [{"notice_id": b, "duration": 20, "weekdays": [1, 2, 3, 4, 5],
                 "windows": [["07:30", "11:30"]], "priority": 3},
                {"notice_id": a, "duration": 12, "starts_on": "2026-12-01",
                 "ends_on": "2026-12-31"}]

    def api(d):
        Staff(d, "hoa", "approver").api("PUT", "/api/v1/zones/sanh-chinh/playlist",
                                        {"slides": slides(d)})

    def page(d):
        lan = Staff(d, "hoa", "approver")
        api = page_json(lan.page.get("/admin/playlists/sanh-chinh").text, "page-data")["api"]
        lan.script("PUT", api["save"], {"slides": slides(d)})

    def content(d):
        (_, a), (_, b) = shipped_codes(d)
        folder = content_folder(d.data_dir.parent / f"site-{d.name}", f"""
zones:
  - slug: sanh-chinh
    name: Sảnh chính
    playlist:
      - procedure: "{b}"
        duration: 20
        weekdays: [1, 2, 3, 4, 5]
        windows: [[07:30, 11:30]]
        priority: 3
      - procedure: "{a}"
        duration: 12
        starts_on: 2026-12-01
        ends_on: 2026-12-31
""")
        result = d.cli("content", "import", folder)
        assert result.exit_code == 0, result.output

    results = parity({"api": api, "page": page, "content": content},
                     tables=["slides", "zones", "notices", "notice_revisions"])
    results.assert_same()
    [(action, target, details)] = results["api"]["audit"]
    assert (action, target) == ("notice.schedule", "zone:sanh-chinh")
    assert details["slides"][0]["windows"] == [["07:30", "11:30"]]


def test_office_hours_and_the_welcome_card_are_the_same_through_every_door(parity):
    hours = {"1": [["07:30", "11:30"], ["13:30", "17:00"]], "6": [["07:30", "11:30"]]}

    def api(d):
        admin = Staff(d, "quantri2", "admin")
        admin.api("PATCH", "/api/v1/office", {"welcome_title": "Kính chào quý khách"})
        admin.api("PUT", "/api/v1/office-hours", {"hours": hours})

    def page(d):
        admin = Staff(d, "quantri2", "admin")
        assert admin.page.get("/admin/office-hours").status_code == 200
        admin.script("PATCH", "/api/v1/office", {"welcome_title": "Kính chào quý khách",
                                                 "welcome_text": ""})
        admin.script("PUT", "/api/v1/office-hours", {"hours": hours})

    def content(d):
        folder = content_folder(d.data_dir.parent / f"site-{d.name}", """
office:
  welcome_title: Kính chào quý khách
office_hours:
  1: [[07:30, 11:30], [13:30, 17:00]]
  6: [["07:30", "11:30"]]
zones: []
""")
        result = d.cli("content", "import", folder)
        assert result.exit_code == 0, result.output

    results = parity({"api": api, "page": page, "content": content}, tables=["settings"])
    results.assert_same()
    assert results["content"]["audit"] == [
        ("office.update", "office", {"welcome_title": {"from": "Kính chào quý công dân",
                                                       "to": "Kính chào quý khách"}}),
        ("office.hours", "office", {"from": None, "to": hours})]
