"""The `signage` console script."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from signage import __version__


def _app():
    from signage import create_app

    return create_app()


def _lobby(app=None):
    return (app or _app()).extensions["signage"]


def _fail(message: str) -> None:
    click.echo(f"Lỗi / Error: {message}", err=True)
    sys.exit(2)


@click.group()
@click.version_option(__version__, prog_name="signage")
def main() -> None:
    """signage — màn hình sảnh một cửa (lobby display service)."""


# ---- serve ---------------------------------------------------------------------

def prepare(lobby, out=click.echo) -> None:
    """Upgrade the schema; load content/ into an empty database."""
    from signage.content import database_is_empty, import_content
    from signage.store.migrate import upgrade

    upgrade(lobby.store)
    with lobby.store.write() as session:
        if database_is_empty(session):
            report = import_content(session, lobby.settings.content_dir, lobby.clock.now())
            out(f"Đã nạp nội dung mẫu từ {lobby.settings.content_dir}: {report}")
        from signage.queueing.seed import seed_queue

        if queue := seed_queue(session, lobby.settings.content_dir, lobby.clock.now()):
            out(f"Đã nạp {queue} từ {lobby.settings.content_dir}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--threads", default=1500, show_default=True, type=int,
              help="Worker threads; every connected screen holds one.")
@click.option("--workers", default=1, show_default=True, type=int,
              help="More than one needs SIGNAGE_REDIS_URL (events cross processes).")
@click.option("--demo", is_flag=True,
              help="Make sure demo screens and a demo admin exist; print the URLs to open.")
@click.option("--access-log", is_flag=True)
def serve(host: str, port: int, threads: int, workers: int, demo: bool, access_log: bool) -> None:
    """Upgrade the database, load content/ if empty, serve HTTP + WebSocket + scheduler."""
    from signage.server import serve as run

    lobby = _lobby()
    if workers > 1 and not lobby.settings.redis_url:
        _fail("--workers > 1 cần SIGNAGE_REDIS_URL (needs SIGNAGE_REDIS_URL).")
    prepare(lobby)
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    if demo:
        for name, key in _demo_screens(lobby):
            click.echo(f"Màn hình / Screen '{name}': {base}/screen/{key}")
        click.echo(f"Lấy số / Kiosk: {base}/kiosk")
        click.echo(f"Quầy / Counter console: {base}/counter")
        login = _demo_admin(lobby)
        click.echo(f"Quản trị / Admin: {base}/admin  ({login})")
    click.echo(f"Signage {__version__} đang chạy / serving at {base}  (health: {base}/healthz, "
               f"API: {base}/api/v1/openapi.json)")
    lobby.store.dispose()
    run(_app, host, port, threads, workers, scheduler=True, access_log=access_log)


def _demo_screens(lobby) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from signage.playlists.screens import add_screens
    from signage.store.models import Screen

    with lobby.store.write() as session:
        rows = session.execute(select(Screen.name, Screen.key).where(
            Screen.revoked_at.is_(None)).order_by(Screen.id)).all()
        if rows:
            return [tuple(r) for r in rows]
        screens = add_screens(session, ["Màn hình sảnh (demo)", "Màn hình dọc (demo)"],
                              now=lobby.clock.now())
        screens[1].orientation = "portrait"
        return [(s.name, s.key) for s in screens]


DEMO_ADMIN = "quantri-demo"  # not "admin": scripts that add their own "admin" must not clash


def _demo_admin(lobby) -> str:
    """A demo admin with a random password, kept (0600) in the data dir so a restart can
    show it again. Only when the database has no users at all."""
    import os
    import secrets

    from sqlalchemy import func, select

    from signage.accounts import add_user
    from signage.store.models import User

    note = lobby.settings.data_dir / "demo-admin.txt"
    with lobby.store.write() as session:
        if session.scalar(select(func.count()).select_from(User)):
            return note.read_text().strip() if note.exists() else "tài khoản đã có / existing accounts"
        password = secrets.token_urlsafe(9)
        add_user(session, DEMO_ADMIN, "admin", password, lobby.clock.now())
    text = f"đăng nhập / login: {DEMO_ADMIN}, mật khẩu / password: {password}"
    fd = os.open(note, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text + "\n")
    return text


# ---- db ---------------------------------------------------------------------------

@main.group()
def db() -> None:
    """Database schema and backups."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the schema to the newest revision."""
    from signage.store.migrate import upgrade

    lobby = _lobby()
    upgrade(lobby.store)
    click.echo("Cơ sở dữ liệu đã ở phiên bản mới nhất / schema is up to date.")


@db.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(path: Path) -> None:
    """Copy the SQLite database to PATH, consistently, while the service runs."""
    lobby = _lobby()
    if not lobby.store.is_sqlite:
        _fail("Với PostgreSQL hãy dùng pg_dump (use pg_dump for PostgreSQL).")
    source = lobby.store.engine.url.database
    src = sqlite3.connect(source)
    dst = sqlite3.connect(path)
    with dst:
        src.backup(dst)  # SQLite's online backup: a consistent copy under WAL
    src.close()
    dst.close()
    click.echo(f"Đã sao lưu / backed up to {path}")


# ---- users and tokens ------------------------------------------------------------

@main.group()
def users() -> None:
    """Staff accounts."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "editor", "approver", "operator"]))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_add(name: str, role: str, password_stdin: bool) -> None:
    from signage.accounts import AccountError, add_user
    from signage.accounts.audit import ACTOR_CLI, record
    from signage.store.migrate import upgrade

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Mật khẩu / Password", hide_input=True, confirmation_prompt=True)
    lobby = _lobby()
    upgrade(lobby.store)
    try:
        with lobby.store.write() as session:
            add_user(session, name, role, password, lobby.clock.now())
            record(session, ACTOR_CLI, "user.create", f"user:{name}", {"role": role},
                   now=lobby.clock.now())
    except AccountError as exc:
        _fail(str(exc))
    click.echo(f"Đã tạo người dùng {name} ({role}) / user created.")


@users.command("list")
def users_list() -> None:
    """One line per user: name, role, active or inactive."""
    from signage.accounts import list_users
    from signage.store.migrate import upgrade

    lobby = _lobby()
    upgrade(lobby.store)
    with lobby.store.read() as session:
        for user in list_users(session):
            click.echo(f"{user.name}\t{user.role}\t{'active' if user.active else 'inactive'}")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_passwd(name: str, password_stdin: bool) -> None:
    """Set NAME's password (their open sessions end)."""
    from signage.accounts import AccountError, set_password, user_by_name
    from signage.accounts.audit import ACTOR_CLI, record
    from signage.store.migrate import upgrade

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Mật khẩu mới / New password", hide_input=True,
                                confirmation_prompt=True)
    lobby = _lobby()
    upgrade(lobby.store)
    try:
        with lobby.store.write() as session:
            set_password(user_by_name(session, name), password)
            record(session, ACTOR_CLI, "user.password", f"user:{name}", now=lobby.clock.now())
    except AccountError as exc:
        _fail(str(exc))
    click.echo(f"Đã đặt mật khẩu mới cho {name} / password set.")


@main.group()
def tokens() -> None:
    """API bearer tokens."""


@tokens.command("add")
@click.argument("name")
@click.option("--label", default="", help="What the token is for.")
def tokens_add(name: str, label: str) -> None:
    """Print a new API token for user NAME (last line of output)."""
    from signage.accounts import AccountError, add_token
    from signage.store.migrate import upgrade

    lobby = _lobby()
    upgrade(lobby.store)
    try:
        with lobby.store.write() as session:
            token = add_token(session, name, label, lobby.clock.now())
    except AccountError as exc:
        _fail(str(exc))
    click.echo(f"Token cho {name} (chỉ hiện một lần / shown once):", err=True)
    click.echo(token)


# ---- screens ----------------------------------------------------------------------

@main.group()
def screens() -> None:
    """Lobby screens."""


@screens.command("add")
@click.argument("names", nargs=-1, required=True)
@click.option("--zone", default="sanh-chinh", show_default=True)
@click.option("--orientation", default="landscape", type=click.Choice(["landscape", "portrait"]))
def screens_add(names: tuple[str, ...], zone: str, orientation: str) -> None:
    """Add one screen per NAME; print their keys, one per line, in order."""
    from signage.playlists.screens import ScreenError, add_screens
    from signage.store.migrate import upgrade

    lobby = _lobby()
    upgrade(lobby.store)
    try:
        with lobby.store.write() as session:
            added = add_screens(session, list(names), zone, orientation, now=lobby.clock.now())
            keys = [s.key for s in added]
    except ScreenError as exc:
        _fail(str(exc))
    for key in keys:
        click.echo(key)


@screens.command("list")
def screens_list() -> None:
    from signage.playlists.screens import list_screens

    lobby = _lobby()
    with lobby.store.read() as session:
        for s in list_screens(session):
            state = "revoked" if s.revoked_at else "active"
            click.echo(f"{s.id}\t{s.zone.slug}\t{s.orientation}\t{state}\t{s.name}\t/screen/{s.key}")


# ---- content ------------------------------------------------------------------------

@main.group()
def content() -> None:
    """Content as files (YAML)."""


@content.command("import")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def content_import(path: Path) -> None:
    from signage.content import ContentError, import_content
    from signage.store.migrate import upgrade

    lobby = _lobby()
    upgrade(lobby.store)
    try:
        with lobby.store.write() as session:
            report = import_content(session, path, lobby.clock.now())
    except ContentError as exc:
        _fail(str(exc))
    click.echo(f"Đã nhập / imported: {report}")


@content.command("export")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
def content_export(path: Path) -> None:
    from signage.content import export_content

    lobby = _lobby()
    with lobby.store.read() as session:
        count = export_content(session, path)
    click.echo(f"Đã xuất {count} thông báo / exported {count} notices to {path}")


if __name__ == "__main__":
    main()
