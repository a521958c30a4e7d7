"""Users, zones, screens and the audit log, managed from /admin and /api/v1 (admin only)."""

from __future__ import annotations

import re

import pytest

from signage.accounts import add_token, add_user
from signage.accounts.audit import AuditQuery, find_entries
from tests.conftest import log_in

PASSWORD = "mat-khau-rat-dai"


@pytest.fixture
def admin(app, lobby):
    """A test client logged in as an admin, with `.csrf` and `.bearer` (a token of the same user)."""
    with lobby.store.write() as session:
        add_user(session, "quantri", "admin", PASSWORD, lobby.clock.now())
        bearer = add_token(session, "quantri", "test", lobby.clock.now())
    client = log_in(app, "quantri")
    client.bearer = {"Authorization": f"Bearer {bearer}"}
    return client


def form(client, url: str, **data):
    return client.post(url, data={"csrf_token": client.csrf, **data})


def actions(lobby, **query) -> list[str]:
    """Actions since the app started (the first start's content import, by "system", left out)."""
    with lobby.store.read() as session:
        return [e.action for e in find_entries(session, AuditQuery(**query))[0]
                if e.actor != "system"]


# ---- users ---------------------------------------------------------------------------------

def test_an_admin_creates_a_user_who_can_then_log_in(app, admin, lobby):
    response = form(admin, "/admin/users", name="lan.nguyen", role="editor", password=PASSWORD)
    assert response.status_code == 302
    assert "lan.nguyen" in admin.get("/admin/users").text
    assert actions(lobby, target="user:lan.nguyen") == ["user.create"]
    other = app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', other.get("/admin/login").text)[1]
    assert other.post("/admin/login", data={"name": "lan.nguyen", "password": PASSWORD,
                                            "csrf_token": token}).status_code == 302


def test_a_refused_user_form_says_why_in_vietnamese(admin):
    response = form(admin, "/admin/users", name="có dấu", role="editor", password="ngan")
    assert response.status_code == 422
    # Every problem, each as "<field>: <reason>" (the same words the API and the CLI give).
    assert "Tên đăng nhập: chỉ gồm chữ không dấu" in response.text
    assert "Mật khẩu: phải có ít nhất 10 ký tự." in response.text


def test_users_through_the_api_create_change_role_deactivate_reset(admin, lobby):
    created = admin.post("/api/v1/users", json={"name": "hoa", "role": "editor",
                                                "password": PASSWORD}, headers=admin.bearer)
    assert created.status_code == 201 and created.json["role"] == "editor"
    uid = created.json["id"]
    assert admin.post("/api/v1/users", json={"name": "hoa", "role": "editor",
                                             "password": PASSWORD},
                      headers=admin.bearer).status_code == 409
    patched = admin.patch(f"/api/v1/users/{uid}", json={"role": "approver", "active": False},
                          headers=admin.bearer)
    assert patched.status_code == 200
    assert patched.json["role"] == "approver" and patched.json["active"] is False
    assert admin.patch(f"/api/v1/users/{uid}", json={"password": "ngan"},
                       headers=admin.bearer).status_code == 422
    assert admin.patch(f"/api/v1/users/{uid}", json={"password": "mot-mat-khau-moi"},
                       headers=admin.bearer).status_code == 200
    assert admin.patch("/api/v1/users/9999", json={"active": True},
                       headers=admin.bearer).status_code == 404
    listed = {u["name"]: u for u in admin.get("/api/v1/users", headers=admin.bearer).json["items"]}
    assert listed["hoa"]["role"] == "approver" and listed["quantri"]["last_login_at"]
    assert actions(lobby, target="user:hoa") == [
        "user.password", "user.deactivate", "user.role", "user.create"]


def test_the_last_admin_can_be_neither_demoted_nor_deactivated(admin, lobby):
    with lobby.store.read() as session:
        from signage.accounts import user_by_name

        uid = user_by_name(session, "quantri").id
    demote = admin.patch(f"/api/v1/users/{uid}", json={"role": "editor"}, headers=admin.bearer)
    assert demote.status_code == 422
    assert "quản trị viên cuối cùng" in demote.json["error"]["message"]
    response = form(admin, f"/admin/users/{uid}", do="deactivate")
    assert response.status_code == 302
    assert "Không thể" in admin.get(response.headers["Location"]).text


def test_a_deactivated_users_token_stops_working(admin, lobby):
    with lobby.store.write() as session:
        add_user(session, "bientap", "editor", PASSWORD, lobby.clock.now())
        token = add_token(session, "bientap", "script", lobby.clock.now())
    headers = {"Authorization": f"Bearer {token}"}
    assert admin.get("/api/v1/notices", headers=headers).status_code == 200
    with lobby.store.read() as session:
        from signage.accounts import user_by_name

        uid = user_by_name(session, "bientap").id
    form(admin, f"/admin/users/{uid}", do="deactivate")
    assert admin.get("/api/v1/notices", headers=headers).status_code == 401


def test_nobody_deactivates_their_own_account(admin, lobby):
    with lobby.store.write() as session:
        add_user(session, "quantri2", "admin", PASSWORD, lobby.clock.now())
    uid = admin.get("/api/v1/users", headers=admin.bearer).json["items"][0]["id"]
    refused = admin.patch(f"/api/v1/users/{uid}", json={"active": False}, headers=admin.bearer)
    assert refused.status_code == 422 and refused.json["error"]["code"] == "own_account"
    page = form(admin, f"/admin/users/{uid}", do="deactivate")
    assert "Không thể tự khóa tài khoản của chính mình." in admin.get(page.headers["Location"]).text
    assert actions(lobby, action="user.deactivate") == []


# ---- API tokens -------------------------------------------------------------------------------

def test_tokens_are_listed_with_their_last_use_and_never_their_secret(admin, lobby):
    issued = admin.post("/api/v1/tokens", json={"user": "quantri", "label": "cổng dịch vụ công"},
                        headers=admin.bearer)
    assert issued.status_code == 201 and issued.json["token"].startswith("sgn_")
    listed = admin.get("/api/v1/tokens", headers=admin.bearer).json["items"]
    assert [t["label"] for t in listed] == ["test", "cổng dịch vụ công"]
    assert listed[0]["last_used_at"] is not None  # the bearer that asked
    assert listed[1]["last_used_at"] is None
    assert issued.json["token"] not in admin.get("/api/v1/tokens", headers=admin.bearer).text
    admin.get("/api/v1/users", headers={"Authorization": f"Bearer {issued.json['token']}"})
    mine = admin.get("/api/v1/tokens?user=quantri", headers=admin.bearer).json["items"]
    assert mine[1]["last_used_at"] is not None
    assert admin.get("/api/v1/tokens?user=khong-co", headers=admin.bearer).status_code == 404


def test_a_revoked_token_stops_at_once_and_revoking_again_changes_nothing(admin, lobby):
    issued = admin.post("/api/v1/tokens", json={"user": "quantri"}, headers=admin.bearer).json
    headers = {"Authorization": f"Bearer {issued['token']}"}
    assert admin.get("/api/v1/notices", headers=headers).status_code == 200
    first = admin.delete(f"/api/v1/tokens/{issued['id']}", headers=admin.bearer)
    assert first.status_code == 200 and first.json["revoked"] is True
    assert admin.get("/api/v1/notices", headers=headers).status_code == 401
    assert admin.delete(f"/api/v1/tokens/{issued['id']}", headers=admin.bearer).status_code == 200
    assert admin.delete("/api/v1/tokens/9999", headers=admin.bearer).status_code == 404
    assert actions(lobby, target=f"token:{issued['id']}") == ["token.revoke", "token.create"]


def test_only_an_admin_manages_tokens(api):
    assert api.get("/api/v1/tokens").status_code == 403
    assert api.post("/api/v1/tokens", json={"user": "editor1"}).status_code == 403
    assert api.delete("/api/v1/tokens/1").status_code == 403


def test_the_user_page_issues_a_token_once_and_revokes_it(admin, lobby):
    uid = admin.get("/api/v1/users", headers=admin.bearer).json["items"][0]["id"]
    page = form(admin, f"/admin/users/{uid}/tokens", label="máy in phiếu")
    secret = re.search(r'data-test="token-secret">([^<]+)<', page.text)[1]
    assert "máy in phiếu" in page.text
    again = admin.get(f"/admin/users/{uid}").text
    assert "máy in phiếu" in again and secret not in again
    token_id = re.findall(r'data-token-id="(\d+)"', again)[-1]
    assert form(admin, f"/admin/users/{uid}/tokens/{token_id}/revoke").status_code == 302
    assert admin.get("/api/v1/notices",
                     headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_cli_lists_and_revokes_tokens(runner, lobby):
    runner.invoke("users", "add", "lan", "--role", "editor", "--password-stdin",
                  input=PASSWORD + "\n")
    secret = runner.invoke("tokens", "add", "lan", "--label", "script").stdout.split()[-1]
    [line] = runner.invoke("tokens", "list", "--user", "lan").stdout.splitlines()
    token_id, user, state, last_used, _created, expires, label = line.split("\t")
    assert (user, state, last_used, label) == ("lan", "active", "-", "script")
    assert expires[:4].isdigit()  # a year from now, by default
    assert secret not in runner.invoke("tokens", "list").stdout
    assert runner.invoke("tokens", "revoke", token_id).exit_code == 0
    assert "\trevoked\t" in runner.invoke("tokens", "list", "--user", "lan").stdout
    assert runner.invoke("tokens", "revoke", "9999").exit_code == 2
    assert runner.invoke("tokens", "list", "--user", "khong-co").exit_code == 2
    assert actions(lobby, actor="cli") == ["token.revoke", "token.create", "user.create"]


# ---- zones ----------------------------------------------------------------------------------

def test_zones_are_created_and_renamed_from_the_page_and_the_api(admin, lobby):
    assert form(admin, "/admin/zones", name="Sảnh tầng 2").status_code == 302
    page = admin.get("/admin/zones").text
    assert "Sảnh tầng 2" in page and "sanh-tang-2" in page
    assert form(admin, "/admin/zones/sanh-tang-2", name="Sảnh tầng hai").status_code == 302
    assert "Sảnh tầng hai" in admin.get("/admin/zones").text
    assert admin.post("/api/v1/zones", json={"name": "Khu chờ", "slug": "khu-cho"},
                      headers=admin.bearer).status_code == 201
    assert admin.post("/api/v1/zones", json={"name": "Lại", "slug": "khu-cho"},
                      headers=admin.bearer).status_code == 409
    assert admin.post("/api/v1/zones", json={"name": "X", "slug": "Có Dấu"},
                      headers=admin.bearer).status_code == 422
    renamed = admin.patch("/api/v1/zones/khu-cho", json={"name": "Khu chờ B"},
                          headers=admin.bearer)
    assert renamed.status_code == 200 and renamed.json["name"] == "Khu chờ B"
    assert admin.patch("/api/v1/zones/khong-co", json={"name": "A"},
                       headers=admin.bearer).status_code == 404
    assert actions(lobby, action="zone.") == [
        "zone.rename", "zone.create", "zone.rename", "zone.create"]


# ---- screens --------------------------------------------------------------------------------

def test_adding_a_screen_shows_its_key_and_address_once(admin, lobby):
    response = form(admin, "/admin/screens", name="TV cạnh quầy 1", zone="sanh-chinh",
                    orientation="portrait")
    assert response.status_code == 200
    key = re.search(r'data-test="screen-key">([^<]+)<', response.text)[1]
    assert f"/screen/{key}" in response.text
    assert admin.get(f"/screen/{key}").status_code == 200
    [entry] = find_entries_for(lobby, "screen.add")
    assert entry.details == {"name": "TV cạnh quầy 1", "zone": "sanh-chinh",
                             "orientation": "portrait"}


def find_entries_for(lobby, action: str):
    with lobby.store.read() as session:
        return find_entries(session, AuditQuery(action=action))[0]


def test_revoking_a_screen_from_the_page_turns_its_key_off(admin, lobby):
    added = admin.post("/api/v1/screens", json={"names": ["TV sảnh"]}, headers=admin.bearer)
    screen = added.json["items"][0]
    response = form(admin, f"/admin/screens/{screen['id']}/revoke")
    assert response.status_code == 302
    page = admin.get("/admin/screens").text
    assert "Đã thu hồi" in page
    # The TV of a revoked key is sent to the pairing page (issue 12), never to its slides
    gone = admin.get(f"/screen/{screen['key']}")
    assert gone.status_code == 302 and gone.headers["Location"].endswith("/screen")
    assert actions(lobby, target=f"screen:{screen['id']}") == ["screen.revoke", "screen.add"]


def test_revoking_through_the_api_is_idempotent_and_unknown_screens_are_404(admin, lobby):
    screen = admin.post("/api/v1/screens", json={"names": ["TV"]},
                        headers=admin.bearer).json["items"][0]
    first = admin.delete(f"/api/v1/screens/{screen['id']}", headers=admin.bearer)
    assert first.status_code == 200 and first.json["revoked"] is True
    assert admin.delete(f"/api/v1/screens/{screen['id']}", headers=admin.bearer).status_code == 200
    assert admin.delete("/api/v1/screens/9999", headers=admin.bearer).status_code == 404
    assert actions(lobby, action="screen.revoke") == ["screen.revoke"]


# ---- audit ----------------------------------------------------------------------------------

def test_notice_changes_through_the_api_are_audited_with_the_actor(api, lobby):
    created = api.post("/api/v1/notices", json={"kind": "law", "title": "Thông điệp thử",
                                                "body": "Nội dung."})
    nid = created.json["id"]
    body = {**created.json, "body": "Nội dung mới."}
    assert api.put(f"/api/v1/notices/{nid}", json=body).status_code == 200
    assert api.delete(f"/api/v1/notices/{nid}").status_code == 204
    with lobby.store.read() as session:
        entries = find_entries(session, AuditQuery(target=f"notice:{nid}"))[0]
    assert [(e.actor, e.action) for e in entries] == [
        ("editor1", "notice.delete"), ("editor1", "notice.update"), ("editor1", "notice.create")]


def test_the_audit_page_and_api_filter_by_actor_action_and_date(admin, lobby):
    form(admin, "/admin/zones", name="Khu A")
    page = admin.get("/admin/audit?action=zone.create")
    assert page.status_code == 200
    assert "zone:khu-a" in page.text and "user:quantri" not in page.text
    assert "zone:khu-a" not in admin.get("/admin/audit?actor=someone-else").text
    today = lobby.clock.now().date().isoformat()
    items = admin.get(f"/api/v1/audit?actor=quantri&since={today}&until={today}",
                      headers=admin.bearer).json["items"]
    assert {i["action"] for i in items} == {"login", "zone.create"}
    assert admin.get("/api/v1/audit?action=login&since=2000-01-01&until=2000-01-02",
                     headers=admin.bearer).json["total"] == 0
    assert admin.get("/api/v1/audit?since=yesterday", headers=admin.bearer).status_code == 400
    assert "Ngày không hợp lệ" in admin.get("/admin/audit?since=hom-qua").text
    # a day typed as Vietnamese write it (dd/mm/yyyy) is that day, not month/day
    day = lobby.clock.now().astimezone(lobby.clock.tz).date()
    typed = admin.get(f"/admin/audit?action=zone.create&since={day:%d/%m/%Y}&until={day:%d/%m/%Y}")
    assert "zone:khu-a" in typed.text and "Ngày không hợp lệ" not in typed.text


def test_only_an_admin_reads_the_audit_log(api):
    assert api.get("/api/v1/audit").status_code == 403


# ---- the contract -----------------------------------------------------------------------------

def test_the_openapi_document_lists_the_admin_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/users"])
    assert "patch" in paths["/users/{user_id}"]
    assert {"get", "post"} <= set(paths["/zones"])
    assert "patch" in paths["/zones/{slug}"]
    assert "delete" in paths["/screens/{screen_id}"]
    assert "get" in paths["/audit"]
    assert {"get", "post"} <= set(paths["/tokens"])
    assert "delete" in paths["/tokens/{token_id}"]


def test_cli_lists_users_and_sets_a_password(runner, lobby):
    runner.invoke("users", "add", "lan", "--role", "editor", "--password-stdin",
                  input=PASSWORD + "\n")
    listed = runner.invoke("users", "list")
    assert "lan\teditor\tactive" in listed.output
    changed = runner.invoke("users", "passwd", "lan", "--password-stdin",
                            input="mat-khau-moi-123\n")
    assert changed.exit_code == 0
    assert runner.invoke("users", "passwd", "khong-co", "--password-stdin",
                         input="mat-khau-moi-123\n").exit_code == 2
    assert actions(lobby, actor="cli") == ["user.password", "user.create"]
