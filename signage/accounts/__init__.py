"""Staff accounts, roles and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

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


class AccountError(ValueError):
    pass


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def add_user(session: Session, name: str, role: str, password: str, now: datetime) -> User:
    if not _NAME.match(name):
        raise AccountError("Tên đăng nhập chỉ gồm chữ không dấu, số, '.', '_' hoặc '-' (2–80 ký tự).")
    if role not in ROLES:
        raise AccountError(f"Vai trò phải là một trong: {', '.join(ROLES)}.")
    if len(password) < 8:
        raise AccountError("Mật khẩu phải có ít nhất 8 ký tự.")
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AccountError(f"Người dùng {name} đã có.")
    user = User(name=name, role=role, password_hash=hash_password(password), created_at=now)
    session.add(user)
    session.flush()
    return user


def token_digest(token: str) -> str:
    # Tokens are 256-bit random: a plain SHA-256 is enough to store them safely.
    return hashlib.sha256(token.encode()).hexdigest()


def add_token(session: Session, user_name: str, label: str, now: datetime) -> str:
    """A new bearer token for `user_name`; only its digest is kept, so show it once."""
    user = session.scalar(select(User).where(User.name == user_name))
    if user is None:
        raise AccountError(f"Không có người dùng {user_name}.")
    token = "sgn_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=label or user_name,
                         token_hash=token_digest(token), created_at=now))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == token_digest(token),
                               ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.user.active:
        return None
    return row.user
