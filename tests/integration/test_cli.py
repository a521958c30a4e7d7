"""The `signage` console script: users, tokens, screens, backup."""

import sqlite3

from sqlalchemy import select

from signage.accounts import user_for_token
from signage.store.models import Screen


def test_users_add_then_tokens_add_gives_a_working_token_on_the_last_line(runner, lobby, client):
    added = runner.invoke("users", "add", "bientap", "--role", "editor", "--password-stdin",
                          input="mot-mat-khau-dai\n")
    assert added.exit_code == 0, added.output
    made = runner.invoke("tokens", "add", "bientap")
    token = made.stdout.strip().splitlines()[-1]
    with lobby.store.read() as session:
        assert user_for_token(session, token).name == "bientap"
    response = client.get("/api/v1/notices", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_a_short_password_is_refused_with_a_clear_message(runner):
    result = runner.invoke("users", "add", "ngan", "--role", "editor", "--password-stdin",
                           input="ngan\n")
    assert result.exit_code == 2
    assert "ít nhất 10 ký tự" in result.output


def test_screens_add_prints_keys_in_the_order_of_the_names(runner, lobby):
    result = runner.invoke("screens", "add", "Một", "Hai", "Ba", "--zone", "tang-1",
                           "--create-zone")
    keys = result.stdout.split()
    assert result.exit_code == 0 and len(keys) == 3
    with lobby.store.read() as session:
        by_key = {s.key: (s.name, s.zone.slug) for s in session.scalars(select(Screen))}
    assert [by_key[k] for k in keys] == [("Một", "tang-1"), ("Hai", "tang-1"), ("Ba", "tang-1")]


def test_db_backup_writes_a_consistent_copy(runner, tmp_path):
    target = tmp_path / "backup.db"
    result = runner.invoke("db", "backup", str(target))
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM notices").fetchone()[0] >= 10
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
