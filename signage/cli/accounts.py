"""signage users, signage tokens: staff accounts and API tokens."""

from __future__ import annotations

import sys

import click

from signage.cli import _fail, _lobby, main, run, upgraded_lobby  # noqa: F401

# ---- users and tokens ------------------------------------------------------------

@main.group()
def users() -> None:
    """Staff accounts."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "editor", "approver", "operator"]))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_add(name: str, role: str, password_stdin: bool) -> None:
    from signage.accounts import AccountError, add_user
    from signage.accounts.audit import ACTOR_CLI, record
    from signage.store.migrate import upgrade

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Mật khẩu / Password", hide_input=True, confirmation_prompt=True)
    lobby = _lobby()
    upgrade(lobby.store)
    try:
        with lobby.store.write() as session:
            add_user(session, name, role, password, lobby.clock.now())
            record(session, ACTOR_CLI, "user.create", f"user:{name}", {"role": role},
                   now=lobby.clock.now())
    except AccountError as exc:
        _fail(str(exc))
    click.echo(f"Đã tạo người dùng {name} ({role}) / user created.")


@users.command("list")
def users_list() -> None:
    """One line per user: name, role, active or inactive."""
    from signage.accounts import list_users
    from signage.store.migrate import upgrade

    lobby = _lobby()
    upgrade(lobby.store)
    with lobby.store.read() as session:
        for user in list_users(session):
            click.echo(f"{user.name}\t{user.role}\t{'active' if user.active else 'inactive'}")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_passwd(name: str, password_stdin: bool) -> None:
    """Set NAME's password (their open sessions end)."""
    from signage.accounts import AccountError, set_password, user_by_name
    from signage.accounts.audit import ACTOR_CLI, record
    from signage.store.migrate import upgrade

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Mật khẩu mới / New password", hide_input=True,
                                confirmation_prompt=True)
    lobby = _lobby()
    upgrade(lobby.store)
    try:
        with lobby.store.write() as session:
            set_password(user_by_name(session, name), password)
            record(session, ACTOR_CLI, "user.password", f"user:{name}", now=lobby.clock.now())
    except AccountError as exc:
        _fail(str(exc))
    click.echo(f"Đã đặt mật khẩu mới cho {name} / password set.")


@main.group()
def tokens() -> None:
    """API bearer tokens."""


@tokens.command("add")
@click.argument("name")
@click.option("--label", default="", help="What the token is for.")
def tokens_add(name: str, label: str) -> None:
    """Print a new API token for user NAME (last line of output)."""
    from signage.accounts import AccountError, add_token
    from signage.store.migrate import upgrade

    lobby = _lobby()
    upgrade(lobby.store)
    try:
        with lobby.store.write() as session:
            token = add_token(session, name, label, lobby.clock.now())
    except AccountError as exc:
        _fail(str(exc))
    click.echo(f"Token cho {name} (chỉ hiện một lần / shown once):", err=True)
    click.echo(token)


