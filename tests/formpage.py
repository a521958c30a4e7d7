"""The notice editor's page read as a browser reads it, and its record collected as its
script collects it (signage/static/admin-notices.js, `collect()`), without a browser.

A small DOM from html.parser is enough: the form's inputs, textareas and selects with
their `data-field` / `data-key`, the repeating groups' rows (`<template>` rows are not
part of the document, as in a browser), the HTML rules that matter for values (a
select with no `selected` option shows its first; a newline right after `<textarea>`
is dropped; entities are decoded).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node] = []
        self.text = ""

    def walk(self, skip_templates: bool = True):
        for child in self.children:
            if skip_templates and child.tag == "template":
                continue
            yield child
            yield from child.walk(skip_templates)

    def find_all(self, attr: str) -> list[Node]:
        return [n for n in self.walk() if attr in n.attrs]

    def find(self, attr: str, value: str | None = None) -> Node | None:
        return next((n for n in self.walk() if attr in n.attrs
                     and (value is None or n.attrs[attr] == value)), None)


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.here = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.here)
        self.here.children.append(node)
        if tag not in VOID:
            self.here = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.here.children.append(Node(tag, dict(attrs), self.here))

    def handle_endtag(self, tag: str) -> None:
        node = self.here
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.here = node.parent

    def handle_data(self, data: str) -> None:
        if self.here.tag == "textarea" and not self.here.text and data.startswith("\n"):
            data = data[1:]  # HTML drops a newline right after <textarea>
        self.here.text += data


def parse_html(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


def page_json(html: str, element_id: str) -> Any:
    found = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>',
                      html, re.S)
    return json.loads(found[1]) if found else None


def value_of(el: Node) -> Any:
    """An element's value as the script's valueOf() reads it."""
    if el.tag == "textarea":
        return el.text
    if el.tag == "select":
        options = [o for o in el.walk() if o.tag == "option"]
        chosen = next((o for o in options if "selected" in o.attrs), options[0] if options else None)
        return (chosen.attrs.get("value") or "") if chosen else ""
    kind = el.attrs.get("type", "text")
    value = el.attrs.get("value") or ""
    if kind == "checkbox":
        return "checked" in el.attrs
    if kind == "number":
        return int(value) if value.strip() and re.fullmatch(r"-?\d+", value.strip()) else value
    if kind == "date":
        return value or None
    return value


def collect(html: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the record the form holds as its script would send it, the page's notice-data)."""
    data = page_json(html, "notice-data")
    form = parse_html(html).find("data-notice-form")
    assert form is not None, "no notice form on the page"
    record: dict[str, Any] = {"kind": data["kind"]}
    for el in form.find_all("data-field"):
        record[el.attrs["data-field"]] = value_of(el)
    for group in form.find_all("data-group"):
        rows = [r for r in group.find("data-rows").children if r.tag == "li"]
        scalar = "data-scalar" in group.attrs
        items = []
        for row in rows:
            cells = row.find_all("data-key")
            items.append(value_of(cells[0]) if scalar
                         else {c.attrs["data-key"]: value_of(c) for c in cells})
        record[group.attrs["data-group"]] = items
    if data["kind"] == "procedure":
        for basis in record.get("legal_bases", []):
            if not basis.get("issued"):
                basis.pop("issued", None)
    elif not record.get("slug"):
        record.pop("slug", None)
    return record, data
