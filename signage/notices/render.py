"""Notices rendered to slide HTML for the screens. Screens only ever get sanitised HTML.

Two kinds of markup reach a screen:
- what we write ourselves (templates/slides/*.html, autoescaped Jinja) and the QR code,
  which segno generates from a URL the schema has already checked;
- a law message's Markdown body, which an editor writes. It goes through markdown-it-py
  in its "js-default" preset (raw HTML is not passed through, `javascript:`/`vbscript:`/
  `file:` links are refused) and then, whatever markdown-it produced, through nh3 with
  the explicit allow-list below. Nothing else of the editor's text is ever marked safe.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import nh3
import segno
from markdown_it import MarkdownIt
from markupsafe import Markup

from signage.resources import bundled_path

# What a law message's Markdown may become on a TV: text structure, nothing active, no
# images (an image is the message's own `image` field, a path on this server) and no
# attributes but a link's target (http/https only; a TV cannot follow it, the text stays).
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "s", "ul", "ol", "li", "blockquote",
                "h3", "h4", "code", "a", "span", "sup", "sub", "hr",
                "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https"}

# The slide's title is the page's h1 and its section heads are h2: a message's own
# headings start at h3 so they never outrank the slide.
_HEADING_TAGS = {"h1": "h3", "h2": "h3", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4"}

CHANNEL_LABELS = {
    "truc_tiep": "Trực tiếp",
    "truc_tuyen": "Trực tuyến",
    "buu_chinh": "Dịch vụ bưu chính",
}
COPY_LABELS = {"original": "Bản chính", "copy": "Bản sao", "either": "Bản chính hoặc bản sao"}
QR_CAPTION = "Quét mã để xem chi tiết"


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "js-default" does not pass raw HTML through; the sanitiser below runs anyway.
    return MarkdownIt("js-default")


def markdown_to_html(text: str) -> str:
    """Markdown → HTML that is safe to put on any screen (no script, no handlers)."""
    md = _markdown()
    tokens = md.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_TAGS.get(token.tag, token.tag)
    html = md.renderer.render(tokens, md.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@lru_cache(maxsize=512)
def qr_svg(url: str) -> str:
    """The URL as a QR code, an inline SVG that scales to its box (no width/height).
    Cached: an edit re-renders the slide, but its procedure's URL rarely changes."""
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(omitsize=True, border=2, dark="#10213a", light="#ffffff",
                         svgclass="qr-code", title=QR_CAPTION)


def paragraphs(text: str) -> list[str]:
    """A free-text field as the paragraphs an editor meant (blank-line or line breaks)."""
    return [p.strip() for p in re.split(r"\n+", text or "") if p.strip()]


def quantity_text(item: dict[str, Any]) -> str:
    """"01 bản chính", "02 bản sao", "01 bản chính hoặc bản sao" — as the portal writes it."""
    return f"{int(item.get('quantity') or 1):02d} {COPY_LABELS[item.get('copy') or 'original'].lower()}"


def vn_date(value: str | None) -> str:
    """ISO date → the Vietnamese way of writing it ("2014-11-20" → "20/11/2014")."""
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", str(value or ""))
    return f"{match[3]}/{match[2]}/{match[1]}" if match else str(value or "")


def vn_percent(value: float | None) -> str:
    """A share as the Vietnamese write it: 92,5% (no decimal when whole); – when none."""
    if value is None:
        return "–"
    text = f"{value:.1f}".replace(".", ",")
    return f"{text[:-2] if text.endswith(',0') else text}%"


def vn_thousands(value: int) -> str:
    """1234 → "1.234"."""
    return f"{int(value):,}".replace(",", ".")


class SlideRenderer:
    """Renders a notice (its API JSON) into the HTML fragment a screen shows."""

    def __init__(self, templates_dir: Path | None = None) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir or bundled_path("templates"))),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["markdown"] = lambda text: Markup(markdown_to_html(text))
        self.env.filters["paragraphs"] = paragraphs
        self.env.filters["quantity"] = quantity_text
        self.env.filters["vn_date"] = vn_date
        self.env.filters["pct"] = vn_percent
        self.env.filters["thousands"] = vn_thousands
        # segno's output is ours, from a URL the schema accepted: safe to inline.
        self.env.filters["qr"] = lambda url: Markup(qr_svg(url)) if url else ""
        self.env.globals.update(CHANNEL_LABELS=CHANNEL_LABELS, COPY_LABELS=COPY_LABELS,
                                QR_CAPTION=QR_CAPTION)

    def render(self, notice: dict[str, Any], figures: dict[str, Any] | None = None) -> str:
        """The slide of `notice` (its API JSON); `figures`: what a slide drawn from the
        data shows (the results slide: signage.evaluation.reports.results_slide)."""
        template = self.env.get_template(f"slides/{notice['kind']}.html")
        return template.render(n=notice, f=figures)
