"""The version of the pages' own files: a hash of everything under signage/static.

A TV's page reports it (the fleet page shows which TVs run old files), and the screen's
snapshot carries it, so a page running older files than the server's reloads itself
(docs/protocol.md).
"""

from __future__ import annotations

import hashlib
from functools import cache

from signage.resources import STATIC_DIR


@cache
def static_version() -> str:
    """12 hex digits of the SHA-256 of every static file's path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in STATIC_DIR.rglob("*") if p.is_file()):
        digest.update(path.relative_to(STATIC_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
