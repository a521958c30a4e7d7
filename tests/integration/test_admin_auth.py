"""/admin login, sessions, CSRF, the login throttle, roles: who gets in and who does not."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from signage.accounts import add_user
from signage.accounts.audit import AuditQuery, find_entries
from signage.accounts.login import DEFAULT_POLICY, attempt_login

PASSWORD = "mat-khau-rat-dai"
STAFF = {"quantri": "admin", "bientap": "editor", "duyet": "approver", "quay1": "operator"}


@pytest.fixture
def staff(lobby):
    with lobby.store.write() as session:
        for name, role in STAFF.items():
            add_user(session, name, role, PASSWORD, lobby.clock.now())
    return STAFF


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def log_in(client, name: str, password: str = PASSWORD, next: str | None = None):
    token = csrf_of(client.get("/admin/login").text)
    data = {"name": name, "password": password, "csrf_token": token}
    if next is not None:
        data["next"] = next
    return client.post("/admin/login", data=data)


def audit(lobby, **query) -> list:
    with lobby.store.read() as session:
        return find_entries(session, AuditQuery(**query))[0]


def admin_page_urls(app) -> list[str]:
    """Every GET page under /admin (with made-up path arguments), except the public ones."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or "GET" not in rule.methods:
            continue
        if rule.endpoint in ("admin.login",):
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = re.sub(rf"<(?:\w+:)?{arg}>", "1", url)
        urls.append(url)
    return urls


# ---- anonymous visitors ------------------------------------------------------------------

def test_every_admin_page_sends_an_anonymous_visitor_to_the_login_page(app, client):
    urls = admin_page_urls(app)
    assert {"/admin/", "/admin/users", "/admin/screens", "/admin/zones", "/admin/audit"} <= set(urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/admin/login?next="), url


def test_an_anonymous_fetch_of_an_admin_page_gets_401_json(client):
    response = client.get("/admin/users", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_every_anonymous_write_to_the_staff_api_is_refused(app, client):
    # Every /api/v1 blueprint (one per resource, "api_<resource>"), but the operations
    # declared public (the kiosk's tickets are anonymous by design).
    from signage.web.api import OPERATIONS, PUBLIC

    public = {op.endpoint for op in OPERATIONS if op.roles is PUBLIC}
    checked = 0
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        if not blueprint.startswith("api_") or rule.endpoint in public \
                or not rule.rule.startswith("/api/"):
            continue
        for method in rule.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            url = rule.rule
            for arg in rule.arguments:
                url = re.sub(rf"<(?:\w+:)?{arg}>", "1", url)
            response = client.open(url, method=method, json={})
            assert response.status_code == 401, (method, url)
            checked += 1
    assert checked >= 16


# ---- logging in -----------------------------------------------------------------------

def test_a_staff_member_logs_in_reaches_the_dashboard_and_the_login_is_audited(client, lobby,
                                                                              staff):
    response = log_in(client, "bientap")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "Tổng quan" in page.text and "bientap" in page.text
    [entry] = audit(lobby, action="login")
    assert entry.actor == "bientap" and entry.target == "user:bientap" and entry.ip == "127.0.0.1"


def test_a_wrong_password_is_refused_and_audited(client, lobby, staff):
    response = log_in(client, "quantri", "sai-mat-khau")
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.text
    assert client.get("/admin/").status_code == 302
    [entry] = audit(lobby, action="login_failed")
    assert entry.target == "user:quantri" and entry.details == {"reason": "wrong_password"}


def test_an_unknown_name_looks_like_a_wrong_password(client, lobby, staff):
    response = log_in(client, "khongco")
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.text
    assert audit(lobby, action="login_failed")[0].details == {"reason": "unknown_user"}


def test_login_is_throttled_after_the_free_failures_even_with_the_right_password(client, lobby,
                                                                                staff):
    for _ in range(DEFAULT_POLICY.free_failures):
        assert log_in(client, "quantri", "doan-bua").status_code == 401
    response = log_in(client, "quantri", PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "quá nhiều lần" in response.text
    assert client.get("/admin/").status_code == 302
    assert [e.target for e in audit(lobby, action="login_throttled")] == ["user:quantri"]
    # Another account from the same machine is not locked by someone else's typos.
    assert log_in(client, "bientap").status_code == 302


def test_each_failure_past_the_free_ones_doubles_the_wait_and_a_login_forgives_typos(lobby,
                                                                                    staff):
    t0 = datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    policy = DEFAULT_POLICY
    with lobby.store.write() as session:
        for i in range(policy.free_failures):
            assert attempt_login(session, "duyet", "sai", ip="10.0.0.9",
                                 now=t0 + timedelta(seconds=i)).refused == "invalid"
        last = t0 + timedelta(seconds=policy.free_failures - 1)
        waits = []
        for _ in range(4):
            # The next try right away is refused unchecked, saying how long to wait …
            refused = attempt_login(session, "duyet", PASSWORD, ip="10.0.0.9", now=last)
            assert refused.refused == "throttled"
            waits.append(refused.retry_after)
            # … and a wrong try once the wait is over makes the next wait twice as long.
            last = last + timedelta(seconds=refused.retry_after)
            assert attempt_login(session, "duyet", "sai", ip="10.0.0.9",
                                 now=last).refused == "invalid"
        assert waits == [5, 10, 20, 40]
        later = last + timedelta(seconds=80)
        assert attempt_login(session, "duyet", PASSWORD, ip="10.0.0.9", now=later).ok
        # After that successful login, the earlier failures no longer count for the user.
        for i in range(policy.free_failures):
            attempt_login(session, "duyet", "sai", ip="10.0.0.9",
                          now=later + timedelta(seconds=1 + i))
        assert attempt_login(session, "duyet", PASSWORD, ip="10.0.0.9",
                             now=later + timedelta(seconds=10)).ok


def test_the_wait_is_capped(lobby, staff):
    from signage.accounts.login import pair_wait

    assert pair_wait(DEFAULT_POLICY.free_failures - 1, DEFAULT_POLICY) == timedelta(0)
    assert pair_wait(100, DEFAULT_POLICY) == DEFAULT_POLICY.longest_wait


def test_nobody_can_lock_a_user_out_from_another_address(lobby, staff):
    t0 = datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with lobby.store.write() as session:
        for i in range(12):  # someone guessing the admin's password, from a phone
            attempt_login(session, "quantri", f"doan-{i}", ip="10.0.0.66",
                          now=t0 + timedelta(minutes=i))
        # The admin at their own desk logs in at once
        assert attempt_login(session, "quantri", PASSWORD, ip="10.0.0.5",
                             now=t0 + timedelta(minutes=12)).ok
        # while the guesser is still made to wait
        assert attempt_login(session, "quantri", PASSWORD, ip="10.0.0.66",
                             now=t0 + timedelta(minutes=12)).refused == "throttled"


def test_one_address_trying_many_names_is_throttled(lobby, staff):
    t0 = datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with lobby.store.write() as session:
        for i in range(DEFAULT_POLICY.max_failures_per_ip):
            attempt_login(session, f"doan{i}", "sai", ip="10.0.0.7", now=t0)
        assert attempt_login(session, "quay1", PASSWORD, ip="10.0.0.7", now=t0).refused == \
            "throttled"
        assert attempt_login(session, "quay1", PASSWORD, ip="10.0.0.8", now=t0).ok


def test_a_deactivated_account_cannot_log_in(client, lobby, staff):
    with lobby.store.write() as session:
        from signage.accounts import user_by_name

        user_by_name(session, "bientap").active = False
    assert log_in(client, "bientap").status_code == 401
    assert audit(lobby, action="login_failed")[0].details == {"reason": "inactive"}


def test_login_never_redirects_to_another_site(client, staff):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = log_in(client, "bientap", next=target)
        assert response.headers["Location"] == "/admin/", target
        client.post("/admin/logout", data={"csrf_token": csrf_of(client.get("/admin/").text)})
    assert log_in(client, "bientap", next="/admin/screens").headers["Location"] == "/admin/screens"


def test_logout_ends_the_session_and_is_audited(client, lobby, staff):
    log_in(client, "bientap")
    token = csrf_of(client.get("/admin/").text)
    response = client.post("/admin/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302
    assert [e.actor for e in audit(lobby, action="logout")] == ["bientap"]


def test_a_password_reset_ends_the_users_open_sessions(app, client, lobby, staff):
    log_in(client, "bientap")
    assert client.get("/admin/").status_code == 200
    admin = app.test_client()
    log_in(admin, "quantri")
    token = csrf_of(admin.get("/admin/users").text)
    with lobby.store.read() as session:
        from signage.accounts import user_by_name

        user_id = user_by_name(session, "bientap").id
    reset = admin.post(f"/admin/users/{user_id}", data={
        "csrf_token": token, "do": "password", "password": "mat-khau-moi-123",
        "password2": "mat-khau-moi-123"})
    assert reset.status_code == 302
    assert client.get("/admin/").status_code == 302
    assert log_in(client, "bientap", "mat-khau-moi-123").status_code == 302


# ---- CSRF -------------------------------------------------------------------------------

def test_a_form_post_without_a_csrf_token_is_refused(client, lobby, staff):
    log_in(client, "quantri")
    response = client.post("/admin/users", data={"name": "moi", "role": "editor",
                                                 "password": PASSWORD})
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.text
    assert not audit(lobby, action="user.create")


def test_login_itself_needs_the_csrf_token(client, staff):
    response = client.post("/admin/login", data={"name": "quantri", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_the_api_takes_a_session_with_the_csrf_header_and_refuses_it_without(client, lobby,
                                                                          staff):
    log_in(client, "quantri")
    token = csrf_of(client.get("/admin/").text)
    refused = client.post("/api/v1/zones", json={"name": "Sảnh tầng 2"})
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf_failed"
    done = client.post("/api/v1/zones", json={"name": "Sảnh tầng 2"},
                       headers={"X-CSRFToken": token})
    assert done.status_code == 201 and done.json["slug"] == "sanh-tang-2"
    # Reading needs no token.
    assert client.get("/api/v1/users").status_code == 200


def test_bearer_requests_need_no_csrf_token(api):
    response = api.post("/api/v1/notices", json={
        "kind": "law", "title": "Tuyên truyền thử", "body": "Nội dung."})
    assert response.status_code == 201


# ---- roles --------------------------------------------------------------------------------

def test_an_editor_cannot_reach_the_admin_only_pages_or_api(client, staff):
    log_in(client, "bientap")
    for url in ("/admin/users", "/admin/users/1", "/admin/screens", "/admin/zones", "/admin/audit"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Không có quyền" in response.text
    token = csrf_of(client.get("/admin/").text)
    assert client.get("/api/v1/users").status_code == 403
    response = client.post("/api/v1/users", json={"name": "x1", "role": "admin",
                                                   "password": PASSWORD},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 403
    # Nor does the navigation offer them.
    page = client.get("/admin/").text
    assert "/admin/users" not in page and "/admin/audit" not in page


# ---- cookies ------------------------------------------------------------------------------

def _session_cookie(response) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie")
                if c.startswith("signage_session="))


def test_the_session_cookie_is_httponly_and_samesite_lax_and_secure_only_over_https(
        app, client, staff):
    plain = _session_cookie(log_in(client, "bientap"))
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    https = app.test_client()
    token = csrf_of(https.get("/admin/login", base_url="https://localhost").text)
    response = https.post("/admin/login", base_url="https://localhost",
                          headers={"Referer": "https://localhost/admin/login"},
                          data={"name": "bientap", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert "Secure" in _session_cookie(response)


def test_secure_cookies_can_be_forced_by_setting(data_dir, tmp_path):
    from signage import create_app
    from signage.cli import prepare

    app = create_app({"data_dir": tmp_path / "other", "testing": True, "secure_cookies": "always"})
    lobby = app.extensions["signage"]
    prepare(lobby, out=lambda *_: None)
    with lobby.store.write() as session:
        add_user(session, "bientap", "editor", PASSWORD, lobby.clock.now())
    client = app.test_client()
    # The browser would not send a Secure cookie back over http; the test client does.
    assert "Secure" in _session_cookie(log_in(client, "bientap"))
    lobby.store.dispose()
