"""signage: the lobby display service of a Vietnamese ward one-stop-shop.

`create_app` builds everything; importing this package starts nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

from signage.version import __version__


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The Flask app: settings, store, Hub, blueprints. See signage.app."""
    from signage.app import create_app as _create_app

    return _create_app(config)


__all__ = ["create_app", "__version__"]
