"""Accounts and API tokens: the same change through the API, the /admin forms and the
CLI leaves the same rows and the same audit entries; the same mistake gets the same
refusal and changes nothing."""

from __future__ import annotations

import re

from tests.parity import PASSWORD

NEW_PASSWORD = "mot-mat-khau-moi-dai"


def _password_is(door, name: str, password: str) -> bool:
    from signage.accounts import user_by_name, verify_password

    with door.lobby.store.read() as session:
        return verify_password(user_by_name(session, name), password)


def _user_id(door, name: str) -> int:
    from signage.usecases.accounts import user_detail

    return door.lobby.query(user_detail, name)["id"]


def test_a_user_is_created_given_a_role_deactivated_and_reset_the_same_through_every_door(parity):
    def api(d):
        created = d.api("POST", "/api/v1/users", {"name": "lan", "role": "editor",
                                                  "password": PASSWORD})
        assert created.status_code == 201, created.json
        uid = created.json["id"]
        for change in ({"role": "approver"}, {"active": False}, {"password": NEW_PASSWORD}):
            assert d.api("PATCH", f"/api/v1/users/{uid}", change).status_code == 200

    def form(d):
        assert d.form("/admin/users", name="lan", role="editor",
                      password=PASSWORD).status_code == 302
        uid = _user_id(d, "lan")
        d.form(f"/admin/users/{uid}", do="role", role="approver")
        d.form(f"/admin/users/{uid}", do="deactivate")
        d.form(f"/admin/users/{uid}", do="password", password=NEW_PASSWORD,
               password2=NEW_PASSWORD)

    def cli(d):
        added = d.cli("users", "add", "lan", "--role", "editor", "--password-stdin",
                      input=PASSWORD + "\n")
        assert added.exit_code == 0, added.output
        assert d.cli("users", "role", "lan", "approver").exit_code == 0
        assert d.cli("users", "deactivate", "lan").exit_code == 0
        assert d.cli("users", "passwd", "lan", "--password-stdin",
                     input=NEW_PASSWORD + "\n").exit_code == 0

    def checked(scenario):
        def run(d):
            scenario(d)
            assert _password_is(d, "lan", NEW_PASSWORD)
        return run

    results = parity({"api": checked(api), "form": checked(form), "cli": checked(cli)},
                     tables=["users"])
    results.assert_same()
    audit = results["cli"]["audit"]
    assert [(action, target) for action, target, _ in audit] == [
        ("user.create", "user:lan"), ("user.role", "user:lan"), ("user.deactivate", "user:lan"),
        ("user.password", "user:lan")]
    assert audit[0][2] == {"role": "editor"} and audit[1][2] == {"from": "editor", "to": "approver"}
    lan = results["api"]["state"]["users"][-1]
    assert (lan["name"], lan["role"], bool(lan["active"])) == ("lan", "approver", False)


def test_a_taken_name_and_the_last_admins_role_are_refused_alike_everywhere(parity):
    taken = "Người dùng quantri đã có."
    last_admin = "Không thể bỏ quyền quản trị của quản trị viên cuối cùng."
    seen: dict[str, tuple] = {}

    def api(d):
        again = d.api("POST", "/api/v1/users", {"name": "quantri", "role": "editor",
                                                "password": PASSWORD})
        demote = d.api("PATCH", f"/api/v1/users/{_user_id(d, 'quantri')}", {"role": "editor"})
        seen["api"] = (again.status_code, again.json["error"], demote.status_code,
                       demote.json["error"])

    def form(d):
        again = d.form("/admin/users", name="quantri", role="editor", password=PASSWORD)
        uid = _user_id(d, "quantri")
        demote = d.form(f"/admin/users/{uid}", do="role", role="editor")
        seen["form"] = (again.status_code, again.text,
                        d.client.get(demote.headers["Location"]).text)

    def cli(d):
        again = d.cli("users", "add", "quantri", "--role", "editor", "--password-stdin",
                      input=PASSWORD + "\n")
        demote = d.cli("users", "role", "quantri", "editor")
        seen["cli"] = (again.exit_code, again.output, demote.exit_code, demote.output)

    results = parity({"api": api, "form": form, "cli": cli}, tables=["users"])
    results.assert_same()
    assert results["api"]["audit"] == []
    assert results["api"]["state"]["users"][0]["role"] == "admin"
    status, error, demote_status, demote_error = seen["api"]
    assert (status, error["code"], error["message"]) == (409, "conflict", taken)
    assert (demote_status, demote_error["code"], demote_error["message"]) == \
        (422, "last_admin", last_admin)
    status, page, after = seen["form"]
    assert status == 422 and taken in page and last_admin in after
    code, output, demote_code, demote_output = seen["cli"]
    assert code == 2 and taken in output
    assert demote_code == 2 and last_admin in demote_output


def test_a_token_is_issued_and_revoked_the_same_through_every_door(parity):
    secrets: dict[str, str] = {}

    def api(d):
        issued = d.api("POST", "/api/v1/tokens", {"user": "quantri", "label": "nhập liệu"})
        assert issued.status_code == 201, issued.json
        secrets["api"] = issued.json["token"]
        _works(d, secrets["api"], True)
        assert d.api("DELETE", f"/api/v1/tokens/{issued.json['id']}").status_code == 200

    def form(d):
        uid = _user_id(d, "quantri")
        page = d.form(f"/admin/users/{uid}/tokens", label="nhập liệu")
        assert page.status_code == 200
        secrets["form"] = re.search(r'data-test="token-secret">([^<]+)<', page.text)[1]
        _works(d, secrets["form"], True)
        token_id = re.findall(r'data-token-id="(\d+)"', page.text)[-1]
        d.form(f"/admin/users/{uid}/tokens/{token_id}/revoke")

    def cli(d):
        added = d.cli("tokens", "add", "quantri", "--label", "nhập liệu")
        assert added.exit_code == 0, added.output
        secrets["cli"] = added.stdout.strip().splitlines()[-1]
        _works(d, secrets["cli"], True)
        listed = d.cli("tokens", "list").stdout.strip().splitlines()
        assert d.cli("tokens", "revoke", listed[-1].split("\t")[0]).exit_code == 0

    def checked(scenario, door):
        def run(d):
            scenario(d)
            _works(d, secrets[door], False)
        return run

    results = parity({door: checked(scenario, door)
                      for door, scenario in (("api", api), ("form", form), ("cli", cli))},
                     tables=["api_tokens"])
    results.assert_same()
    assert results["form"]["audit"] == [
        ("token.create", "token:2", {"user": "quantri", "label": "nhập liệu",
                                            "expires_in_days": 365}),
        ("token.revoke", "token:2", {"user": "quantri", "label": "nhập liệu"}),
    ]
    assert len(set(secrets.values())) == 3


def _works(door, secret: str, expected: bool) -> None:
    response = door.client.get("/api/v1/notices", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == (200 if expected else 401)
