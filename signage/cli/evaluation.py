"""signage tablets, signage officers, signage export: the counters' rating tablets, the
officers who serve there, and the ratings and feedback for the provincial system."""

from __future__ import annotations

import json

import click

from signage.cli import _fail, main, run, upgraded_lobby

# ---- tablets -------------------------------------------------------------------------------


@main.group()
def tablets() -> None:
    """Rating tablets at the counters (citizens rate the service there)."""


@tablets.command("add")
@click.argument("name")
@click.option("--counter", type=int, required=True, help="The counter's number.")
def tablets_add(name: str, counter: int) -> None:
    """Register a tablet at a counter; prints the page to open on it (its key in it) as
    the last line."""
    from signage.usecases.tablets import add_tablet, tablet_path

    added = run(upgraded_lobby(), add_tablet, {"name": name, "counter": counter})
    click.echo(f"Máy đánh giá {added['name']}, quầy {added['counter']} (địa chỉ chỉ hiện một "
               "lần / shown once):", err=True)
    click.echo(tablet_path(added["counter"], added["key"]))


@tablets.command("list")
def tablets_list() -> None:
    """One line per tablet: id, counter, state, last seen, name, page."""
    from signage.usecases.tablets import list_tablets, tablet_path

    for t in upgraded_lobby().query(list_tablets):
        state = "revoked" if t["revoked"] else "active"
        click.echo(f"{t['id']}\t{t['counter']}\t{state}\t{t['last_seen_at'] or '-'}\t{t['name']}"
                   f"\t{tablet_path(t['counter'], t['key'])}")


@tablets.command("revoke")
@click.argument("tablet_id", type=int)
def tablets_revoke(tablet_id: int) -> None:
    """Revoke a tablet's key for good (its page stops)."""
    from signage.usecases.tablets import revoke_tablet

    done = run(upgraded_lobby(), revoke_tablet, tablet_id)
    click.echo(f"Đã thu hồi / revoked: {done['name']}")


# ---- officers ------------------------------------------------------------------------------


@main.group()
def officers() -> None:
    """Officers who serve at the counters (public: name, title, field, phone)."""


@officers.command("add")
@click.argument("name")
@click.option("--title", default="", help="Chức danh.")
@click.option("--field", "field_", default="", help="Lĩnh vực.")
@click.option("--phone", default=None)
@click.option("--user", default=None, help="The staff account they sign in with.")
def officers_add(name: str, title: str, field_: str, phone: str | None,
                 user: str | None) -> None:
    """Add an officer's profile; prints its id."""
    from signage.usecases.officers import create_officer

    added = run(upgraded_lobby(), create_officer, {"name": name, "title": title,
                                                   "field": field_, "phone": phone,
                                                   "user": user})
    click.echo(added["id"])


@officers.command("list")
def officers_list() -> None:
    """One line per officer: id, counter on duty (or -), account, name, title, field."""
    from signage.usecases.officers import list_officers

    for o in upgraded_lobby().query(list_officers):
        click.echo(f"{o['id']}\t{o['counter'] or '-'}\t{o['user'] or '-'}\t{o['name']}"
                   f"\t{o['title']}\t{o['field']}")


# ---- exports -------------------------------------------------------------------------------


@main.command("export")
@click.argument("what", type=click.Choice(["ratings", "feedback"]))
@click.option("--since", default=None, help="First office day, YYYY-MM-DD (default: this "
                                            "month's first).")
@click.option("--until", default=None, help="Last office day, YYYY-MM-DD (default: today).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write here instead of standard output.")
def export(what: str, since: str | None, until: str | None, fmt: str,
           output: str | None) -> None:
    """Ratings or feedback of a period, with the field names of docs/evaluation.md (the
    same as the API's), for the provincial system."""
    from signage.errors import SignageError
    from signage.evaluation.export import FEEDBACK_COLUMNS, RATING_COLUMNS, to_csv
    from signage.usecases import feedback as feedback_uc
    from signage.usecases import ratings as ratings_uc
    from signage.usecases.reports import parse_period

    lobby = upgraded_lobby()
    clock = lobby.clock
    try:
        period = parse_period({"since": since, "until": until}, clock.now(), clock.tz)
    except SignageError as exc:
        _fail(exc.text())
    if what == "ratings":
        rows, columns = lobby.query(ratings_uc.list_ratings, period, clock.tz), RATING_COLUMNS
    else:
        start, end = period.bounds(clock.tz)
        rows = lobby.query(feedback_uc.list_feedback, start=start, end=end, limit=None,
                           with_contact=True)["items"]
        rows.reverse()  # oldest first, as the ratings
        columns = FEEDBACK_COLUMNS
    text = to_csv(rows, columns) if fmt == "csv" else json.dumps(
        {"since": period.since.isoformat(), "until": period.until.isoformat(),
         "items": [{c: row.get(c) for c in columns} for row in rows]},
        ensure_ascii=False, indent=1, default=str)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        click.echo(f"{len(rows)} → {output}", err=True)
    else:
        click.echo(text, nl=False)

