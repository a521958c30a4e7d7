"""Charts drawn on the server as SVG (no script, no library to vendor): bars for the
reports page and its print. Pure: values in, markup out; every label is escaped."""

from __future__ import annotations

from html import escape


def bars(items: list[tuple[str, float]], *, unit: str = "", width: int = 560,
         row: int = 28, label_width: int = 200, top: float | None = None,
         title: str = "") -> str:
    """Horizontal bars, one row per (label, value), the value written at the bar's end."""
    if not items:
        return ""
    scale_top = top or max((v for _, v in items), default=0) or 1
    height = row * len(items) + 8
    room = width - label_width - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'aria-label="{escape(title)}">']
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        length = max(0.0, room * (value / scale_top))
        shown = f"{value:g}{unit}"
        parts.append(f'<text x="{label_width - 8}" y="{y + row * 0.62:.1f}" text-anchor="end" '
                     f'class="chart-label">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" '
                     f'height="{row - 8}" class="chart-bar"/>')
        parts.append(f'<text x="{label_width + length + 6:.1f}" y="{y + row * 0.62:.1f}" '
                     f'class="chart-value">{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def columns(items: list[tuple[str, float]], *, width: int = 560, height: int = 200,
            title: str = "") -> str:
    """Vertical bars over a time axis (per day, per hour); every label below its bar
    when they fit, else every few."""
    if not items:
        return ""
    top = max((v for _, v in items), default=0) or 1
    plot = height - 40
    step = width / len(items)
    every = max(1, int(len(items) * 34 / width) + 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'aria-label="{escape(title)}">']
    for i, (label, value) in enumerate(items):
        h = plot * (value / top)
        x = i * step
        parts.append(f'<rect x="{x + step * 0.15:.1f}" y="{10 + plot - h:.1f}" '
                     f'width="{step * 0.7:.1f}" height="{h:.1f}" class="chart-bar">'
                     f'<title>{escape(label)}: {value:g}</title></rect>')
        if value:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{8 + plot - h:.1f}" '
                         f'text-anchor="middle" class="chart-value">{value:g}</text>')
        if i % every == 0:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{height - 12}" text-anchor="middle" '
                         f'class="chart-label">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
