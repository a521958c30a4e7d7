"""Staff accounts, roles and API tokens.

Messages users can cause are Vietnamese msgids marked with `N_` (the catalogue
picks them up; see docs/admin.md): `AccountError.message` and `.params` let the web
layer show them in the visitor's language, `str(error)` is the Vietnamese text.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.store.models import ApiToken, User

ROLES = ("admin", "editor", "approver", "operator")
# Who may do what; admin may do everything.
CAN_EDIT = {"admin", "editor", "approver"}
CAN_APPROVE = {"admin", "approver"}
CAN_OPERATE = {"admin", "operator"}

_hasher = PasswordHasher()  # Argon2id with the library's current parameters
_NAME = re.compile(r"^[A-Za-z0-9._-]{2,80}$")


def N_(message: str) -> str:
    """Mark a message for the translation catalogue; translated where it is shown."""
    return message


class AccountError(ValueError):
    """A change to accounts that is not allowed; `message % params` is the Vietnamese text."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message, self.params = message, params
        super().__init__(message % params if params else message)


class AccountExists(AccountError):
    """The user name is taken."""


class AccountNotFound(AccountError):
    """No such user."""


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


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(N_("Vai trò phải là một trong: %(roles)s."), roles=", ".join(ROLES))


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise AccountError(N_("Mật khẩu phải có ít nhất 8 ký tự."))
    if len(password) > 1024:
        raise AccountError(N_("Mật khẩu quá dài (tối đa 1024 ký tự)."))


def add_user(session: Session, name: str, role: str, password: str, now: datetime) -> User:
    if not _NAME.match(name or ""):
        raise AccountError(
            N_("Tên đăng nhập chỉ gồm chữ không dấu, số, '.', '_' hoặc '-' (2–80 ký tự)."))
    _check_role(role)
    _check_password(password)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AccountExists(N_("Người dùng %(name)s đã có."), name=name)
    user = User(name=name, role=role, password_hash=hash_password(password), created_at=now)
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise AccountNotFound(N_("Không có người dùng số %(id)s."), id=user_id)
    return user


def user_by_name(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AccountNotFound(N_("Không có người dùng %(name)s."), name=name)
    return user


def _other_active_admins(session: Session, user: User) -> int:
    return len(session.scalars(select(User.id).where(
        User.role == "admin", User.active.is_(True), User.id != user.id)).all())


def set_role(session: Session, user: User, role: str) -> None:
    """Change a user's role; the last active admin keeps theirs (else nobody could fix it)."""
    _check_role(role)
    if user.role == "admin" and role != "admin" and user.active \
            and not _other_active_admins(session, user):
        raise AccountError(N_("Không thể bỏ quyền quản trị của quản trị viên cuối cùng."))
    user.role = role


def set_active(session: Session, user: User, active: bool) -> None:
    """Deactivate (or reactivate) a user: a deactivated user cannot log in or use tokens."""
    if not active and user.role == "admin" and user.active \
            and not _other_active_admins(session, user):
        raise AccountError(N_("Không thể khóa quản trị viên cuối cùng."))
    user.active = bool(active)


def set_password(user: User, password: str) -> None:
    """A new password; the user's open sessions end with it (see signage.web.auth)."""
    _check_password(password)
    user.password_hash = hash_password(password)


def token_digest(token: str) -> str:
    # Tokens are 256-bit random: a plain SHA-256 is enough to store them safely.
    return hashlib.sha256(token.encode()).hexdigest()


def add_token(session: Session, user_name: str, label: str, now: datetime) -> str:
    """A new bearer token for `user_name`; only its digest is kept, so show it once."""
    user = session.scalar(select(User).where(User.name == user_name))
    if user is None:
        raise AccountError(N_("Không có người dùng %(name)s."), name=user_name)
    token = "sgn_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=label or user_name,
                         token_hash=token_digest(token), created_at=now))
    session.flush()
    return token


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


def staff_by_id(session: Session, user_id: int) -> StaffRecord | None:
    user = session.get(User, user_id)
    return StaffRecord.of(user) if user is not None else None


def staff_for_token(session: Session, token: str) -> StaffRecord | None:
    """The active user a bearer token belongs to (None: unknown, revoked, or inactive)."""
    user = user_for_token(session, token)
    return StaffRecord.of(user) if user is not None else None


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == token_digest(token),
                               ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.user.active:
        return None
    return row.user
