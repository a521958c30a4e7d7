"""signage serve: the service, and what it prepares first."""

from __future__ import annotations

import click

from signage.cli import _app, _fail, _lobby, main
from signage.version import __version__


def prepare(lobby, out=click.echo) -> None:
    """Upgrade the schema; load content/ into an empty database (as "system", through
    the same use cases as `signage content import`)."""
    from signage.cli.content import report_text
    from signage.content import database_is_empty
    from signage.store.migrate import upgrade
    from signage.usecases import Actor
    from signage.usecases.content import import_content

    upgrade(lobby.store)
    if lobby.query(database_is_empty):
        report = lobby.perform(import_content, Actor.system(), lobby.settings.content_dir,
                               lobby.settings.image_max_bytes)
        out(f"Đã nạp nội dung mẫu từ {lobby.settings.content_dir}: {report_text(report)}")
    from signage.usecases.queue import seed_queue

    if queue := lobby.perform(seed_queue, Actor.system(), lobby.settings.content_dir):
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
@click.option("--worker-class", type=click.Choice(["gthread", "gevent"]), default="gthread",
              show_default=True,
              help="gevent: screens on greenlets, no thread per screen "
                   "(pip install 'signage[gevent]'); see docs/benchmarks.md.")
def serve(host: str, port: int, threads: int, workers: int, demo: bool, access_log: bool,
          worker_class: str) -> None:
    """Upgrade the database, load content/ if empty, serve HTTP + WebSocket + scheduler."""
    from signage.server import listen_early
    from signage.server import serve as serve_forever

    try:
        # First: TVs knocking while the rest starts wait in the queue (not refused).
        listener = listen_early(host, port)
    except OSError as exc:
        _fail(f"Không mở được cổng {host}:{port} / cannot listen on {host}:{port}: {exc}")
    lobby = _lobby(relay=False)  # this process becomes the server
    if workers > 1 and not lobby.settings.redis_url:
        _fail("--workers > 1 cần SIGNAGE_REDIS_URL (needs SIGNAGE_REDIS_URL).")
    prepare(lobby)
    _check_connection_budget(lobby, workers)
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    if demo:
        for name, key in _demo_screens(lobby):
            click.echo(f"Màn hình / Screen '{name}': {base}/screen/{key}")
        click.echo(f"Lấy số / Kiosk: {base}/kiosk")
        click.echo(f"Quầy / Counter console: {base}/counter")
        login = _demo_admin(lobby)
        click.echo(f"Quản trị / Admin: {base}/admin  ({login})")
        if not lobby.settings.public_url or host in ("127.0.0.1", "localhost"):
            # The ticket's QR code and the TVs need an address the LAN reaches (issue 9).
            click.echo("TV, máy lấy số và điện thoại trong mạng LAN: chạy với --host 0.0.0.0 và "
                       "SIGNAGE_PUBLIC_URL=http://<địa chỉ máy này>:" f"{port} (docs/kiosk.md) / "
                       "for TVs, kiosks and phones on the LAN: --host 0.0.0.0 and "
                       "SIGNAGE_PUBLIC_URL (the QR on a ticket points there).")
    click.echo(f"Signage {__version__} đang chạy / serving at {base}  (health: {base}/healthz, "
               f"API: {base}/api/v1/openapi.json)")
    lobby.store.dispose()
    serve_forever(_app, host, port, threads, workers, scheduler=True, access_log=access_log,
                  worker_class=worker_class, listener=listener)


# Connections left for everything else on the database server (psql, backups, the CLI).
RESERVED_CONNECTIONS = 10


def _check_connection_budget(lobby, workers: int) -> None:
    """Refuse to start, in words, when this server's pools could take more PostgreSQL
    connections than the server allows: better than screens refused mid-upgrade with
    "too many clients", which also locks every other user of the database out. (Several
    `signage serve` on one database: keep their sum under it, deployment/README.md.)"""
    room = lobby.store.connection_room()
    if room is None:
        return
    limit, _used = room
    per = lobby.store.connections_per_process
    need, allowed = workers * per, limit - RESERVED_CONNECTIONS
    if need > allowed:
        _fail(f"{workers} tiến trình × {per} kết nối = {need} > {allowed} kết nối PostgreSQL "
              f"cho phép (max_connections {limit}, chừa {RESERVED_CONNECTIONS}). Giảm --workers "
              f"hoặc tăng max_connections. / {workers} workers × {per} connections = {need} > "
              f"{allowed} PostgreSQL connections allowed (max_connections {limit}, "
              f"{RESERVED_CONNECTIONS} kept free): lower --workers or raise max_connections.")


def _demo_screens(lobby) -> list[tuple[str, str]]:
    """The screens to open: those there are, else a landscape and a portrait demo TV."""
    from signage.usecases import Actor
    from signage.usecases.screens import add_screens, list_screens

    found = [(s["name"], s["key"]) for s in lobby.query(list_screens) if not s["revoked"]]
    if found:
        return found
    added = []
    for name, orientation in (("Màn hình sảnh (demo)", "landscape"),
                              ("Màn hình dọc (demo)", "portrait")):
        added += lobby.perform(add_screens, Actor.system(),
                               {"names": [name], "orientation": orientation})
    return [(s["name"], s["key"]) for s in added]


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


