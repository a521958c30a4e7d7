"""Zones and screens: the same change through the API, the /admin forms and the CLI
leaves the same rows and the same audit entries; the same mistake gets the same error."""

from __future__ import annotations

import re

ZONE = "Sảnh tầng hai"


def test_creating_and_renaming_a_zone_is_the_same_through_every_door(parity):
    results = parity({
        "api": lambda d: (d.api("POST", "/api/v1/zones", {"name": ZONE}),
                          d.api("PATCH", "/api/v1/zones/sanh-tang-hai", {"name": "Sảnh 2"})),
        "form": lambda d: (d.form("/admin/zones", name=ZONE, slug=""),
                           d.form("/admin/zones/sanh-tang-hai", name="Sảnh 2")),
        "cli": lambda d: (d.cli("zones", "add", ZONE),
                          d.cli("zones", "rename", "sanh-tang-hai", "Sảnh 2")),
    }, tables=["zones"])
    results.assert_same()
    assert [a for a, _, _ in results["api"]["audit"]] == ["zone.create", "zone.rename"]
    assert results["cli"]["state"]["zones"][-1]["name"] == "Sảnh 2"


def test_adding_and_revoking_screens_is_the_same_through_every_door(parity):
    def api(d):
        added = d.api("POST", "/api/v1/screens",
                      {"names": ["TV quầy 1"], "zone": "sanh-chinh", "orientation": "portrait"})
        assert added.status_code == 201, added.json
        d.api("DELETE", f"/api/v1/screens/{added.json['items'][0]['id']}")

    def form(d):
        page = d.form("/admin/screens", name="TV quầy 1", zone="sanh-chinh",
                      orientation="portrait")
        assert page.status_code == 200
        screen_id = re.search(r'data-screen-id="(\d+)"', page.text)[1]
        d.form(f"/admin/screens/{screen_id}/revoke")

    def cli(d):
        added = d.cli("screens", "add", "TV quầy 1", "--zone", "sanh-chinh",
                      "--orientation", "portrait")
        assert added.exit_code == 0, added.output
        listed = d.cli("screens", "list").stdout.splitlines()
        d.cli("screens", "revoke", listed[-1].split("\t")[0])

    results = parity({"api": api, "form": form, "cli": cli}, tables=["screens", "zones"])
    results.assert_same()
    assert [a for a, _, _ in results["form"]["audit"]] == ["screen.add", "screen.revoke"]
    assert results["api"]["state"]["screens"][-1]["orientation"] == "portrait"


def test_an_unknown_zone_is_refused_the_same_way_everywhere_and_creates_nothing(parity):
    seen = {}

    def api(d):
        response = d.api("POST", "/api/v1/screens", {"names": ["TV"], "zone": "Sảnh Typo!!"})
        seen["api"] = (response.status_code, response.json["error"]["code"],
                       response.json["error"]["message"])
        other = d.api("POST", "/api/v1/screens", {"names": ["TV"], "zone": "khong-co"})
        seen["api-unknown"] = (other.status_code, other.json["error"]["code"],
                               other.json["error"]["message"])

    def form(d):
        page = d.form("/admin/screens", name="TV", zone="khong-co", orientation="landscape")
        seen["form"] = (page.status_code, page.text)

    def cli(d):
        result = d.cli("screens", "add", "TV", "--zone", "khong-co")
        seen["cli"] = (result.exit_code, result.output)

    results = parity({"api": api, "form": form, "cli": cli}, tables=["screens", "zones"])
    results.assert_same()
    assert results["api"]["audit"] == []
    status, code, message = seen["api-unknown"]
    assert (status, code) == (422, "unknown_zone")
    assert "Không có khu vực khong-co" in message
    assert seen["api"][:2] == (422, "validation_failed")  # not even a slug's shape
    assert seen["form"][0] == 422 and "Không có khu vực khong-co" in seen["form"][1]
    assert seen["cli"][0] != 0 and "Không có khu vực khong-co" in seen["cli"][1]
