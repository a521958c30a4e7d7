"""Password login with a throttle, audited.

The throttle counts the audit log's recent "login_failed" entries, per user name and
per client address (see docs/admin.md for why a database counter and not an
in-memory limiter): it holds across workers and restarts, needs no other store, and
the evidence of an attack is the same rows an admin reads on the audit page.
A throttled attempt is refused before the password is checked (no Argon2 work for
an attacker) and does not itself count, so the lock lifts when the window passes.

Every attempt writes its audit row in the caller's write transaction, and a refusal
is a result, not an exception: the failure must be committed to count. The actor of
those rows is the name that was typed (nobody is known yet), which is what the
throttle counts by.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.accounts import StaffRecord, hash_password, refresh_hash, verify_password
from signage.accounts.audit import record
from signage.store.models import User
from signage.store.models_audit import AuditEntry


@dataclass(frozen=True)
class LoginPolicy:
    window: timedelta = timedelta(minutes=15)
    # A user name is locked after this many failures in the window (from any address) …
    max_failures_per_user: int = 5
    # … and an address after this many (for any names), so one machine cannot walk
    # through every user name at five guesses each.
    max_failures_per_ip: int = 20


DEFAULT_POLICY = LoginPolicy()
# Verified against when the name is unknown, so both cases cost the same time and an
# attacker cannot tell real user names from the response time.
_DUMMY_HASH = hash_password("not-a-real-password-only-for-timing")


@dataclass(frozen=True)
class LoginOutcome:
    user: StaffRecord | None
    # None when the user may log in; else "invalid" (wrong name, password, or a
    # deactivated account: all look alike to the client) or "throttled".
    refused: str | None = None
    retry_after: int = 0  # seconds, when throttled

    @property
    def ok(self) -> bool:
        return self.refused is None


def _retry_after(times: list[datetime], limit: int, window: timedelta, now: datetime) -> int:
    """Seconds until fewer than `limit` of `times` (ascending) are inside the window."""
    if len(times) < limit:
        return 0
    expires = times[len(times) - limit] + window
    return max(1, math.ceil((expires - now).total_seconds()))


def _recent_failures(session: Session, since: datetime, **where: str) -> list[datetime]:
    query = select(AuditEntry.at).where(AuditEntry.action == "login_failed",
                                        AuditEntry.at >= since)
    for column, value in where.items():
        query = query.where(getattr(AuditEntry, column) == value)
    return list(session.scalars(query.order_by(AuditEntry.at)))


def throttled_for(session: Session, name: str, ip: str | None, now: datetime,
                  policy: LoginPolicy = DEFAULT_POLICY) -> int:
    """Seconds this name or address must wait before another try (0: may try now)."""
    since = now - policy.window
    last_ok = session.scalar(
        select(AuditEntry.at).where(AuditEntry.action == "login", AuditEntry.actor == name)
        .order_by(AuditEntry.at.desc()).limit(1)
    )
    # A user's own successful login forgives the typos before it.
    user_since = max(since, last_ok) if last_ok else since
    wait = _retry_after(_recent_failures(session, user_since, target=f"user:{name}"),
                        policy.max_failures_per_user, policy.window, now)
    if ip:
        wait = max(wait, _retry_after(_recent_failures(session, since, ip=ip),
                                      policy.max_failures_per_ip, policy.window, now))
    return wait


def attempt_login(session: Session, name: str, password: str, *, ip: str | None,
                  now: datetime, policy: LoginPolicy = DEFAULT_POLICY) -> LoginOutcome:
    """Check a name and password; record "login", "login_failed" or "login_throttled".

    Run it in a write session: the audit entry is the throttle's counter.
    """
    name = (name or "").strip()[:80]
    target = f"user:{name}"
    wait = throttled_for(session, name, ip, now, policy)
    if wait:
        record(session, name or "?", "login_throttled", target, {"retry_after": wait}, ip, now)
        return LoginOutcome(None, "throttled", wait)
    user = session.scalar(select(User).where(User.name == name)) if name else None
    if user is None:
        verify_password(User(password_hash=_DUMMY_HASH), password)
        reason = "unknown_user"
    elif not verify_password(user, password):
        reason = "wrong_password"
    elif not user.active:
        reason = "inactive"
    else:
        refresh_hash(user, password)
        record(session, user.name, "login", target, None, ip, now)
        return LoginOutcome(StaffRecord.of(user))
    record(session, name or "?", "login_failed", target, {"reason": reason}, ip, now)
    return LoginOutcome(None, "invalid")
