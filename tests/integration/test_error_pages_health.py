"""The pages a person sees when something is refused (staff and public), and /healthz."""

from __future__ import annotations

import re

from signage.accounts import add_user

PASSWORD = "mat-khau-rat-dai"


def test_a_refusal_outside_admin_is_a_standalone_vietnamese_page(app):
    from signage.web.problems import error_page

    with app.test_request_context("/kiosk", headers={"Accept": "text/html"}):
        html, status, headers = error_page(503, "Máy in phiếu đang tắt.")
    assert status == 503
    # Its only style is inline, allowed by its hash (the page loads nothing).
    assert "style-src 'sha256-" in headers["Content-Security-Policy"]
    assert '<html lang="vi">' in html and "Dịch vụ tạm thời gián đoạn" in html
    assert "Máy in phiếu đang tắt." in html and "Vui lòng thử lại sau ít phút" in html
    # Nothing to load: it must show even when static files or the database are what failed.
    assert not re.search(r"<(link|script|img)\b|src=|url\(", html)


def test_an_unknown_user_is_a_404_page_in_the_staff_language(app, client, lobby):
    with lobby.store.write() as session:
        add_user(session, "quantri", "admin", PASSWORD, lobby.clock.now())
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/admin/login").text)[1]
    client.post("/admin/language", data={"lang": "en", "next": "/admin/login",
                                         "csrf_token": token})
    client.post("/admin/login", data={"name": "quantri", "password": PASSWORD,
                                      "csrf_token": token})
    page = client.get("/admin/users/999")
    assert page.status_code == 404
    assert "Not found" in page.text and "There is no user number 999." in page.text
    assert "Back to the overview" in page.text
    fetched = client.get("/admin/users/999", headers={"Accept": "application/json"})
    assert fetched.status_code == 404 and fetched.json["error"]["code"] == "not_found"


def test_health_says_ok_with_the_version_and_the_connected_screens(client):
    body = client.get("/healthz").json
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["screens_connected"] == 0 and body["version"]


def test_health_says_degraded_with_503_when_the_database_does_not_answer(tmp_path):
    from signage import create_app

    # Nothing listens on port 1: the database is down.
    app = create_app({"data_dir": tmp_path, "testing": True,
                      "database_url": "postgresql://nobody@127.0.0.1:1/nothing"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "degraded"
    assert response.json["database"].startswith("error: ")
    app.extensions["signage"].store.dispose()
