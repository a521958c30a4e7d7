"""The self-hosted Be Vietnam Pro is cut to what Vietnamese needs (tools/fonts/subset.py):
every character of the shipped content/, the templates and the screen's UI strings must
still be in it, or a TV would show that letter in another font."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont  # the `test` extra: fonttools[woff]

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "signage" / "static" / "fonts"
WEIGHTS = (400, 500, 600, 700, 800)
# Signs the font never had (arrows, box drawing in comments, ★ ⚠ ✓): the system's font shows them.
NOT_IN_FONT = set("←↑→↓─└┘►★⚠✓")
# Every Vietnamese letter with every tone, both cases: an editor may type any word.
VOWELS = "aăâeêioôơuưy"
TONES = "\u0300\u0301\u0303\u0309\u0323"


@functools.cache
def cmap(weight: int) -> set[str]:
    font = TTFont(FONTS / f"be-vietnam-pro-vi-{weight}.woff2")
    return {chr(cp) for cp in font.getBestCmap()}


def characters(folder: str, *patterns: str) -> dict[str, str]:
    """Each printable character of the files, with one file it is in."""
    found: dict[str, str] = {}
    for pattern in patterns:
        for path in sorted((ROOT / folder).rglob(pattern)):
            for c in path.read_text(encoding="utf-8"):
                if c.isprintable() and not c.isspace():
                    found.setdefault(c, str(path.relative_to(ROOT)))
    return found


def js_strings() -> dict[str, str]:
    """The characters of the string literals of the screen's and the pages' scripts."""
    found: dict[str, str] = {}
    literal = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`")
    for path in sorted((ROOT / "signage" / "static" / "js").rglob("*.js")):
        for text in literal.findall(path.read_text(encoding="utf-8")):
            for c in text:
                if c.isprintable() and not c.isspace():
                    found.setdefault(c, str(path.relative_to(ROOT)))
    return found


@functools.cache
def used() -> dict[str, str]:
    return {**characters("content", "*.yaml", "*.md"), **characters("templates", "*.html"),
            **js_strings(), **characters("signage/translations", "*.po")}


@pytest.mark.parametrize("weight", WEIGHTS)
def test_every_character_of_the_content_templates_and_ui_is_in_the_font(weight):
    have = cmap(weight)
    missing = {c: where for c, where in used().items() if c not in have and c not in NOT_IN_FONT}
    assert not missing, f"not in be-vietnam-pro-vi-{weight}.woff2 (run tools/fonts/subset.py): " \
        + ", ".join(f"{c!r} U+{ord(c):04X} ({where})" for c, where in sorted(missing.items()))


@pytest.mark.parametrize("weight", WEIGHTS)
def test_every_vietnamese_letter_is_in_the_font(weight):
    import unicodedata

    have = cmap(weight)
    letters = set("đĐ" + "bcdghklmnpqrstvx" + "BCDGHKLMNPQRSTVX")
    for vowel in VOWELS:
        for form in (vowel, vowel.upper()):
            letters.add(form)
            letters |= {unicodedata.normalize("NFC", form + tone) for tone in TONES}
    letters |= set(TONES)   # text typed in decomposed form
    assert letters <= have, sorted(letters - have)


def test_the_stylesheet_names_one_subset_file_a_weight_and_the_licence_ships():
    css = (FONTS / "be-vietnam-pro.css").read_text()
    files = re.findall(r"url\(\./([^)]+)\)", css)
    assert files == [f"be-vietnam-pro-vi-{w}.woff2" for w in WEIGHTS]
    assert all((FONTS / f).stat().st_size < 24_000 for f in files)
    assert sorted(p.name for p in FONTS.glob("*.woff2")) == sorted(files)   # nothing stale ships
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "LICENSE-be-vietnam-pro.txt").read_text()
    assert "Copyright 2021 The Be Vietnam Pro Project Authors" in TTFont(FONTS / files[0])["name"] \
        .getDebugName(0)
