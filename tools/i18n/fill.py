"""Fill English translations into the catalogue from a JSON file {msgid: English, ...}.

Usage (after `pybabel update`, see docs/admin.md):
    .venv/bin/python tools/i18n/fill.py translations.json
    .venv/bin/python tools/i18n/fill.py --missing     # list msgids still without English
Then `pybabel compile -d signage/translations`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parents[2] / "signage/translations/en/LC_MESSAGES/messages.po"


def main(argv: list[str]) -> int:
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    if argv[:1] == ["--missing"]:
        missing = {m.id: "" for m in catalog if m.id and not m.string}
        print(json.dumps(missing, ensure_ascii=False, indent=1))
        return 0
    mapping = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    filled = 0
    for message in catalog:
        if message.id and not message.string and isinstance(message.id, str) \
                and mapping.get(message.id):
            message.string = mapping[message.id]
            filled += 1
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True)
    print(f"filled {filled}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
