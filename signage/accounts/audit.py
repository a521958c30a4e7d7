"""The audit log: record who did what, and read it back.

Call `record` inside the same write transaction as the change it describes, so the
log and the data never disagree: a change that rolls back leaves no entry, and an
entry is never written for a change that did not happen.

Conventions (keep them, the audit page and the login throttle rely on them):
- `actor`: the user's name; "cli" for the console script; "system" for the scheduler.
- `action`: "<thing>.<verb>" for changes ("user.create", "screen.revoke",
  "notice.update", "notice.approve"); bare words for sessions ("login",
  "login_failed", "login_throttled", "logout").
- `target`: "<thing>:<id or name>" ("user:lan", "screen:3", "zone:sanh-chinh",
  "notice:12"), so one thing's history is `target = …`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage.store.models_audit import AuditEntry

ACTOR_CLI = "cli"
ACTOR_SYSTEM = "system"


def record(session: Session, actor: str, action: str, target: str = "",
           details: dict[str, Any] | None = None, ip: str | None = None,
           now: datetime | None = None) -> AuditEntry:
    """Add one entry to the log in `session`'s transaction (committed with the change)."""
    entry = AuditEntry(
        at=now or datetime.now(UTC),
        actor=(actor or ACTOR_SYSTEM)[:80],
        action=action[:64],
        target=(target or "")[:200],
        details=details or None,
        ip=(ip or None) and ip[:64],
    )
    session.add(entry)
    return entry


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "details": entry.details or {},
        "ip": entry.ip,
    }


@dataclass(frozen=True)
class AuditQuery:
    """What the audit page and GET /api/v1/audit filter by; every field optional."""

    actor: str | None = None
    action: str | None = None  # exact ("login") or a family ("user." matches user.*)
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive


def parse_moment(raw: str | None, tz: ZoneInfo, end: bool = False) -> datetime | None:
    """A date ("2026-11-26": the office's day) or an ISO datetime; None if empty.

    With `end`, a bare date means the end of that day (the start of the next), so
    "from 26 to 26" is the whole of the 26th. Raises ValueError on nonsense.
    """
    raw = (raw or "").strip()
    if not raw:
        return None
    if len(raw) == 10:
        day = date.fromisoformat(raw) + (timedelta(days=1) if end else timedelta())
        return datetime.combine(day, time(), tzinfo=tz)
    moment = datetime.fromisoformat(raw)
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def find_entries(session: Session, query: AuditQuery, limit: int = 100,
                 offset: int = 0) -> tuple[list[AuditEntry], int]:
    """Entries matching `query`, newest first, and how many match in all."""
    where = []
    if query.actor:
        where.append(AuditEntry.actor == query.actor)
    if query.action:
        if query.action.endswith("."):
            where.append(AuditEntry.action.startswith(query.action, autoescape=True))
        else:
            where.append(AuditEntry.action == query.action)
    if query.target:
        where.append(AuditEntry.target == query.target)
    if query.since:
        where.append(AuditEntry.at >= query.since)
    if query.until:
        where.append(AuditEntry.at < query.until)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    rows = session.scalars(
        select(AuditEntry).where(*where)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit).offset(offset)
    )
    return list(rows), total


def actions_seen(session: Session) -> list[str]:
    """Every action in the log (for the audit page's filter)."""
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def last_logins(session: Session, name: str | None = None) -> dict[str, datetime]:
    """Each user's latest successful login, by user name (only `name`'s when given)."""
    query = select(AuditEntry.actor, func.max(AuditEntry.at)).where(AuditEntry.action == "login")
    if name is not None:
        query = query.where(AuditEntry.actor == name)
    return {actor: at for actor, at in session.execute(query.group_by(AuditEntry.actor))}
