"""Where the top-level `templates/` and `content/` are, in a checkout or an installed wheel."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_path(name: str) -> Path:
    """`templates` or `content`: inside the wheel (signage/_bundled/NAME) or the checkout's top level."""
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


STATIC_DIR = _PACKAGE / "static"


@cache
def static_version() -> str:
    """The version of the pages' own files: 12 hex digits of the SHA-256 of every file
    under signage/static (path and bytes). A TV's page reports it (the fleet page shows
    which TVs run old files), and the screen's snapshot carries it, so a page running
    older files than the server's reloads itself (docs/protocol.md)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in STATIC_DIR.rglob("*") if p.is_file()):
        digest.update(path.relative_to(STATIC_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
