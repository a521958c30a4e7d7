"""signage users, signage tokens: staff accounts and API tokens.

The same use cases as /admin and the API (signage.usecases.accounts), as the CLI
actor: same validation, same rules, same audit entries.
"""

from __future__ import annotations

import sys

import click

from signage.cli import main, run, upgraded_lobby

ROLE_CHOICE = click.Choice(["admin", "editor", "approver", "operator"])


def _password(password_stdin: bool, prompt: str) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)


# ---- users --------------------------------------------------------------------------------

@main.group()
def users() -> None:
    """Staff accounts."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=ROLE_CHOICE)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_add(name: str, role: str, password_stdin: bool) -> None:
    """Add a staff account."""
    from signage.usecases.accounts import create_user

    password = _password(password_stdin, "Mật khẩu / Password")
    run(upgraded_lobby(), create_user, {"name": name, "role": role, "password": password})
    click.echo(f"Đã tạo người dùng {name} ({role}) / user created.")


@users.command("list")
def users_list() -> None:
    """One line per user: name, role, active or inactive."""
    from signage.usecases.accounts import list_users

    for user in upgraded_lobby().query(list_users):
        click.echo(f"{user['name']}\t{user['role']}\t{'active' if user['active'] else 'inactive'}")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_passwd(name: str, password_stdin: bool) -> None:
    """Set NAME's password (their open sessions end)."""
    from signage.usecases.accounts import set_password

    password = _password(password_stdin, "Mật khẩu mới / New password")
    run(upgraded_lobby(), set_password, name, {"password": password})
    click.echo(f"Đã đặt mật khẩu mới cho {name} / password set.")


@users.command("role")
@click.argument("name")
@click.argument("role", type=ROLE_CHOICE)
def users_role(name: str, role: str) -> None:
    """Give NAME another role (the last active admin keeps theirs)."""
    from signage.usecases.accounts import change_role

    run(upgraded_lobby(), change_role, name, {"role": role})
    click.echo(f"Đã đổi vai trò / role set: {name} → {role}")


@users.command("deactivate")
@click.argument("name")
def users_deactivate(name: str) -> None:
    """Lock NAME out: no login, their sessions and API tokens stop (history is kept)."""
    from signage.usecases.accounts import set_active

    run(upgraded_lobby(), set_active, name, {"active": False})
    click.echo(f"Đã khóa tài khoản / deactivated: {name}")


@users.command("activate")
@click.argument("name")
def users_activate(name: str) -> None:
    """Let NAME log in again (sessions and tokens the lock ended stay ended: issue new ones)."""
    from signage.usecases.accounts import set_active

    run(upgraded_lobby(), set_active, name, {"active": True})
    click.echo(f"Đã mở khóa tài khoản / activated: {name}")


# ---- tokens -------------------------------------------------------------------------------

@main.group()
def tokens() -> None:
    """API bearer tokens."""


@tokens.command("add")
@click.argument("name")
@click.option("--label", default="", help="What the token is for.")
@click.option("--expires-in-days", type=int, default=None,
              help="Days the token works (default 365).")
@click.option("--never-expires", is_flag=True, help="A token without an expiry date.")
def tokens_add(name: str, label: str, expires_in_days: int | None, never_expires: bool) -> None:
    """Print a new API token for user NAME (last line of output)."""
    from signage.usecases.accounts import create_token

    data: dict = {"user": name, "label": label}
    if never_expires:
        data["expires_in_days"] = None
    elif expires_in_days is not None:
        data["expires_in_days"] = expires_in_days
    issued = run(upgraded_lobby(), create_token, data)
    click.echo(f"Token số {issued['id']} cho {name} (chỉ hiện một lần / shown once):", err=True)
    click.echo(issued["token"])


@tokens.command("list")
@click.option("--user", default=None, help="Only this user's tokens.")
def tokens_list(user: str | None) -> None:
    """One line per token: id, user, state, last used, created, label (never the secret)."""
    from signage.cli import _fail
    from signage.errors import SignageError
    from signage.usecases.accounts import list_tokens

    try:
        found = upgraded_lobby().query(list_tokens, user)
    except SignageError as exc:
        _fail(exc.text())
    for t in found:
        state = "revoked" if t["revoked"] else "active"
        click.echo(f"{t['id']}\t{t['user']}\t{state}\t{t['last_used_at'] or '-'}"
                   f"\t{t['created_at']}\t{t['expires_at'] or 'never'}\t{t['label']}")


@tokens.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID for good (see `signage tokens list`)."""
    from signage.usecases.accounts import revoke_token

    done = run(upgraded_lobby(), revoke_token, token_id)
    click.echo(f"Đã thu hồi / revoked: token {done['id']} ({done['user']}, {done['label']})")
