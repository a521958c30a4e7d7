"""Password login with a throttle, audited.

The throttle counts the audit log's recent "login_failed" entries (see docs/admin.md
for why a database counter and not an in-memory limiter): it holds across workers and
restarts, needs no other store, and the evidence of an attack is the same rows an
admin reads on the audit page. A throttled attempt is refused before the password is
checked (no Argon2 work for an attacker) and does not itself count.

What it counts, and why:
- per (user name, address): after a few free failures every further one doubles the
  wait for that pair (5 s, 10 s, 20 s … up to 15 min). A guesser on one machine is
  slowed to a crawl, while the real user at their own desk is not locked out by
  somebody else's typing: anyone could otherwise lock out any account, the only
  admin's included, from anywhere.
- per address, any names: a cap in a window, so one machine cannot walk through every
  user name at a few guesses each.

Attempts on one name are serialised on every database, so thirty parallel guesses are
counted one after another, not all against the same empty history: SQLite's write
transaction is the whole database's; PostgreSQL takes a transaction-scoped advisory
lock on the name.

Every attempt writes its audit row in the caller's write transaction, and a refusal
is a result, not an exception: the failure must be committed to count. The actor of
those rows is the name that was typed (nobody is known yet).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage.accounts import StaffRecord, hash_password, refresh_hash, verify_password
from signage.accounts.audit import record
from signage.store.models import User
from signage.store.models_audit import AuditEntry


@dataclass(frozen=True)
class LoginPolicy:
    # Per (name, address): failures allowed before any wait, the first wait, the cap.
    free_failures: int = 3
    first_wait: timedelta = timedelta(seconds=5)
    longest_wait: timedelta = timedelta(minutes=15)
    # How far back failures of a pair count (a successful login of the name resets them).
    memory: timedelta = timedelta(hours=1)
    # Per address, any names: at most this many failures in the window.
    max_failures_per_ip: int = 20
    window: timedelta = timedelta(minutes=15)


DEFAULT_POLICY = LoginPolicy()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so both cases cost the same time and
    an attacker cannot tell real user names from the response time. Made on first use:
    an Argon2 hash at import cost every process start half a second."""
    return hash_password("not-a-real-password-only-for-timing")


@dataclass(frozen=True)
class LoginOutcome:
    user: StaffRecord | None
    # None when the user may log in; else "invalid" (wrong name, password, or a
    # deactivated account: all look alike to the client) or "throttled".
    refused: str | None = None
    retry_after: int = 0  # seconds, when throttled
    session: str | None = None  # the new server-side session's secret, on success

    @property
    def ok(self) -> bool:
        return self.refused is None


def _retry_after(times: list[datetime], limit: int, window: timedelta, now: datetime) -> int:
    """Seconds until fewer than `limit` of `times` (ascending) are inside the window."""
    if len(times) < limit:
        return 0
    expires = times[len(times) - limit] + window
    return max(1, math.ceil((expires - now).total_seconds()))


def _recent_failures(session: Session, since: datetime, **where: str | None) -> list[datetime]:
    query = select(AuditEntry.at).where(AuditEntry.action == "login_failed",
                                        AuditEntry.at >= since)
    for column, value in where.items():
        column_ = getattr(AuditEntry, column)
        query = query.where(column_.is_(None) if value is None else column_ == value)
    return list(session.scalars(query.order_by(AuditEntry.at)))


def pair_wait(failures: int, policy: LoginPolicy) -> timedelta:
    """How long a (name, address) pair waits after `failures` failures: nothing for the
    free ones, then first_wait doubling, capped."""
    over = failures - policy.free_failures
    if over < 0:
        return timedelta(0)
    return min(policy.first_wait * (2 ** min(over, 20)), policy.longest_wait)


def throttled_for(session: Session, name: str, ip: str | None, now: datetime,
                  policy: LoginPolicy = DEFAULT_POLICY) -> int:
    """Seconds this name from this address (or this address at all) must wait before
    another try (0: may try now)."""
    last_ok = session.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.action == "login", AuditEntry.actor == name,
            AuditEntry.ip.is_(None) if ip is None else AuditEntry.ip == ip))
    since = now - policy.memory
    # A user's own successful login forgives the typos made before it from the same
    # address (not a guesser's elsewhere).
    pair_since = max(since, last_ok) if last_ok else since
    failures = _recent_failures(session, pair_since, target=f"user:{name}", ip=ip)
    wait = 0
    if failures:
        until = failures[-1] + pair_wait(len(failures), policy)
        wait = max(0, math.ceil((until - now).total_seconds()))
    if ip:
        wait = max(wait, _retry_after(_recent_failures(session, now - policy.window, ip=ip),
                                      policy.max_failures_per_ip, policy.window, now))
    return wait


def _serialise(session: Session, name: str) -> None:
    """Take turns on this name until the transaction ends (PostgreSQL; SQLite's write
    transaction already excludes every other writer)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(
            func.hashtextextended("signage-login:" + name, 0))))


def attempt_login(session: Session, name: str, password: str, *, ip: str | None,
                  now: datetime, policy: LoginPolicy = DEFAULT_POLICY) -> LoginOutcome:
    """Check a name and password; record "login", "login_failed" or "login_throttled".

    Run it in a write session: the audit entry is the throttle's counter.
    """
    name = (name or "").strip()[:80]
    target = f"user:{name}"
    _serialise(session, name)
    wait = throttled_for(session, name, ip, now, policy)
    if wait:
        record(session, name or "?", "login_throttled", target, {"retry_after": wait}, ip, now)
        return LoginOutcome(None, "throttled", wait)
    user = session.scalar(select(User).where(User.name == name)) if name else None
    if user is None:
        verify_password(User(password_hash=_dummy_hash()), password)
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
