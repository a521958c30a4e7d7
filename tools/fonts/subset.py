"""Make the self-hosted Be Vietnam Pro files: one small WOFF2 a weight, cut to what
Vietnamese needs, and the stylesheet that names them (signage/static/fonts/).

    python tools/fonts/subset.py [--source DIR] [--check]

Source: the static TTFs of Be Vietnam Pro (SIL OFL 1.1) from the npm package
@expo-google-fonts/be-vietnam-pro (0.4.1; `npm pack` fetches it when --source is not
given). Each weight the pages use (400, 500, 600, 700, 800) is subset with fontTools'
`pyftsubset` to:

- every Vietnamese letter, in both cases and with every tone mark (precomposed), and the
  combining marks of text typed in decomposed form: an editor can write any Vietnamese
  word into a notice at run time, not only those in content/ today;
- ASCII and the Latin-1 letters and signs;
- every other character the shipped content/, the templates and the UI strings (Python,
  JavaScript, CSS, translations) use, where the font has it (a character it lacks — ★ in
  the ticker — falls back to the system's font, as before).

Hinting is dropped (a TV scales the 1080p stage; hints do not apply), the default layout
features are kept (kerning, marks for decomposed text) plus `tnum` (the clock, the
numbers called). tests/unit/test_font_subset.py checks that every character of content/
and the templates is in the files' cmap. `--check` only prints what is on disk.

Needs `pip install fonttools brotli` (in the `test` extra).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "signage" / "static" / "fonts"
PACKAGE = "@expo-google-fonts/be-vietnam-pro@0.4.1"
WEIGHTS = {400: "400Regular", 500: "500Medium", 600: "600SemiBold", 700: "700Bold",
           800: "800ExtraBold"}
OUT = "be-vietnam-pro-vi-{weight}.woff2"

# Vietnamese: Latin-1's letters with marks (à á â ã è é ê ì í ò ó ô õ ù ú ý …), Ă Đ Ĩ Ũ Ơ Ư,
# Latin Extended Additional's Ạ…ỹ, and the combining grave, acute, tilde, hook, dot below.
VIETNAMESE = [(0x0020, 0x007E), (0x00A0, 0x00FF), (0x0102, 0x0103), (0x0110, 0x0111),
              (0x0128, 0x0129), (0x0168, 0x0169), (0x01A0, 0x01A1), (0x01AF, 0x01B0),
              (0x0300, 0x0301), (0x0303, 0x0303), (0x0309, 0x0309), (0x0323, 0x0323),
              (0x1EA0, 0x1EF9),
              # punctuation of running text: dashes, quotes, bullet, ellipsis, đồng sign
              (0x2013, 0x2014), (0x2018, 0x2019), (0x201C, 0x201D), (0x2022, 0x2022),
              (0x2026, 0x2026), (0x20AB, 0x20AB)]

# Where the pages' text comes from (the unit test walks the same places).
TEXT_SOURCES = [("content", ("*.yaml", "*.yml", "*.md")), ("templates", ("*.html",)),
                ("signage", ("*.py", "*.js", "*.css", "*.po", "*.html"))]


def used_characters(root: Path = ROOT) -> set[str]:
    """Every printable character of the shipped content, templates and UI strings."""
    chars: set[str] = set()
    for folder, patterns in TEXT_SOURCES:
        for pattern in patterns:
            for path in (root / folder).rglob(pattern):
                chars |= set(path.read_text(encoding="utf-8", errors="ignore"))
    return {c for c in chars if c.isprintable() and not c.isspace()}


def wanted(font_cmap: set[int]) -> tuple[list[int], list[str]]:
    """The code points to keep (those the font has) and the used characters it lacks."""
    points = {cp for lo, hi in VIETNAMESE for cp in range(lo, hi + 1)}
    used = used_characters()
    points |= {ord(c) for c in used}
    missing = sorted(c for c in used if ord(c) not in font_cmap)
    return sorted(cp for cp in points if cp in font_cmap), missing


def ranges(points: list[int]) -> str:
    """CSS unicode-range of sorted code points (runs folded)."""
    out, start, prev = [], None, None
    for cp in points + [None]:
        if start is not None and (cp is None or cp != prev + 1):
            out.append(f"U+{start:04X}" if start == prev else f"U+{start:04X}-{prev:04X}")
            start = None
        if cp is not None and start is None:
            start = cp
        prev = cp
    return ",".join(out)


CSS_HEAD = """/* Be Vietnam Pro (SIL OFL 1.1, see LICENSE-be-vietnam-pro.txt), subset to what Vietnamese
   needs by tools/fonts/subset.py (from {package}): one file a weight.
   Self-hosted: a lobby screen never asks an outside host for anything. Generated: edit the tool. */
"""
CSS_FACE = """@font-face {{
  font-family: 'Be Vietnam Pro';
  font-style: normal;
  font-display: block;
  font-weight: {weight};
  src: url(./{file}) format('woff2');
  unicode-range: {ranges};
}}
"""


def fetch_source(into: Path) -> Path:
    subprocess.run(["npm", "pack", "--silent", PACKAGE], cwd=into, check=True,
                   stdout=subprocess.DEVNULL)
    tgz = next(into.glob("*.tgz"))
    shutil.unpack_archive(tgz, into)
    return into / "package"


def make(source: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    first = TTFont(source / WEIGHTS[400] / f"BeVietnamPro_{WEIGHTS[400]}.ttf")
    points, missing = wanted(set(first.getBestCmap()))
    for old in FONTS.glob("be-vietnam-pro-*.woff2"):
        old.unlink()
    for weight, name in WEIGHTS.items():
        ttf = source / name / f"BeVietnamPro_{name}.ttf"
        out = FONTS / OUT.format(weight=weight)
        options = subset.Options()
        options.flavor = "woff2"
        options.hinting = False
        options.desubroutinize = True
        options.layout_features = [*options.layout_features, "tnum"]
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]   # keep the copyright and the licence
        font = subset.load_font(str(ttf), options)
        sub = subset.Subsetter(options)
        sub.populate(unicodes=points)
        sub.subset(font)
        subset.save_font(font, str(out), options)
    css = CSS_HEAD.format(package=PACKAGE) + "".join(
        CSS_FACE.format(weight=w, file=OUT.format(weight=w), ranges=ranges(points))
        for w in WEIGHTS)
    (FONTS / "be-vietnam-pro.css").write_text(css)
    if missing:
        print("not in the font (the system's font shows them):", " ".join(missing))


def check() -> None:
    total = 0
    for weight in WEIGHTS:
        path = FONTS / OUT.format(weight=weight)
        total += path.stat().st_size
        print(f"{path.name}: {path.stat().st_size:,} bytes")
    print(f"total: {total:,} bytes")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, help="the unpacked npm package (folder 'package')")
    ap.add_argument("--check", action="store_true", help="only print what is on disk")
    args = ap.parse_args()
    if not args.check:
        if args.source:
            make(args.source)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                make(fetch_source(Path(tmp)))
    check()


if __name__ == "__main__":
    sys.exit(main())
