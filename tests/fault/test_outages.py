"""When the store fails, people get a clear answer and nothing half-done: 503 with a code
that says what failed and Retry-After, a Vietnamese page for a person, and /healthz says
which dependency is down (issue 10, items 2 and 12)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event

from signage import create_app
from signage.cli import prepare
from tests.conftest import seed_instance


def test_a_database_that_does_not_answer_is_a_503_not_a_500(tmp_path):
    # Nothing listens on port 1: the PostgreSQL server is down.
    app = create_app({"data_dir": tmp_path, "testing": True,
                      "database_url": "postgresql://nobody@127.0.0.1:1/nothing"})
    client = app.test_client()
    try:
        answer = client.post("/api/v1/tickets", json={"service": "HOTICH"})
        assert answer.status_code == 503
        assert answer.json["error"]["code"] == "database_unavailable"
        assert int(answer.headers["Retry-After"]) > 0
        page = client.get("/kiosk", headers={"Accept": "text/html"})
        assert page.status_code == 503 and '<html lang="vi">' in page.text
        assert "Cơ sở dữ liệu tạm thời không trả lời" in page.text
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json["database"].startswith("error")
    finally:
        app.extensions["signage"].store.dispose()


@pytest.fixture
def prepared(tmp_path):
    """A data dir with the shipped content, its app closed again."""
    data = seed_instance(tmp_path / "instance")
    first = create_app({"data_dir": data, "testing": True})
    prepare(first.extensions["signage"], out=lambda *_: None)
    first.extensions["signage"].store.dispose()
    return data


def test_a_read_only_database_refuses_changes_with_its_own_code(prepared):
    db = prepared / "signage.db"
    app = create_app({"data_dir": prepared, "testing": True,
                      "database_url": f"sqlite:///file:{db}?mode=ro&uri=true"})
    client = app.test_client()
    try:
        answer = client.post("/api/v1/tickets", json={"service": "HOTICH"})
        assert answer.status_code == 503
        assert answer.json["error"]["code"] == "read_only"
        assert client.get("/api/v1/services").status_code == 200  # reading still works
    finally:
        app.extensions["signage"].store.dispose()


def test_a_full_disk_refuses_changes_and_saves_nothing_half_done(prepared):
    # (the lobby's kiosk: numbers as fast as it asks, not an anonymous address's few)
    app = create_app({"data_dir": prepared, "testing": True,
                      "anonymous_tickets": "1000/minute"})
    lobby = app.extensions["signage"]
    client = app.test_client()
    with sqlite3.connect(prepared / "signage.db") as db:
        tickets_before = db.execute("SELECT count(*) FROM queue_tickets").fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]

    # Given a database that cannot grow by a single page (what a full disk does to SQLite)
    @event.listens_for(lobby.store.engine, "connect")
    def _full(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    lobby.store.engine.dispose()
    try:
        # When citizens keep taking numbers (the last free bytes of the last page fill)
        answers = [client.post("/api/v1/tickets", json={"service": "HOTICH"})
                   for _ in range(60)]
        issued = [a for a in answers if a.status_code == 201]
        refused = [a for a in answers if a.status_code != 201]
        assert refused and {a.status_code for a in refused} == {503}
        assert {a.json["error"]["code"] for a in refused} == {"disk_full"}
    finally:
        lobby.store.dispose()
    # Then exactly the numbers answered 201 are stored, nothing half-written
    with sqlite3.connect(prepared / "signage.db") as db:
        assert db.execute("SELECT count(*) FROM queue_tickets").fetchone()[0] == \
            tickets_before + len(issued)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_health_names_the_disk_when_it_is_nearly_full(app, client, monkeypatch):
    import signage.lobby

    monkeypatch.setattr(signage.lobby, "LOW_DISK_BYTES", 1 << 62)  # more than any disk has
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json["disk"] == "error: full" and health.json["database"] == "ok"
