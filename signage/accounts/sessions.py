"""Staff sessions, kept on the server.

The browser's session cookie carries a random secret; the server keeps its digest in
`staff_sessions`, with when it expires (absolute: one working day from the login) and
the browser it was opened in. So a session ends for good when its user logs out, is
deactivated or gets a new password, whatever a copied cookie says; and the same cookie
sent by another browser (another User-Agent) is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from signage.accounts import StaffRecord
from signage.store.models_sessions import StaffSession

LIFETIME = timedelta(hours=12)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def open_session(session: Session, user_id: int, agent: str, ip: str | None,
                 now: datetime) -> str:
    """A new session for a user who just logged in; the secret for the cookie."""
    secret = secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=_digest(secret), user_id=user_id, created_at=now,
                             expires_at=now + LIFETIME, agent_hash=_digest(agent or ""),
                             ip=(ip or None) and ip[:64]))
    session.flush()
    return secret


def session_staff(session: Session, secret: str, agent: str, now: datetime
                  ) -> StaffRecord | None:
    """Who a session belongs to, if it is still open, for this browser, and its user
    active; None otherwise."""
    if not secret or len(secret) > 128:
        return None
    row = session.scalar(select(StaffSession).where(StaffSession.token_hash == _digest(secret)))
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    if not secrets.compare_digest(row.agent_hash, _digest(agent or "")):
        return None
    if not row.user.active:
        return None
    return StaffRecord.of(row.user)


def end_session(session: Session, secret: str, now: datetime, why: str = "logout") -> bool:
    """End one session (logout); False if it was not open."""
    ended = session.execute(
        update(StaffSession).where(StaffSession.token_hash == _digest(secret or ""),
                                   StaffSession.ended_at.is_(None))
        .values(ended_at=now, ended_by=why)).rowcount
    return bool(ended)


def end_sessions_of(session: Session, user_id: int, now: datetime, why: str) -> int:
    """End every open session of a user (new password, deactivation); how many."""
    return session.execute(
        update(StaffSession).where(StaffSession.user_id == user_id,
                                   StaffSession.ended_at.is_(None))
        .values(ended_at=now, ended_by=why)).rowcount or 0
