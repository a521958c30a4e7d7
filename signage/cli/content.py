"""signage content: notices, playlists and office hours as YAML files."""

from __future__ import annotations

from pathlib import Path

import click

from signage.cli import main, run, upgraded_lobby


def report_text(report: dict) -> str:
    """"3 thông báo mới, 1 cập nhật; khu vực: sanh-chinh" (and "; 2 ảnh" restored)."""
    pictures = f"; {report['images']} ảnh" if report.get("images") else ""
    return (f"{report['created']} thông báo mới, {report['updated']} cập nhật; "
            f"khu vực: {', '.join(report['zones']) or '—'}{pictures}")


@main.group()
def content() -> None:
    """Content as files (YAML)."""


@content.command("import")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def content_import(path: Path) -> None:
    """Load a content folder: new and changed notices become revisions (audited as
    "cli"), zones' playlists and office hours are replaced, the pictures in images/ are
    checked as uploads and restored; all or nothing."""
    from signage.usecases.content import import_content

    lobby = upgraded_lobby()
    report = run(lobby, import_content, path, lobby.settings.image_max_bytes)
    click.echo(f"Đã nhập / imported: {report_text(report)}")


@content.command("export")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
def content_export(path: Path) -> None:
    """Write every notice, the office, the zones' playlists and the uploaded pictures the
    notices use (images/) as files."""
    from signage.cli import _fail
    from signage.content import export_content
    from signage.errors import SignageError

    try:
        lobby = upgraded_lobby()
        count = lobby.query(export_content, path, lobby.settings.data_dir)
    except SignageError as exc:  # a link in the folder, a file outside it
        _fail(exc.text())
    click.echo(f"Đã xuất {count} thông báo / exported {count} notices to {path}")
