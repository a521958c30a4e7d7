"""Sessions end on the server, tokens expire and die with their user, passwords are not
guessable, and parallel guesses are counted one by one (issue 10, items 3, 4, 6, 8, 15)."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import psycopg
import pytest

from signage import create_app
from signage.accounts import add_token, add_user
from signage.accounts.audit import AuditQuery, find_entries
from signage.accounts.login import DEFAULT_POLICY
from signage.cli import prepare
from signage.clock import FakeClock
from signage.usecases import Actor
from signage.usecases.accounts import log_in
from tests.conftest import prepared_app

PASSWORD = "mat-khau-rat-dai"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36"


@pytest.fixture
def clocked(tmp_path):
    clock = FakeClock(datetime(2026, 12, 1, 7, 30, tzinfo=HCM))
    app = prepared_app(tmp_path / "instance", clock=clock)
    lobby = app.extensions["signage"]
    with lobby.store.write() as session:
        add_user(session, "quantri", "admin", PASSWORD, clock.now())
        add_user(session, "bientap", "editor", PASSWORD, clock.now())
    yield app, lobby, clock
    lobby.store.dispose()


def browser(app, agent: str = FIREFOX):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    return client


def log_in_as(client, name: str, password: str = PASSWORD):
    page = client.get("/admin/login").text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
    return client.post("/admin/login", data={"name": name, "password": password,
                                             "csrf_token": token})


def session_cookie(client) -> str:
    return client.get_cookie("signage_session").value


def with_cookie(app, cookie: str, agent: str = FIREFOX):
    other = browser(app, agent)
    other.set_cookie("signage_session", cookie)
    return other


def signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def csrf(client) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/admin/").text)[1]


def test_a_cookie_copied_before_logout_is_worthless_after_it(clocked):
    app, _, _ = clocked
    first = browser(app)
    assert log_in_as(first, "bientap").status_code == 302
    copied = session_cookie(first)
    assert signed_in(with_cookie(app, copied))  # the copy works while the session is open
    first.post("/admin/logout", data={"csrf_token": csrf(first)})
    thief = with_cookie(app, copied)
    assert not signed_in(thief)
    assert thief.get("/api/v1/notices", headers={"Accept": "application/json"}).status_code == 401


def test_the_same_cookie_from_another_browser_is_refused(clocked):
    app, _, _ = clocked
    first = browser(app, FIREFOX)
    log_in_as(first, "bientap")
    assert not signed_in(with_cookie(app, session_cookie(first), CHROME))
    assert signed_in(first)


def test_a_session_ends_a_working_day_after_the_login_however_much_it_is_used(clocked):
    app, _, clock = clocked
    client = browser(app)
    log_in_as(client, "bientap")
    for _ in range(11):
        clock.advance(hours=1)
        assert signed_in(client)  # used every hour: still the same session
    clock.advance(hours=1, seconds=1)
    assert not signed_in(client)


def test_a_new_password_and_a_deactivation_end_sessions_and_tokens_for_good(clocked):
    app, lobby, _ = clocked
    editor = browser(app)
    log_in_as(editor, "bientap")
    with lobby.store.write() as session:
        token = add_token(session, "bientap", "script", lobby.clock.now())
    bearer = {"Authorization": f"Bearer {token}"}
    admin = browser(app, CHROME)
    log_in_as(admin, "quantri")
    user_id = next(u["id"] for u in admin.get("/api/v1/users").json["items"]
                   if u["name"] == "bientap")
    patch = {"X-CSRFToken": csrf(admin)}
    # A new password ends the open session
    assert admin.patch(f"/api/v1/users/{user_id}", json={"password": "mot-cau-moi-that-dai"},
                       headers=patch).status_code == 200
    assert not signed_in(editor)
    log_in_as(editor, "bientap", "mot-cau-moi-that-dai")
    assert signed_in(editor)
    assert app.test_client().get("/api/v1/notices", headers=bearer).status_code == 200
    # A deactivation ends it and revokes the token; reactivating revives neither
    admin.patch(f"/api/v1/users/{user_id}", json={"active": False}, headers=patch)
    admin.patch(f"/api/v1/users/{user_id}", json={"active": True}, headers=patch)
    assert not signed_in(editor)
    assert app.test_client().get("/api/v1/notices", headers=bearer).status_code == 401
    with lobby.store.read() as session:
        [entry] = find_entries(session, AuditQuery(action="user.deactivate"))[0]
    assert entry.details == {"sessions_ended": 1, "tokens_revoked": 1}


def test_a_token_stops_working_when_it_expires(clocked):
    app, lobby, clock = clocked
    admin = browser(app)
    log_in_as(admin, "quantri")
    issued = admin.post("/api/v1/tokens", json={"user": "bientap", "expires_in_days": 1},
                        headers={"X-CSRFToken": csrf(admin)})
    assert issued.status_code == 201 and issued.json["expires_at"]
    bearer = {"Authorization": f"Bearer {issued.json['token']}"}
    assert app.test_client().get("/api/v1/notices", headers=bearer).status_code == 200
    clock.advance(days=1, seconds=1)
    refused = app.test_client().get("/api/v1/notices", headers=bearer)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "invalid_token"


@pytest.mark.parametrize("password", ["          ", "password", "12345678", "1234567890",
                                      "qwertyuiop", "bientap2026", "ngan"])
def test_a_weak_password_is_refused_by_every_door(clocked, runner_for, password):
    app, _, _ = clocked
    admin = browser(app)
    log_in_as(admin, "quantri")
    answer = admin.post("/api/v1/users", json={"name": "bientap2", "role": "editor",
                                               "password": password},
                        headers={"X-CSRFToken": csrf(admin)})
    assert answer.status_code == 422 and answer.json["error"]["field"] == "password"
    result = runner_for(app).invoke("users", "add", "bientap2", "--role", "editor",
                                    "--password-stdin", input=password + "\n")
    assert result.exit_code == 2 and "Mật khẩu" in result.output


@pytest.fixture
def runner_for():
    from click.testing import CliRunner

    from signage.cli import main

    class Runner:
        def __init__(self, app) -> None:
            self.env = {"SIGNAGE_DATA_DIR": str(app.extensions["signage"].settings.data_dir)}

        def invoke(self, *args, input=None):
            return CliRunner().invoke(main, list(args), input=input, env=self.env,
                                      catch_exceptions=False)

    return lambda app: Runner(app)


@pytest.mark.postgres
def test_thirty_parallel_guesses_on_postgresql_are_counted_one_after_another(tmp_path):
    name = f"signage_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect("postgresql://127.0.0.1:5432/test", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    app = create_app({"data_dir": tmp_path / "instance", "testing": True,
                      "database_url": f"postgresql://127.0.0.1:5432/{name}"})
    lobby = app.extensions["signage"]
    try:
        prepare(lobby, out=lambda *_: None)
        with lobby.store.write() as session:
            add_user(session, "quantri", "admin", PASSWORD, lobby.clock.now())
        outcomes = []
        go = threading.Event()

        def guess(i: int) -> None:
            go.wait(10)
            outcomes.append(lobby.perform(log_in, Actor.public("public", "10.0.0.66"),
                                          {"name": "quantri", "password": f"doan-{i}"}))

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
        for t in threads:
            t.start()
        go.set()
        for t in threads:
            t.join(120)
        refused = [o.refused for o in outcomes]
        assert refused.count("invalid") == DEFAULT_POLICY.free_failures
        assert refused.count("throttled") == 30 - DEFAULT_POLICY.free_failures
    finally:
        lobby.store.dispose()
        with psycopg.connect("postgresql://127.0.0.1:5432/test", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_login_page_session_is_fresh_after_login(clocked):
    # No session fixation: a cookie planted before login is not the one after it.
    app, _, _ = clocked
    client = browser(app)
    client.get("/admin/login")
    before = client.get_cookie("signage_session")
    log_in_as(client, "bientap")
    assert session_cookie(client) != (before.value if before else None)
