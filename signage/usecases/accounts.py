"""Staff accounts, API tokens, logging in and out, and reading the audit log.

The same rules hold through every door (the API, /admin, the CLI):
- a user name is taken once (Conflict);
- the last active admin keeps the admin role and cannot be deactivated, else nobody
  could manage the accounts any more;
- nobody deactivates their own account (they would be locked out half-way);
- a new password ends the user's open sessions (signage.web.auth stamps each session
  with the password hash); a deactivated user can neither log in nor use a token;
- a token's secret is shown once, when it is issued: only its digest is stored.

Audit entries (target "user:<name>" or "token:<id>"): user.create {role},
user.role {from, to}, user.activate, user.deactivate, user.password,
token.create {user, label}, token.revoke {user, label}; login, login_failed
{reason}, login_throttled {retry_after}, logout (signage.accounts.login).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from signage.accounts import (
    NAME_PATTERN,
    add_user,
    find_user,
    hash_password,
    issue_token,
    other_active_admins,
    revoke_tokens_of,
)
from signage.accounts.audit import (
    AuditQuery,
    actions_seen,
    entry_json,
    find_entries,
    last_logins,
    parse_moment,
)
from signage.accounts.login import LoginOutcome, attempt_login
from signage.accounts.passwords import check_password
from signage.accounts.sessions import end_session, end_sessions_of, open_session
from signage.errors import N_, BadRequest, FieldProblem, Invalid, NotFound
from signage.store.models import ApiToken, User
from signage.usecases import ADMIN, Change
from signage.validation import Model, Output, parse

UserName = Annotated[str, Field(
    title=N_("Tên đăng nhập"), pattern=NAME_PATTERN,
    description=N_("chỉ gồm chữ không dấu, số, '.', '_' hoặc '-' (2–80 ký tự)."))]
ROLE_RULE = N_("phải là một trong: admin, editor, approver, operator.")
Role = Annotated[Literal["admin", "editor", "approver", "operator"], Field(
    title=N_("Vai trò"), description=ROLE_RULE)]
# Spaces are part of a password: never trimmed (the models trim other strings).
Password = Annotated[str, StringConstraints(strip_whitespace=False), Field(
    title=N_("Mật khẩu"), min_length=10, max_length=1024)]
Active = Annotated[bool, Field(title=N_("Đang hoạt động"),
                               description=N_("true: được đăng nhập; false: bị khóa."))]

# A user as the doors address them: by id (the API, the forms) or by name (the CLI).
UserRef = int | str


class UserIn(Model):
    """A new staff account."""

    name: UserName
    role: Role
    password: Password


class RoleIn(Model):
    role: Role


class ActiveIn(Model):
    active: Active


class PasswordIn(Model):
    password: Password


class UserPatch(Model):
    """Any of role, active, password; each given one is its own change (and audit entry)."""

    # Titles and descriptions on the optional fields themselves: that is where the
    # labels of their problems are read from.
    role: Role | None = Field(None, title=N_("Vai trò"), description=ROLE_RULE)
    active: Active | None = Field(None, title=N_("Đang hoạt động"))
    password: Password | None = Field(None, title=N_("Mật khẩu"),
                                      description="a new password ends the user's open sessions")


class UserOut(Output):
    id: int
    name: str
    role: str
    active: bool
    created_at: str | None
    last_login_at: str | None


TokenLabel = Annotated[str, Field(title=N_("Dùng cho"), max_length=120,
                                  description=N_("ghi chú: token dùng cho việc gì."))]


# A token lasts a year unless its issuer says otherwise (null: never expires).
DEFAULT_TOKEN_DAYS = 365


class TokenIn(Model):
    """A new API token for a user (the secret is in the answer, once)."""

    user: Annotated[str, Field(title=N_("Người dùng"), min_length=1, max_length=80)]
    label: TokenLabel = ""
    expires_in_days: int | None = Field(
        DEFAULT_TOKEN_DAYS, ge=1, le=3650, title=N_("Hết hạn sau (ngày)"),
        description=N_("số ngày token còn dùng được (1–3650); null: không hết hạn."))


class TokenIssued(Output):
    id: int
    user: str
    label: str
    token: str = Field(description="the bearer secret; shown this once, never again")
    created_at: str
    expires_at: str | None = Field(description="null: never expires")


class TokenOut(Output):
    id: int
    user: str
    label: str
    created_at: str | None
    last_used_at: str | None = Field(description="to the minute")
    expires_at: str | None = Field(description="null: never expires")
    revoked: bool
    revoked_at: str | None


def _iso(value: datetime | None) -> str | None:
    # In UTC, as the store gives them back: the same moment reads the same in every answer.
    return value.astimezone(UTC).isoformat() if value else None


def user_json(user: User, last_login: datetime | None = None) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "role": user.role, "active": bool(user.active),
            "created_at": _iso(user.created_at), "last_login_at": _iso(last_login)}


def token_json(row: ApiToken) -> dict[str, Any]:
    return {"id": row.id, "user": row.user.name, "label": row.name,
            "created_at": _iso(row.created_at), "last_used_at": _iso(row.last_used_at),
            "expires_at": _iso(row.expires_at),
            "revoked": row.revoked_at is not None, "revoked_at": _iso(row.revoked_at)}


def _current(session: Session, user: User) -> dict[str, Any]:
    return user_json(user, last_logins(session, user.name).get(user.name))


# ---- users --------------------------------------------------------------------------------

def create_user(change: Change, data: Any) -> dict[str, Any]:
    change.require(ADMIN)
    spec = parse(UserIn, data)
    check_password(spec.password, spec.name)
    user = add_user(change.session, spec.name, spec.role, spec.password, change.now)
    change.audit("user.create", f"user:{user.name}", {"role": spec.role})
    return user_json(user)


def change_role(change: Change, user: UserRef, data: Any) -> dict[str, Any]:
    """A new role; the last active admin keeps theirs. The same role changes nothing."""
    change.require(ADMIN)
    role = parse(RoleIn, data).role
    row = find_user(change.session, user)
    if role != row.role:
        if row.role == "admin" and row.active and not other_active_admins(change.session, row):
            raise _refusal("role", "last_admin",
                           N_("Không thể bỏ quyền quản trị của quản trị viên cuối cùng."))
        before, row.role = row.role, role
        change.audit("user.role", f"user:{row.name}", {"from": before, "to": role})
    return _current(change.session, row)


def set_active(change: Change, user: UserRef, data: Any) -> dict[str, Any]:
    """Deactivate (the user can no longer log in, their sessions and tokens stop) or
    reactivate. Nobody deactivates themself, nor the last active admin."""
    change.require(ADMIN)
    active = parse(ActiveIn, data).active
    row = find_user(change.session, user)
    if active == bool(row.active):
        return _current(change.session, row)
    if not active:
        if row.name == change.actor.name:
            raise _refusal("active", "own_account",
                           N_("Không thể tự khóa tài khoản của chính mình."))
        if row.role == "admin" and not other_active_admins(change.session, row):
            raise _refusal("active", "last_admin", N_("Không thể khóa quản trị viên cuối cùng."))
    row.active = active
    details = None
    if not active:
        # Reactivating later must not revive what the deactivation stopped.
        ended = end_sessions_of(change.session, row.id, change.now, "deactivated")
        revoked = revoke_tokens_of(change.session, row.id, change.now)
        details = {"sessions_ended": ended, "tokens_revoked": revoked}
    change.audit("user.activate" if active else "user.deactivate", f"user:{row.name}", details)
    return _current(change.session, row)


def set_password(change: Change, user: UserRef, data: Any) -> dict[str, Any]:
    """A new password; the user's open sessions end with it."""
    change.require(ADMIN)
    password = parse(PasswordIn, data).password
    row = find_user(change.session, user)
    check_password(password, row.name)
    row.password_hash = hash_password(password)
    ended = end_sessions_of(change.session, row.id, change.now, "password")
    change.audit("user.password", f"user:{row.name}", {"sessions_ended": ended})
    return _current(change.session, row)


def update_user(change: Change, user: UserRef, data: Any) -> dict[str, Any]:
    """Any of role, active, password at once (the API's PATCH), in this order, in one
    transaction: each is the use case above, with its own audit entry."""
    change.require(ADMIN)
    spec = parse(UserPatch, data)
    result = _current(change.session, find_user(change.session, user))
    if spec.role is not None:
        result = change_role(change, user, {"role": spec.role})
    if spec.active is not None:
        result = set_active(change, user, {"active": spec.active})
    if spec.password is not None:
        result = set_password(change, user, {"password": spec.password})
    return result


def _refusal(field: str, code: str, message: str) -> Invalid:
    return Invalid(message, code=code, fields=[FieldProblem(field, message)])


def list_users(session: Session) -> list[dict[str, Any]]:
    """Every user by name, with their latest login."""
    seen = last_logins(session)
    return [user_json(u, seen.get(u.name))
            for u in session.scalars(select(User).order_by(User.name))]


def user_detail(session: Session, user: UserRef) -> dict[str, Any]:
    return _current(session, find_user(session, user))


# ---- API tokens ---------------------------------------------------------------------------

def create_token(change: Change, data: Any) -> dict[str, Any]:
    """A new bearer token for a user; the answer carries its secret, shown this once."""
    change.require(ADMIN)
    spec = parse(TokenIn, data)
    try:
        user = find_user(change.session, spec.user)
    except NotFound as exc:  # named in the body: the request is invalid, not the address
        raise Invalid(exc.message, code="unknown_user", fields=[
            FieldProblem("user", exc.message or "", exc.params)], **exc.params) from None
    expires = (change.now + timedelta(days=spec.expires_in_days)
               if spec.expires_in_days is not None else None)
    row, secret = issue_token(change.session, user, spec.label, change.now, expires)
    change.audit("token.create", f"token:{row.id}",
                 {"user": user.name, "label": row.name,
                  "expires_in_days": spec.expires_in_days})
    return {"id": row.id, "user": user.name, "label": row.name, "token": secret,
            "created_at": _iso(row.created_at), "expires_at": _iso(expires)}


def revoke_token(change: Change, token_id: int) -> dict[str, Any]:
    """Revoke a token for good. Revoking twice changes nothing (and writes no entry)."""
    change.require(ADMIN)
    row = change.session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(N_("Không có token số %(id)s."), id=token_id)
    if row.revoked_at is None:
        row.revoked_at = change.now
        change.audit("token.revoke", f"token:{row.id}", {"user": row.user.name,
                                                          "label": row.name})
    return token_json(row)


# Noting each use of a token would write on every API call; to the minute is enough.
TOKEN_USE_PRECISION_S = 60


def note_token_use(change: Change, token_id: int) -> None:
    """Bookkeeping, not a change people make (no audit entry): when a token was last used."""
    row = change.session.get(ApiToken, token_id)
    if row is not None and (row.last_used_at is None or (
            change.now - row.last_used_at).total_seconds() >= TOKEN_USE_PRECISION_S):
        row.last_used_at = change.now


def list_tokens(session: Session, user: str | None = None) -> list[dict[str, Any]]:
    """Tokens (revoked ones too), oldest first; only one user's when `user` is given.
    Never their secrets: those were shown once."""
    query = select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.id)
    if user is not None:
        query = query.where(ApiToken.user_id == find_user(session, user).id)
    return [token_json(row) for row in session.scalars(query)]


# ---- logging in and out -------------------------------------------------------------------

class LoginIn(Model):
    name: Annotated[str, Field(max_length=200)] = ""
    password: Annotated[str, StringConstraints(strip_whitespace=False),
                        Field(max_length=1024)] = ""
    # The browser's User-Agent: the session opened is good for that browser only.
    agent: Annotated[str, Field(max_length=1024)] = ""


def log_in(change: Change, data: Any) -> LoginOutcome:
    """Check a name and password from `change.actor.ip`, throttled and audited
    (signage.accounts.login); on success open a server-side session (its secret is in
    the outcome). A refusal is the outcome, not an error: its audit row must be
    committed, since it is what the throttle counts."""
    spec = parse(LoginIn, data)
    outcome = attempt_login(change.session, spec.name, spec.password, ip=change.actor.ip,
                            now=change.now)
    if outcome.ok and outcome.user is not None:
        secret = open_session(change.session, outcome.user.id, spec.agent, change.actor.ip,
                              change.now)
        outcome = replace(outcome, session=secret)
    return outcome


def log_out(change: Change, session_secret: str) -> None:
    """End this session on the server: the cookie is worthless from now on, also a copy."""
    end_session(change.session, session_secret, change.now)
    change.audit("logout", f"user:{change.actor.name}")


# ---- the audit log ------------------------------------------------------------------------

MAX_PAGE = 500


class AuditFilter(Model):
    """The audit log's filters (a query string: numbers come as text)."""

    model_config = {**Model.model_config, "strict": False}
    actor: str | None = Field(None, description="user name, or cli / system")
    action: str | None = Field(None, description="exact (login), or a family ending in '.' "
                                                 "(user.)")
    target: str | None = Field(None, description="e.g. user:lan, screen:3, notice:12")
    since: str | None = Field(None, description="YYYY-MM-DD (an office day) or ISO 8601")
    until: str | None = Field(None, description="YYYY-MM-DD (that whole day included) or "
                                                "ISO 8601 (exclusive)")
    limit: int = Field(100, description=f"at most {MAX_PAGE}")
    offset: int = Field(0, ge=0, le=2**31 - 1)


class AuditEntryOut(Output):
    id: int
    at: str
    actor: str = Field(description="user name, or cli / system")
    action: str = Field(examples=["login", "login_failed", "user.create", "screen.revoke"])
    target: str = Field(examples=["user:lan", "screen:3", "notice:12"])
    details: dict[str, Any]
    ip: str | None


class AuditPage(Output):
    items: list[AuditEntryOut]
    total: int
    limit: int
    offset: int


def audit_query(filters: AuditFilter, tz: ZoneInfo) -> AuditQuery:
    """The filters as a query; a date that cannot be read is a BadRequest about its field."""
    moments: dict[str, datetime | None] = {}
    for name in ("since", "until"):
        try:
            moments[name] = parse_moment(getattr(filters, name), tz, end=name == "until")
        except ValueError:
            message = N_("since/until phải là ngày (YYYY-MM-DD) hoặc thời điểm ISO 8601.")
            raise BadRequest(message, code="invalid_parameter",
                             fields=[FieldProblem(name, message)]) from None
    return AuditQuery(actor=filters.actor or None, action=filters.action or None,
                      target=filters.target or None, **moments)


def audit_log(session: Session, data: Any, tz: ZoneInfo) -> dict[str, Any]:
    """Entries matching the filters, newest first, one page of them, and how many in all."""
    filters = parse(AuditFilter, data)
    limit, offset = max(1, min(MAX_PAGE, filters.limit)), max(0, filters.offset)
    rows, total = find_entries(session, audit_query(filters, tz), limit=limit, offset=offset)
    return {"items": [entry_json(e) for e in rows], "total": total, "limit": limit,
            "offset": offset}


def audit_actions(session: Session) -> list[str]:
    """Every action in the log (the audit page's filter)."""
    return actions_seen(session)
