"""Where the top-level `templates/` and `content/` are, in a checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_path(name: str) -> Path:
    """`templates` or `content`: inside the wheel (signage/_bundled/NAME) or the checkout's top level."""
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


STATIC_DIR = _PACKAGE / "static"
