"""The frontend's shape, read from the files: plain ES modules with no build step, the
shared pieces in one place (signage/static/js/lib), no globals between files, and the
screen page preloading exactly the modules it imports."""

from __future__ import annotations

import re
from pathlib import Path

from signage.web.screen import SCREEN_SCRIPTS

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "signage" / "static"
JS = STATIC / "js"
IMPORT = re.compile(r'^\s*import\s+(?:[\w*{}\s,]+\s+from\s+)?"(\.{1,2}/[^"]+)";', re.M)


def modules() -> list[Path]:
    return sorted(JS.rglob("*.js"))


def imports_of(path: Path) -> list[Path]:
    return [(path.parent / spec).resolve() for spec in IMPORT.findall(path.read_text())]


def closure(entry: Path) -> set[Path]:
    seen: set[Path] = set()
    todo = [entry.resolve()]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        todo.extend(imports_of(path))
    return seen


def code_of(path: Path) -> str:
    """The file without its comments (so prose may name things the code must not use)."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    return re.sub(r"(^|\s)//[^\n]*", r"\1", text)


def test_every_import_names_a_module_that_exists():
    for path in modules():
        for target in imports_of(path):
            assert target.is_file(), f"{path.relative_to(ROOT)} imports missing {target}"


def test_the_screen_page_preloads_exactly_the_modules_it_imports():
    entry = STATIC / SCREEN_SCRIPTS[0]
    assert entry == JS / "screen.js"
    assert {(STATIC / s).resolve() for s in SCREEN_SCRIPTS} == closure(entry)
    assert len(set(SCREEN_SCRIPTS)) == len(SCREEN_SCRIPTS)


def test_every_page_loads_its_scripts_as_modules():
    tags = []
    for template in (ROOT / "templates").rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            if 'type="application/json"' not in tag:
                tags.append((template.relative_to(ROOT), tag))
    assert tags, "no scripts found"
    for template, tag in tags:
        assert 'type="module"' in tag and "src=" in tag, (template, tag)
    assert not list(STATIC.glob("*.js")) or [p.name for p in STATIC.glob("*.js")] == ["sw.js"]


def test_no_module_reads_another_through_window():
    globals_ = re.compile(r"window\.(signage\w*|Signage\w*)")
    for path in modules():
        for name in globals_.findall(code_of(path)):
            # The one deliberate handle, written (never read) by the screen's entry module.
            assert (path.name, name) == ("screen.js", "signageScreen"), (path.name, name)
    assert code_of(JS / "screen.js").count("window.signageScreen") == 1


def test_office_time_fetch_and_the_live_protocol_live_in_one_place_each():
    for path in modules():
        code = code_of(path)
        name = path.relative_to(JS).as_posix()
        if name != "lib/office-time.js":
            assert "timeZone" not in code and "DateTimeFormat" not in code, name
            assert "Asia/" not in code, f"{name} hard-codes a time zone"
        if name != "lib/api.js":
            assert "X-CSRFToken" not in code and "csrf-token" not in code, name
            # (the voice fetches its sound clips, which are files, not the API; a screen
            # sends its picture, a binary body, to its own door /screen/<key>/screenshot)
            assert "fetch(" not in code or name in ("speech.js", "screenshot.js"), name
        if name != "lib/live.js":
            assert "new WebSocket" not in code and '"resync"' not in code, name
