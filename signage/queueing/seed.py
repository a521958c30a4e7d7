"""content/queue.yaml: the office's services and counters, loaded on first run."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from signage.queueing.catalog import create_counter, create_service, has_services
from signage.queueing.errors import QueueError

QUEUE_FILE = "queue.yaml"


def load_queue(session: Session, path: Path, now: datetime) -> tuple[int, int]:
    """Create the services and counters of a queue.yaml. Returns (services, counters)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise QueueError("invalid", f"{path}: không đọc được ({exc}).") from None
    services = data.get("services") or []
    counters = data.get("counters") or []
    try:
        for spec in services:
            create_service(session, spec, now)
        for spec in counters:
            create_counter(session, spec, now)
    except QueueError as exc:
        raise QueueError(exc.code, f"{path}: {exc.message}") from None
    return len(services), len(counters)


def seed_queue(session: Session, content_dir: Path, now: datetime) -> str | None:
    """On first run (no service yet), load content/queue.yaml; a report, or None."""
    path = Path(content_dir) / QUEUE_FILE
    if has_services(session) or not path.is_file():
        return None
    services, counters = load_queue(session, path, now)
    return f"hàng đợi: {services} dịch vụ, {counters} quầy"
