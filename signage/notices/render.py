"""Notices rendered to slide HTML for the screens. Screens only ever get sanitised HTML."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from signage.resources import bundled_path

# What a law message's Markdown may become on a TV: text structure, nothing active.
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote",
                "h3", "h4", "code", "a", "span", "sup", "sub", "hr"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https"}

CHANNEL_LABELS = {
    "truc_tiep": "Trực tiếp",
    "truc_tuyen": "Trực tuyến",
    "buu_chinh": "Dịch vụ bưu chính",
}
COPY_LABELS = {"original": "Bản chính", "copy": "Bản sao", "either": "Bản chính hoặc bản sao"}


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "js-default" does not pass raw HTML through; the sanitiser below runs anyway.
    return MarkdownIt("js-default")


def markdown_to_html(text: str) -> str:
    """Markdown → HTML that is safe to put on any screen (no script, no handlers)."""
    html = _markdown().render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


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
        self.env.globals.update(CHANNEL_LABELS=CHANNEL_LABELS, COPY_LABELS=COPY_LABELS)

    def render(self, notice: dict[str, Any]) -> str:
        template = self.env.get_template(f"slides/{notice['kind']}.html")
        return template.render(n=notice)
