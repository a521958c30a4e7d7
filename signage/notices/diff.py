"""What changed between two versions of a notice, for people: field by field, Vietnamese
labels, and inside a field a word diff (one line of text) or a line diff (long text, and
the repeating groups — one dossier item, channel, legal basis or step per line)."""

from __future__ import annotations

import difflib
import re
from typing import Any

from signage.notices.render import CHANNEL_LABELS, COPY_LABELS, vn_date
from signage.notices.schema import LABELS, MODELS

# The order a person reads a notice in (the form's order), per kind.
FIELDS = {kind: [f for f in model.model_fields if f != "kind"] for kind, model in MODELS.items()}
_EMPTY = (None, "", [])  # a field left out and a field left empty read the same
_TOKEN = re.compile(r"\s+|[\w]+|[^\w\s]", re.UNICODE)


def _document(item: dict[str, Any]) -> str:
    parts = [f"{int(item.get('quantity') or 1):02d} "
             f"{COPY_LABELS.get(item.get('copy') or 'original', '').lower()}",
             "bắt buộc" if item.get("required", True) else "nếu có"]
    if item.get("form"):
        parts.append(f"mẫu: {item['form']}")
    if item.get("note"):
        parts.append(f"ghi chú: {' '.join(str(item['note']).split())}")
    return f"{item.get('name', '')} — {'; '.join(parts)}"


def _channel(item: dict[str, Any]) -> str:
    text = (f"{CHANNEL_LABELS.get(item.get('channel', ''), item.get('channel', ''))}: "
            f"thời hạn {item.get('deadline', '')}; phí, lệ phí {item.get('fee', '')}")
    if item.get("note"):
        text += f"; ghi chú: {' '.join(str(item['note']).split())}"
    return " ".join(text.split())


def _legal_basis(item: dict[str, Any]) -> str:
    text = f"{item.get('number', '')} — {item.get('summary', '')}"
    extra = [x for x in (item.get("issuer"), vn_date(item.get("issued")) if item.get("issued") else "")
             if x]
    return text + (f" ({', '.join(extra)})" if extra else "")


def _step(index: int, text: str) -> str:
    return f"Bước {index}: {' '.join(str(text).split())}"


def as_lines(name: str, value: Any) -> list[str] | None:
    """A repeating group as one readable line per entry; None for a plain field."""
    if not isinstance(value, list):
        return None
    if name == "documents":
        return [_document(x) for x in value if isinstance(x, dict)]
    if name == "channels":
        return [_channel(x) for x in value if isinstance(x, dict)]
    if name == "legal_bases":
        return [_legal_basis(x) for x in value if isinstance(x, dict)]
    if name == "steps":
        return [_step(i, x) for i, x in enumerate(value, start=1)]
    return [str(x) for x in value]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    return str(value)


def _word_ops(before: str, after: str) -> list[dict[str, Any]]:
    """Runs of equal, deleted and inserted words (spaces and punctuation kept)."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    ops: list[dict[str, Any]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append({"op": "equal", "text": "".join(a[i1:i2])})
            continue
        if i2 > i1:
            ops.append({"op": "delete", "text": "".join(a[i1:i2])})
        if j2 > j1:
            ops.append({"op": "insert", "text": "".join(b[j1:j2])})
    return ops


def _line_ops(before: list[str], after: list[str]) -> list[dict[str, Any]]:
    """One op per line (a table of lines reads best so); a line replaced by one line
    also says which words changed in it (`words`, the word diff of the pair)."""
    ops: list[dict[str, Any]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops += [{"op": "equal", "text": line} for line in before[i1:i2]]
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for old, new in zip(before[i1:i2], after[j1:j2], strict=True):
                words = _word_ops(old, new)
                ops.append({"op": "delete", "text": old, "words": words})
                ops.append({"op": "insert", "text": new, "words": words})
        else:
            ops += [{"op": "delete", "text": line} for line in before[i1:i2]]
            ops += [{"op": "insert", "text": line} for line in after[j1:j2]]
    return ops


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields that differ between two records (`before` None: everything is new).

    Each: {field, label, before, after, mode: "words"|"lines", ops: [{op, text}]} where
    op is "equal", "delete" or "insert" (in "lines" mode one per line, and a line
    replaced by one line carries `words`, its word diff); `before`/`after` are the
    readable texts.
    """
    before = before or {}
    kind = after.get("kind") or before.get("kind") or "procedure"
    names = list(FIELDS.get(kind, []))
    names += [k for k in (*before, *after) if k not in names and k != "kind"]
    rows = []
    for name in names:
        a, b = before.get(name), after.get(name)
        if a == b or (a in _EMPTY and b in _EMPTY):
            continue
        lines_a, lines_b = as_lines(name, a), as_lines(name, b)
        if lines_a is not None or lines_b is not None:
            la, lb = lines_a or [], lines_b or []
            mode, ops = "lines", _line_ops(la, lb)
            text_a, text_b = "\n".join(la), "\n".join(lb)
        else:
            text_a, text_b = _text(a), _text(b)
            if "\n" in text_a or "\n" in text_b:
                mode = "lines"
                ops = _line_ops(text_a.split("\n") if text_a else [],
                                text_b.split("\n") if text_b else [])
            else:
                mode = "words"
                ops = _word_ops(text_a, text_b)
        rows.append({"field": name, "label": LABELS.get(name, name), "before": text_a,
                     "after": text_b, "mode": mode, "ops": ops})
    return rows
