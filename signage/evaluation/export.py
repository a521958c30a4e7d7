"""Tables as CSV, the same from every door (the API's `format=csv`, the reports page's
download links, `signage export`): a header of stable field names, UTF-8 with a byte
order mark so spreadsheet programs read the Vietnamese, lists joined by ";"."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

# The exports' columns, in this order: scripts and the provincial system rely on them
# (docs/evaluation.md). The API's JSON items carry the same names.
RATING_COLUMNS = ["id", "at", "office_date", "ticket", "ticket_display", "service", "counter",
                  "officer_id", "officer", "scale", "score", "satisfied", "reasons", "comment",
                  "channel"]
FEEDBACK_COLUMNS = ["id", "created_at", "channel", "status", "text", "contact", "ticket",
                    "counter", "answer", "handled_by", "answered_at", "updated_at"]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return value


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows (dicts) as CSV text; columns in `columns`' order, else the first row's."""
    rows = list(rows)
    names = list(columns or (rows[0].keys() if rows else []))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in names])
    return out.getvalue()
