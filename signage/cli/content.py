"""signage content: notices, playlists and office hours as YAML files."""

from __future__ import annotations

from pathlib import Path

import click

from signage.cli import _fail, _lobby, main, run, upgraded_lobby  # noqa: F401

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


