"""Staff accounts, roles and API tokens: what is stored and how secrets are checked.

The changes people make (create a user, change a role, deactivate, set a password,
issue or revoke a token) are use cases in signage.usecases.accounts: they validate,
apply the rules and write the audit entry. This module is what they stand on:
password hashing, token digests, and reading users and tokens back as plain records.
`add_user` and `add_token` also serve first start and test fixtures, which make
accounts without an actor.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from signage.errors import N_, Conflict, NotFound
from signage.store.models import ApiToken, User

ROLES = ("admin", "editor", "approver", "operator")  # who may do what: signage.usecases

NAME_PATTERN = r"^[A-Za-z0-9._-]{2,80}$"
TOKEN_PREFIX = "sgn_"

_hasher = PasswordHasher()  # Argon2id with the library's current parameters


# ---- passwords ----------------------------------------------------------------------------

def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def refresh_hash(user: User, password: str) -> None:
    """After a successful check: re-hash if the hasher's parameters have been raised."""
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)


# ---- users --------------------------------------------------------------------------------

def add_user(session: Session, name: str, role: str, password: str, now: datetime) -> User:
    """Store a new user (the name must be free). Values are taken as valid: the use case
    `create_user` validates what people type."""
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise Conflict(N_("Người dùng %(name)s đã có."), name=name, extra={"field": "name"})
    user = User(name=name, role=role, password_hash=hash_password(password), created_at=now)
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def find_user(session: Session, ref: int | str) -> User:
    """The user with this id (the API, the forms) or name (the CLI); NotFound otherwise."""
    if isinstance(ref, int):
        user = session.get(User, ref)
        if user is None:
            raise NotFound(N_("Không có người dùng số %(id)s."), id=ref)
        return user
    return user_by_name(session, ref)


def user_by_name(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(N_("Không có người dùng %(name)s."), name=name)
    return user


def other_active_admins(session: Session, user: User) -> int:
    """How many active admins there are besides `user`."""
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != user.id)) or 0


# ---- tokens -------------------------------------------------------------------------------

def token_digest(token: str) -> str:
    # Tokens are 256-bit random: a plain SHA-256 is enough to store them safely.
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, label: str, now: datetime,
                expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new bearer token for `user`: its row and the secret. Only the digest is kept,
    so the secret can be shown once and never again."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=label or user.name, token_hash=token_digest(secret),
                   created_at=now, expires_at=expires_at)
    session.add(row)
    session.flush()
    return row, secret


def add_token(session: Session, user_name: str, label: str, now: datetime) -> str:
    """A new bearer token for `user_name` (first start, fixtures); the secret."""
    return issue_token(session, user_by_name(session, user_name), label, now)[1]


# ---- who holds a session or a token -------------------------------------------------------

@dataclass(frozen=True)
class StaffRecord:
    """A staff member as sessions and tokens need them, detached from the database."""

    id: int
    name: str
    role: str
    active: bool
    password_hash: str

    @classmethod
    def of(cls, user: User) -> StaffRecord:
        return cls(user.id, user.name, user.role, bool(user.active), user.password_hash)


@dataclass(frozen=True)
class TokenHolder:
    """Whom a bearer token belongs to, and when it was last used (to note its use)."""

    staff: StaffRecord
    token_id: int
    last_used_at: datetime | None


def staff_by_id(session: Session, user_id: int) -> StaffRecord | None:
    user = session.get(User, user_id)
    return StaffRecord.of(user) if user is not None else None


def revoke_tokens_of(session: Session, user_id: int, now: datetime) -> int:
    """Revoke every live token of a user (a deactivation); how many."""
    return session.execute(
        update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)).rowcount or 0


def _live_token(session: Session, token: str, now: datetime | None = None) -> ApiToken | None:
    """The token's row, unless it is unknown, revoked, expired, or its user is
    deactivated."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token),
                                                ApiToken.revoked_at.is_(None)))
    if row is None or not row.user.active:
        return None
    if row.expires_at is not None and row.expires_at <= (now or datetime.now(UTC)):
        return None
    return row


def token_holder(session: Session, token: str, now: datetime | None = None
                 ) -> TokenHolder | None:
    """The active user a bearer token belongs to (None: unknown, revoked, expired, or
    its user inactive)."""
    row = _live_token(session, token, now)
    return TokenHolder(StaffRecord.of(row.user), row.id, row.last_used_at) if row else None


def staff_for_token(session: Session, token: str) -> StaffRecord | None:
    holder = token_holder(session, token)
    return holder.staff if holder is not None else None


def user_for_token(session: Session, token: str) -> User | None:
    row = _live_token(session, token)
    return row.user if row is not None else None
