"""content/queue.yaml: the office's services and counters, loaded on first run.

This reads the file; the use case `signage.usecases.queue.seed_queue` creates what
it lists, through the same validation as the API and /admin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from signage.errors import N_, Invalid

QUEUE_FILE = "queue.yaml"


def read_queue_file(path: Path) -> dict[str, list[Any]]:
    """{"services": [...], "counters": [...]} of a queue.yaml (Invalid if unreadable)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise Invalid(N_("%(path)s: không đọc được (%(problem)s)."), code="invalid",
                      path=str(path), problem=str(exc)) from None
    if not isinstance(data, dict):
        raise Invalid(N_("%(path)s: cần các mục services và counters."), code="invalid",
                      path=str(path))
    return {"services": list(data.get("services") or []),
            "counters": list(data.get("counters") or [])}
