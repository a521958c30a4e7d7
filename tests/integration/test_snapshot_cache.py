"""Snapshots are built once per (zone, seq, epoch) and shared by the zone's screens; an
event of the zone (a new seq) makes the next one fresh."""

import json
import zlib

from signage.usecases import Actor
from signage.usecases.screens import add_screens, screen_for_key


def screens(lobby, *names: str, zone: str = "sanh-chinh") -> list[dict]:
    added = lobby.perform(add_screens, Actor.system(), {"names": list(names), "zone": zone})
    return [lobby.query(screen_for_key, s["key"]) for s in added]


def test_screens_of_a_zone_at_one_seq_share_one_build(lobby):
    # Given two screens of one zone
    a, b = screens(lobby, "Sảnh trái", "Sảnh phải")
    publisher = lobby.publisher
    builds = publisher.snapshot_builds
    # When both ask for a snapshot at the same seq
    first = json.loads(publisher.screen_snapshot(a, 7))
    second = json.loads(publisher.screen_snapshot(b, 7))
    # Then the zone's view was built once, and each got its own name and the seq
    assert publisher.snapshot_builds == builds + 1
    assert (first["screen"]["name"], second["screen"]["name"]) == ("Sảnh trái", "Sảnh phải")
    assert first["seq"] == second["seq"] == 7
    assert first["epoch"] == lobby.publisher.hub.epoch
    assert first["type"] == "snapshot" and first["protocol"] == 1
    assert first["playlist"] == second["playlist"] and first["playlist"]["slides"]
    assert {"office", "zone", "showing", "queue", "ticker"} <= first.keys()


def test_a_new_seq_builds_the_zone_again_with_what_changed(lobby):
    (a,) = screens(lobby, "Sảnh")
    publisher = lobby.publisher
    before = json.loads(publisher.screen_snapshot(a, 3))
    # When the zone's name changes (an event: the seq moves on)
    from signage.usecases.zones import rename_zone

    lobby.perform(rename_zone, Actor.system(), "sanh-chinh", {"name": "Sảnh mới"})
    builds = publisher.snapshot_builds
    after = json.loads(publisher.screen_snapshot(a, 4))
    # Then the next snapshot is built again and says so
    assert publisher.snapshot_builds == builds + 1
    assert before["zone"]["name"] != "Sảnh mới" and after["zone"]["name"] == "Sảnh mới"


def test_each_zone_has_its_own_snapshot_at_the_same_seq(lobby):
    from signage.usecases.zones import create_zone

    lobby.perform(create_zone, Actor.system(), {"name": "Tầng 2", "slug": "tang-2"})
    (a,) = screens(lobby, "Sảnh")
    (b,) = screens(lobby, "Tầng hai", zone="tang-2")
    builds = lobby.publisher.snapshot_builds
    first = json.loads(lobby.publisher.screen_snapshot(a, 1))
    second = json.loads(lobby.publisher.screen_snapshot(b, 1))
    assert lobby.publisher.snapshot_builds == builds + 2
    assert (first["zone"]["slug"], second["zone"]["slug"]) == ("sanh-chinh", "tang-2")


def test_a_deflated_snapshot_inflates_to_the_plain_one_and_shares_the_zones_part(lobby):
    # Given two screens of one zone
    a, b = screens(lobby, "Sảnh trái", "Sảnh phải")
    publisher = lobby.publisher
    builds = publisher.snapshot_builds
    # When one asks plain and both ask deflated at the same seq
    plain = json.loads(publisher.screen_snapshot(a, 5))
    deflated = [publisher.screen_snapshot(s, 5, deflate=True) for s in (a, b)]
    # Then raw DEFLATE (what DecompressionStream("deflate-raw") reads) gives the same
    # snapshot, each with its own screen, from one build
    inflated = [json.loads(zlib.decompress(d, -15)) for d in deflated]
    assert publisher.snapshot_builds == builds + 1
    assert {k: v for k, v in inflated[0].items() if k != "at"} == \
        {k: v for k, v in plain.items() if k != "at"}
    assert inflated[1]["screen"]["name"] == "Sảnh phải"
    assert len(deflated[0]) * 3 < len(json.dumps(plain, ensure_ascii=False).encode())
