"""The `signage` console script: a door like the API and /admin.

Each command parses its arguments, names the actor (`Actor.cli()`: whoever runs the
command administers the machine) and calls one use case through `run`; a refusal is
printed in Vietnamese and English-free words of the use case, and the command exits
with status 2. Commands live by subject in this package's modules.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from signage.version import __version__


def _app():
    from signage import create_app

    return create_app()


def _lobby(app=None, relay: bool = True):
    """The lobby for a command; its events go to the running server (`relay`)."""
    lobby = (app or _app()).extensions["signage"]
    if relay and not lobby.settings.redis_url:
        # The screens hang on the serving process's in-process Hub: hand it our events.
        lobby.publisher.relay = _relay_to(lobby.settings.data_dir)
    return lobby


def _relay_to(data_dir):
    from signage import relay

    def deliver(events) -> None:
        if events and not relay.send(data_dir, events):
            click.echo("Không có máy chủ nào đang chạy trên thư mục dữ liệu này: màn hình nhận "
                       "thay đổi khi máy chủ chạy. / No server is running on this data dir: "
                       "screens get the change when it starts.", err=True)

    return deliver


def _fail(message: str) -> None:
    click.echo(f"Lỗi / Error: {message}", err=True)
    sys.exit(2)


def run(lobby, usecase, *args: Any, **kwargs: Any) -> Any:
    """Run a use case as the CLI; a refusal ends the command with its message (exit 2)."""
    from signage.errors import SignageError
    from signage.usecases import Actor

    try:
        return lobby.perform(usecase, Actor.cli(), *args, **kwargs)
    except SignageError as exc:
        _fail(exc.text())


def upgraded_lobby():
    """The lobby, with the schema brought up to date first (commands may run before serve)."""
    from signage.store.migrate import upgrade

    lobby = _lobby()
    upgrade(lobby.store)
    return lobby


@click.group()
@click.version_option(__version__, prog_name="signage")
def main() -> None:
    """signage — màn hình sảnh một cửa (lobby display service)."""


from signage.cli import (  # noqa: E402,F401  (commands)
    accounts,
    content,
    db,
    evaluation,
    screens,
    serve,
)
from signage.cli.serve import prepare  # noqa: E402,F401  (tests and embedders prepare a store)

if __name__ == "__main__":
    main()
