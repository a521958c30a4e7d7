"""A change made on the command line reaches the screens of the running server at once
(embedded default: the CLI hands its events to the server over signage.relay)."""

from __future__ import annotations

import subprocess

from tests.conftest import SIGNAGE


def test_a_zone_renamed_on_the_command_line_reaches_a_connected_screen(live_server, screen):
    # Given a screen connected to a zone of the running server
    [key] = live_server.add_screens("TV relay", zone="khu-relay")
    tv = screen(key)
    assert tv.snapshot["zone"]["name"] == "khu-relay"
    # When an admin renames the zone from the console script
    live_server.cli("zones", "rename", "khu-relay", "Khu chờ B")
    # Then the screen hears of it without reconnecting
    changed = tv.wait_for("zone.updated", timeout=15,
                          where=lambda m: m["zone"]["name"] == "Khu chờ B")
    assert changed["seq"] > tv.snapshot["seq"]


def test_with_no_server_running_the_command_says_screens_get_it_later(tmp_path):
    env = {"SIGNAGE_DATA_DIR": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([SIGNAGE, "zones", "add", "Khu A"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    renamed = subprocess.run([SIGNAGE, "zones", "rename", "khu-a", "Khu B"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert renamed.returncode == 0
    assert "No server is running" in renamed.stderr
