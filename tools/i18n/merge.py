"""Resolve a merge conflict in the English catalogue: keep every translation either side
had, re-extract from the merged code, and compile.

    .venv/bin/python tools/i18n/merge.py        # during a conflicted `git merge`
Then `git add signage/translations` (and check `fill.py --missing` prints {}).
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
PO = "signage/translations/en/LC_MESSAGES/messages.po"
PYBABEL = str(Path(sys.executable).with_name("pybabel"))


def side(stage: int) -> dict:
    text = subprocess.run(["git", "show", f":{stage}:{PO}"], cwd=ROOT, capture_output=True,
                          check=True).stdout
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m.string
            for m in read_po(io.BytesIO(text)) if m.id and m.string}


def main() -> int:
    known = {**side(2), **side(3)}
    subprocess.run(["git", "checkout", "--ours", PO, PO.replace(".po", ".mo"),
                    "signage/translations/messages.pot"], cwd=ROOT, check=True)
    subprocess.run([PYBABEL, "extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_", "-k",
                    "lazy_pgettext:1c,2", "--no-location", "--sort-output", "-o",
                    "signage/translations/messages.pot", "."], cwd=ROOT, check=True)
    subprocess.run([PYBABEL, "update", "-i", "signage/translations/messages.pot", "-d",
                    "signage/translations", "--no-fuzzy-matching", "--ignore-obsolete",
                    "--width", "100"], cwd=ROOT, check=True)
    path = ROOT / PO
    with path.open("rb") as fh:
        catalog = read_po(fh)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = (message.context, message.id if isinstance(message.id, str) else message.id[0])
        if not message.string and key in known:
            message.string = known[key]
        if not message.string:
            missing.append(key)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True)
    subprocess.run([PYBABEL, "compile", "-d", "signage/translations"], cwd=ROOT, check=True)
    for key in missing:
        print("no English yet:", key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
