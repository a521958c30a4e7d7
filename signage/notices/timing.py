"""How long a notice should stay on the glass: long enough for each of its pages.

A slide's pages share its time evenly (signage/static/slides.js), so a procedure that
lays out into eight pages needs about eight times a page's reading time, not the 15 s
of a short law message. The browser is where pages are counted; this estimate, from the
record's text, is what the content import gives a playlist entry that names no
duration. It was calibrated against the real layout (landscape 1920×1080 with the queue
panel and the ticker on, portrait 1080×1920 is within a page of it): about 560
characters of a procedure, 480 of a law message, make a page (labels and spacing
counted as characters).
"""

from __future__ import annotations

import math
from typing import Any

SECONDS_PER_PAGE = 10     # a page read at a glance from a lobby seat; the QR code has the rest
MIN_SECONDS = 15
MAX_SECONDS = 150         # beyond this one notice holds the whole lobby too long
_CHARS_PER_PAGE = {"procedure": 560, "law": 480}


def _procedure_chars(r: dict[str, Any]) -> int:
    # Fixed numbers stand for what a unit costs beyond its text: labels, spacing, badges.
    n = len(r.get("summary") or "") + 300
    n += sum(len(d.get("name") or "") + len(d.get("form") or "") + 90
             + (0 if d.get("required", True) else len(d.get("note") or ""))
             for d in r.get("documents") or [])
    n += sum(len(c.get("deadline") or "") + len(c.get("fee") or "") + len(c.get("note") or "") + 150
             for c in r.get("channels") or [])
    # Steps, conditions and result are not on the glass (the QR code has them); the legal
    # bases are one compact line.
    n += sum(len(b.get("number") or "") + len(b.get("summary") or "") + 4
             for b in r.get("legal_bases") or [])
    return n


def _law_chars(r: dict[str, Any]) -> int:
    body = r.get("body") or ""
    return len(body) + len(r.get("legal_ref") or "") + 60 * body.count("\n- ") + 100


def estimated_pages(record: dict[str, Any]) -> int:
    """About how many pages the record lays out into on a screen (at least 1)."""
    kind = record.get("kind", "procedure")
    if kind == "results":  # one chart, laid out to fit one page (templates/slides/results.html)
        return 1
    chars = _law_chars(record) if kind == "law" else _procedure_chars(record)
    return max(1, math.ceil(chars / _CHARS_PER_PAGE.get(kind, 560)))


def suggested_duration(record: dict[str, Any]) -> int:
    """Seconds a playlist should give this notice: SECONDS_PER_PAGE per page, bounded."""
    return max(MIN_SECONDS, min(MAX_SECONDS, estimated_pages(record) * SECONDS_PER_PAGE))
