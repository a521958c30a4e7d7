"""Parity: the same change through every door gives the same state and the same audit rows.

Each door gets its own fresh app (same shipped content, same fake clock, an admin
"quantri" with a session and a bearer token), runs the same scenario its own way,
and we compare what is left in the database: the rows of the tables the scenario
touches (ids included, secrets and row timestamps left out) and the audit entries
(who acted differs by door — "quantri" on the web, "cli" on the console — and is
left out; what, on what, with which details, is not).

    def test_zones_are_the_same_through_every_door(parity):
        results = parity({
            "api":  lambda d: d.api("POST", "/api/v1/zones", {"name": "Sảnh B"}),
            "form": lambda d: d.form("/admin/zones", name="Sảnh B"),
            "cli":  lambda d: d.cli("zones", "add", "Sảnh B"),
        }, tables=["zones"])
        results.assert_same()
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from sqlalchemy import text

PASSWORD = "mat-khau-rat-dai"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# Columns that differ between two runs of the same scenario by nature: secrets made at
# random, and the moments rows were written (the CLI runs on the wall clock).
VOLATILE = {"key", "token", "token_hash", "password_hash", "created_at", "updated_at",
            "revoked_at", "last_seen_at", "last_used_at", "issued_at", "called_at",
            "finished_at", "at", "decided_at", "submitted_at", "opened_at", "expires_at"}


class Door:
    """One fresh app, and the ways in: the API (bearer), the /admin forms (session), the CLI."""

    def __init__(self, name: str, data_dir: Path, start: datetime) -> None:
        from signage import create_app
        from signage.accounts import add_token, add_user
        from signage.cli import prepare
        from signage.clock import FakeClock

        self.name = name
        self.clock = FakeClock(start)
        self.app = create_app({"data_dir": data_dir, "testing": True, "clock": self.clock})
        self.lobby = self.app.extensions["signage"]
        prepare(self.lobby, out=lambda *_: None)
        with self.lobby.store.write() as session:
            add_user(session, "quantri", "admin", PASSWORD, self.clock.now())
            self.bearer = add_token(session, "quantri", "parity", self.clock.now())
        self.client = self.app.test_client()
        login = self.client.get("/admin/login").text
        self.client.post("/admin/login", data={
            "name": "quantri", "password": PASSWORD,
            "csrf_token": re.search(r'name="csrf-token" content="([^"]+)"', login)[1]})
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"',
                              self.client.get("/admin/").text)[1]
        self._baseline = self._audit_ids()
        self.data_dir = data_dir

    # ---- the doors ----------------------------------------------------------------------

    def api(self, method: str, path: str, body: Any = None) -> Any:
        response = self.client.open(path, method=method, json=body,
                                    headers={"Authorization": f"Bearer {self.bearer}"})
        return response

    def form(self, path: str, **data: Any) -> Any:
        return self.client.post(path, data={"csrf_token": self.csrf, **data})

    def cli(self, *args: str, input: str | None = None) -> Any:
        from signage.cli import main

        env = {"SIGNAGE_DATA_DIR": str(self.data_dir)}
        return CliRunner().invoke(main, list(args), input=input, env=env,
                                  catch_exceptions=False)

    # ---- what it left behind ---------------------------------------------------------------

    def _audit_ids(self) -> int:
        with self.lobby.store.read() as session:
            return session.execute(text("SELECT coalesce(max(id), 0) FROM audit_entries")
                                   ).scalar_one()

    def rows(self, table: str) -> list[dict[str, Any]]:
        with self.lobby.store.read() as session:
            result = session.execute(text(f"SELECT * FROM {table} ORDER BY 1"))  # noqa: S608
            return [{k: _plain(v) for k, v in row._mapping.items() if k not in VOLATILE}
                    for row in result]

    def audit(self) -> list[tuple[str, str, Any]]:
        """Audit rows written since the door was set up: (action, target, details)."""
        with self.lobby.store.read() as session:
            result = session.execute(text(
                "SELECT action, target, details FROM audit_entries WHERE id > :since "
                "AND action NOT IN ('login', 'logout') ORDER BY id"), {"since": self._baseline})
            return [(a, t, _plain(d)) for a, t, d in result]

    def close(self) -> None:
        self.lobby.store.dispose()


def _plain(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        import json

        try:
            return json.loads(value)
        except ValueError:
            return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


@dataclass
class Results:
    by_door: dict[str, dict[str, Any]]

    def assert_same(self) -> None:
        doors = list(self.by_door)
        first = self.by_door[doors[0]]
        for other in doors[1:]:
            for part in first:
                assert self.by_door[other][part] == first[part], (
                    f"{part} differs between the {doors[0]} door and the {other} door")

    def __getitem__(self, door: str) -> dict[str, Any]:
        return self.by_door[door]


def run_everywhere(tmp_path: Path, scenarios: dict[str, Callable[[Door], Any]],
                   tables: Iterable[str],
                   start: datetime = datetime(2026, 12, 1, 8, 30, tzinfo=HCM)) -> Results:
    """Run each door's scenario on its own fresh app; collect state and audit rows."""
    by_door: dict[str, dict[str, Any]] = {}
    for name, scenario in scenarios.items():
        door = Door(name, tmp_path / f"door-{name}", start)
        try:
            scenario(door)
            by_door[name] = {"state": {t: door.rows(t) for t in tables},
                             "audit": door.audit()}
        finally:
            door.close()
    return Results(by_door)
