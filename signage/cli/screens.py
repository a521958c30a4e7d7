"""signage screens, signage zones: the lobby's TVs and areas."""

from __future__ import annotations

import click

from signage.cli import main, run, upgraded_lobby

# ---- screens ----------------------------------------------------------------------

@main.group()
def screens() -> None:
    """Lobby screens."""


@screens.command("add")
@click.argument("names", nargs=-1, required=True)
@click.option("--zone", default="sanh-chinh", show_default=True,
              help="An existing zone (see `signage zones list`).")
@click.option("--create-zone", is_flag=True,
              help="Create the zone first when it does not exist (named as its slug).")
@click.option("--orientation", default="landscape", type=click.Choice(["landscape", "portrait"]))
def screens_add(names: tuple[str, ...], zone: str, create_zone: bool, orientation: str) -> None:
    """Add one screen per NAME; print their keys, one per line, in order."""
    from signage.usecases.screens import add_screens
    from signage.usecases.zones import create_zone as make_zone
    from signage.usecases.zones import zone_exists

    lobby = upgraded_lobby()
    if create_zone and not lobby.query(zone_exists, zone):
        run(lobby, make_zone, {"name": zone, "slug": zone})
    added = run(lobby, add_screens, {"names": list(names), "zone": zone,
                                     "orientation": orientation})
    for screen in added:
        click.echo(screen["key"])


@screens.command("pair")
@click.argument("code")
@click.option("--name", required=True, help="The screen's name.")
@click.option("--zone", default="sanh-chinh", show_default=True,
              help="An existing zone (see `signage zones list`).")
@click.option("--orientation", default="landscape", type=click.Choice(["landscape", "portrait"]))
def screens_pair(code: str, name: str, zone: str, orientation: str) -> None:
    """Pair the TV showing CODE on its /screen page: it becomes screen NAME in ZONE and
    goes to its page by itself. Prints the new screen's id."""
    from signage.usecases.pairing import pair_screen

    paired = run(upgraded_lobby(), pair_screen, {"code": code, "name": name, "zone": zone,
                                                 "orientation": orientation})
    click.echo(f"Đã ghép / paired: {paired['name']} ({paired['zone']})", err=True)
    click.echo(paired["id"])


@screens.command("list")
def screens_list() -> None:
    """One line per screen: id, zone, orientation, state, name, URL path."""
    from signage.usecases.screens import list_screens

    for s in upgraded_lobby().query(list_screens):
        state = "revoked" if s["revoked"] else "active"
        click.echo(f"{s['id']}\t{s['zone']}\t{s['orientation']}\t{state}\t{s['name']}"
                   f"\t/screen/{s['key']}")


@screens.command("revoke")
@click.argument("screen_id", type=int)
def screens_revoke(screen_id: int) -> None:
    """Revoke a screen's key for good (its TV can never connect again)."""
    from signage.usecases.screens import revoke_screen

    done = run(upgraded_lobby(), revoke_screen, screen_id)
    click.echo(f"Đã thu hồi / revoked: {done['name']}")


@screens.command("reload")
@click.argument("screen_id", type=int, required=False)
@click.option("--zone", "zones", multiple=True, help="Every screen of this zone (repeatable).")
@click.option("--all", "everything", is_flag=True, help="Every screen.")
def screens_reload(screen_id: int | None, zones: tuple[str, ...], everything: bool) -> None:
    """Reload the page of screen SCREEN_ID, of every screen of --zone, or of --all screens
    (exactly one of them); the screens are back within seconds. Audited as "cli"."""
    from signage.usecases.screens import reload_screens

    if [screen_id is not None, bool(zones), everything].count(True) != 1:
        raise click.UsageError("give SCREEN_ID, --zone ZONE (repeatable) or --all")
    data = ({"screen_id": screen_id} if screen_id is not None
            else {"zones": list(zones)} if zones else {})
    done = run(upgraded_lobby(), reload_screens, data)
    target = (f"màn hình {done['screen_id']}" if done["screen_id"] is not None
              else f"khu vực {', '.join(done['zones']) or '—'}")
    click.echo(f"Đã yêu cầu tải lại / reload asked: {target}")


@screens.command("screenshot")
@click.argument("screen_id", type=int)
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the picture (JPEG) here once it is in.")
@click.option("--wait", default=30, show_default=True, type=click.IntRange(1, 600),
              help="Seconds to wait for the screen's picture.")
def screens_screenshot(screen_id: int, out: str | None, wait: int) -> None:
    """Ask screen SCREEN_ID for a picture of what it shows (its page draws itself); with
    --out, wait for it and write it there. Exits 1 when no new picture came in time (the
    screen is not connected)."""
    import time

    from signage.errors import NotFound
    from signage.usecases.screens import ask_screenshot, last_screenshot

    lobby = upgraded_lobby()

    def taken_at():
        try:
            return lobby.query(last_screenshot, screen_id)["taken_at"]
        except NotFound:
            return None

    before = taken_at()
    run(lobby, ask_screenshot, screen_id)
    click.echo(f"Đã yêu cầu chụp màn hình / screenshot asked: {screen_id}", err=True)
    if out is None:
        return
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        now = taken_at()
        if now is not None and (before is None or now > before):
            shot = lobby.query(last_screenshot, screen_id)
            with open(out, "wb") as fh:
                fh.write(shot["data"])
            click.echo(out)
            return
        time.sleep(0.5)
    raise click.ClickException(f"no picture from screen {screen_id} within {wait} s "
                               "(is it connected?)")


@main.group()
def zones() -> None:
    """Zones (areas of the lobby)."""


@zones.command("list")
def zones_list() -> None:
    """One line per zone: slug, screens, name."""
    from signage.usecases.zones import list_zones

    for z in upgraded_lobby().query(list_zones):
        click.echo(f"{z['slug']}\t{z['screens']}\t{z['name']}")


@zones.command("add")
@click.argument("name")
@click.option("--slug", default=None, help="Default: made from the name.")
def zones_add(name: str, slug: str | None) -> None:
    """Create a zone; prints its slug."""
    from signage.usecases.zones import create_zone

    click.echo(run(upgraded_lobby(), create_zone, {"name": name, "slug": slug})["slug"])


@zones.command("rename")
@click.argument("slug")
@click.argument("name")
def zones_rename(slug: str, name: str) -> None:
    from signage.usecases.zones import rename_zone

    run(upgraded_lobby(), rename_zone, slug, {"name": name})
    click.echo(f"Đã đổi tên / renamed: {slug} → {name}")


@main.group()
def kiosks() -> None:
    """Registered ticket kiosks (their numbers are not limited as anonymous ones)."""


@kiosks.command("add")
@click.argument("name")
def kiosks_add(name: str) -> None:
    """Register a kiosk; prints the page to open on it (its key in it) as the last line."""
    from signage.usecases.kiosks import add_kiosk

    added = run(upgraded_lobby(), add_kiosk, {"name": name})
    click.echo(f"Máy lấy số {added['name']} (địa chỉ chỉ hiện một lần / shown once):", err=True)
    click.echo(f"/kiosk/{added['key']}")


@kiosks.command("list")
def kiosks_list() -> None:
    """One line per kiosk: id, state, last number given, name, page."""
    from signage.usecases.kiosks import list_kiosks

    for k in upgraded_lobby().query(list_kiosks):
        state = "revoked" if k["revoked"] else "active"
        click.echo(f"{k['id']}\t{state}\t{k['last_seen_at'] or '-'}\t{k['name']}"
                   f"\t/kiosk/{k['key']}")


@kiosks.command("revoke")
@click.argument("kiosk_id", type=int)
def kiosks_revoke(kiosk_id: int) -> None:
    from signage.usecases.kiosks import revoke_kiosk

    done = run(upgraded_lobby(), revoke_kiosk, kiosk_id)
    click.echo(f"Đã thu hồi / revoked: {done['name']}")


# ---- emergency alerts -------------------------------------------------------------

@main.group()
def alerts() -> None:
    """Emergency alerts, full-screen over everything on the lobby screens."""


@alerts.command("raise")
@click.argument("text")
@click.option("--level", default="canh-bao", show_default=True,
              type=click.Choice(["thong-tin", "canh-bao", "khan-cap"]))
@click.option("--zone", "zones", multiple=True, help="A zone (repeat for several); none: every zone.")
@click.option("--expires-in", default=3600, show_default=True, type=int, help="Seconds.")
@click.option("--chime/--no-chime", default=True, show_default=True)
@click.option("--voice", is_flag=True, help="Also read it aloud (the TV browser's Vietnamese voice).")
def alerts_raise(text: str, level: str, zones: tuple[str, ...], expires_in: int, chime: bool,
                 voice: bool) -> None:
    """Show TEXT now on the screens; prints the alert's id (to end it early)."""
    from signage.usecases.alerts import raise_alert

    alert = run(upgraded_lobby(), raise_alert, {
        "text": text, "level": level, "zones": list(zones) or None, "expires_in": expires_in,
        "chime": chime, "voice": voice})
    click.echo(f"Cảnh báo đến / alert until {alert['expires_at']}", err=True)
    click.echo(alert["id"])


@alerts.command("list")
@click.option("--all", "everything", is_flag=True, help="Ended ones too (the last 100).")
def alerts_list(everything: bool) -> None:
    """One line per alert: id, level, state, until, zones, text."""
    from signage.usecases.alerts import list_alerts

    lobby = upgraded_lobby()
    for a in lobby.query(list_alerts, lobby.clock.now(), everything):
        state = "active" if a["active"] else "ended"
        click.echo(f"{a['id']}\t{a['level']}\t{state}\t{a['expires_at']}"
                   f"\t{','.join(a['zones'] or ['*'])}\t{a['text']}")


@alerts.command("end")
@click.argument("alert_id", type=int)
def alerts_end(alert_id: int) -> None:
    """End an alert now: its screens clear it at once."""
    from signage.usecases.alerts import end_alert

    done = run(upgraded_lobby(), end_alert, alert_id)
    click.echo(f"Đã kết thúc / ended: {done['text']}")
