"""A playlist follows the notices' approval rule: an editor proposes, an approver decides,
and until then the screens keep the approved playlist (issue 10, item 10: an editor took a
live playlist of 30 slides to 0 at once)."""

from __future__ import annotations

import pytest

from signage.accounts.audit import AuditQuery, find_entries
from tests.conftest import make_token

ZONE = "/api/v1/zones/sanh-chinh/playlist"


@pytest.fixture
def people(app, lobby):
    client = app.test_client()
    return client, {role: {"Authorization": f"Bearer {make_token(lobby, role + '9', role)}"}
                    for role in ("editor", "approver")}


def actions(lobby) -> list[str]:
    with lobby.store.read() as session:
        return [e.action for e in reversed(find_entries(session, AuditQuery())[0])
                if e.action.startswith(("playlist.", "notice.schedule"))
                and e.actor != "system"]  # the first start's import


def test_an_editor_emptying_a_live_playlist_only_proposes_it(people, lobby):
    client, as_ = people
    live = client.get(ZONE, headers=as_["editor"]).json["slides"]
    assert len(live) >= 10
    answer = client.put(ZONE, json={"slides": []}, headers=as_["editor"])
    assert answer.status_code == 200
    # The screens keep every slide; the empty list waits for an approver
    assert [s["id"] for s in answer.json["slides"]] == [s["id"] for s in live]
    assert answer.json["proposal"]["status"] == "pending"
    assert answer.json["proposal"]["slides"] == []
    assert lobby.publisher.zone_view("sanh-chinh", lobby.clock.now())["playlist"]["slides"]
    assert actions(lobby) == ["playlist.propose"]


def test_an_approver_approves_the_proposal_and_it_is_the_playlist(people, lobby):
    client, as_ = people
    live = client.get(ZONE, headers=as_["editor"]).json["slides"]
    first_two = [{"notice_id": s["notice_id"], "duration": 9} for s in live[:2]]
    proposal = client.put(ZONE, json={"slides": first_two},
                          headers=as_["editor"]).json["proposal"]
    # An editor cannot approve their own
    assert client.post(ZONE + "/approve", json={}, headers=as_["editor"]).status_code == 403
    approved = client.post(ZONE + "/approve", json={"proposal": proposal["id"]},
                           headers=as_["approver"])
    assert approved.status_code == 200
    assert [(s["notice_id"], s["duration"]) for s in approved.json["slides"]] == \
        [(s["notice_id"], 9) for s in live[:2]]
    assert approved.json["proposal"] is None
    assert actions(lobby) == ["playlist.propose", "playlist.approve", "notice.schedule"]
    # Nothing is left to approve
    again = client.post(ZONE + "/approve", json={}, headers=as_["approver"])
    assert again.status_code == 409 and again.json["error"]["code"] == "not_pending"


def test_a_rejection_needs_a_reason_and_leaves_the_screens_alone(people, lobby):
    client, as_ = people
    live = client.get(ZONE, headers=as_["editor"]).json["slides"]
    client.put(ZONE, json={"slides": []}, headers=as_["editor"])
    no_reason = client.post(ZONE + "/reject", json={"reason": "  "}, headers=as_["approver"])
    assert no_reason.status_code == 422 and no_reason.json["error"]["field"] == "reason"
    rejected = client.post(ZONE + "/reject", json={"reason": "Không được để trống sảnh."},
                           headers=as_["approver"])
    assert rejected.status_code == 200
    assert [s["id"] for s in rejected.json["slides"]] == [s["id"] for s in live]
    assert rejected.json["proposal"]["status"] == "rejected"
    assert rejected.json["proposal"]["reason"] == "Không được để trống sảnh."
    assert actions(lobby) == ["playlist.propose", "playlist.reject"]


def test_a_newer_save_supersedes_the_pending_proposal(people, lobby):
    client, as_ = people
    live = client.get(ZONE, headers=as_["editor"]).json["slides"]
    older = client.put(ZONE, json={"slides": []}, headers=as_["editor"]).json["proposal"]
    newer = client.put(ZONE, json={"slides": [{"notice_id": live[0]["notice_id"]}]},
                       headers=as_["editor"]).json["proposal"]
    assert newer["id"] != older["id"]
    stale = client.post(ZONE + "/approve", json={"proposal": older["id"]},
                        headers=as_["approver"])
    assert stale.status_code == 409
    # And an approver's own save replaces any proposal
    own = client.put(ZONE, json={"slides": [{"notice_id": live[1]["notice_id"]}]},
                     headers=as_["approver"]).json
    assert own["proposal"] is None and [s["notice_id"] for s in own["slides"]] == \
        [live[1]["notice_id"]]


def test_a_put_of_what_get_returned_keeps_working_with_a_proposal_in_it(people):
    client, as_ = people
    client.put(ZONE, json={"slides": []}, headers=as_["editor"])
    got = client.get(ZONE, headers=as_["approver"]).json
    assert got["proposal"] is not None
    assert client.put(ZONE, json=got, headers=as_["approver"]).status_code == 200
