"""The evaluation's doors: /api/v1 ratings, stats, feedback, officers, duty and tablets
(the public contract of issue 11), and the CLI's tablets, officers and exports."""

from __future__ import annotations

import csv
import io
import json

import pytest

from signage import create_app
from signage.cli import prepare
from tests.conftest import make_token

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def office(tmp_path):
    app = create_app({"data_dir": tmp_path / "instance", "testing": True,
                      "feedback_limit": "3/minute"})
    lobby = app.extensions["signage"]
    prepare(lobby, out=lambda *_: None)
    client = app.test_client()
    client.as_ = {role: {"Authorization": f"Bearer {make_token(lobby, role + '1', role)}"}
                  for role in ("admin", "operator", "editor", "approver")}
    client.lobby = lobby
    yield client
    lobby.store.dispose()


def served_ticket(client, counter_id: int = 1) -> dict:
    ticket = client.post("/api/v1/tickets", json={"service": "HOTICH"}).get_json()
    operator = client.as_["operator"]
    assert client.post(f"/api/v1/counters/{counter_id}/call-next", headers=operator).status_code == 200
    assert client.post(f"/api/v1/counters/{counter_id}/complete", headers=operator).status_code == 200
    return ticket


def tablet(client, counter: int = 1) -> dict:
    added = client.post("/api/v1/tablets", json={"name": f"Máy quầy {counter}",
                                                 "counter": counter},
                        headers=client.as_["admin"])
    assert added.status_code == 201
    return {"X-Tablet-Key": added.get_json()["key"]}


def test_a_completed_ticket_is_rated_once_from_the_tablet_and_read_by_staff(office):
    key = tablet(office)
    assert office.post("/api/v1/counters/1/duty", headers=office.as_["operator"]).get_json()[
        "officer"]["name"] == "operator1"
    ticket = served_ticket(office)
    body = {"ticket": ticket["id"], "score": 1, "reasons": ["thai-do"], "comment": "Chưa vui vẻ"}
    first = office.post("/api/v1/ratings", json=body, headers=key)
    assert first.status_code == 201, first.get_json()
    rated = first.get_json()
    assert (rated["ticket"], rated["counter"], rated["officer"], rated["score"]) == (
        ticket["id"], 1, "operator1", 1)
    again = office.post("/api/v1/ratings", json=body, headers=key)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_rated"
    waiting = office.post("/api/v1/tickets", json={"service": "HOTICH"}).get_json()
    unserved = office.post("/api/v1/ratings", json={"ticket": waiting["id"], "score": 3},
                           headers=key)
    assert unserved.status_code == 409 and unserved.get_json()["error"]["code"] == "not_served"
    anonymous = office.post("/api/v1/ratings", json={"ticket": waiting["id"], "score": 3})
    assert anonymous.status_code == 403
    bad = office.post("/api/v1/ratings", json={"ticket": ticket["id"], "score": 2,
                                               "reasons": ["vip"]}, headers=key)
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "reasons.0"

    # Staff read them, JSON and CSV with the documented columns
    listed = office.get("/api/v1/ratings", headers=office.as_["editor"]).get_json()
    assert [(i["ticket"], i["score"], i["reasons"]) for i in listed["items"]] == [
        (ticket["id"], 1, ["thai-do"])]
    exported = office.get("/api/v1/ratings?format=csv", headers=office.as_["editor"])
    assert exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["ticket_display"] == ticket["display"] and rows[0]["reasons"] == "thai-do"
    assert rows[0]["satisfied"] == "false" and rows[0]["officer"] == "operator1"
    assert office.get("/api/v1/ratings").status_code == 401


def test_stats_answer_json_and_csv_for_a_period_and_refuse_a_reversed_one(office):
    key = tablet(office)
    ticket = served_ticket(office)
    office.post("/api/v1/ratings", json={"ticket": ticket["id"], "score": 3}, headers=key)
    editor = office.as_["editor"]
    ratings = office.get("/api/v1/stats/ratings", headers=editor).get_json()
    assert ratings["totals"]["count"] == 1 and ratings["totals"]["satisfied_pct"] == 100.0
    queue = office.get("/api/v1/stats/queue", headers=editor).get_json()
    assert queue["totals"]["issued"] == 1 and queue["totals"]["served"] == 1
    by_counter = office.get("/api/v1/stats/ratings?format=csv&table=by_counter", headers=editor)
    assert by_counter.get_data(as_text=True).splitlines()[0].lstrip("\ufeff") == \
        "number,name,count,satisfied,satisfied_pct"
    unknown = office.get("/api/v1/stats/queue?format=csv&table=nope", headers=editor)
    assert unknown.status_code == 422 and unknown.get_json()["error"]["field"] == "table"
    reversed_ = office.get("/api/v1/stats/queue?since=2026-12-02&until=2026-12-01",
                           headers=editor)
    assert reversed_.status_code == 422 and reversed_.get_json()["error"]["field"] == "until"
    unreadable = office.get("/api/v1/stats/queue?since=hom-qua", headers=editor)
    assert unreadable.status_code == 400
    document = office.get("/api/v1/openapi.json").get_json()
    assert "text/csv" in document["paths"]["/stats/queue"]["get"]["responses"]["200"]["content"]
    assert "/ratings" in document["paths"] and "/feedback" in document["paths"]


def test_the_feedback_box_takes_anonymous_posts_per_device_and_staff_answer(office):
    sent = office.post("/api/v1/feedback", json={"text": "Ghế chờ không đủ buổi sáng.",
                                                 "contact": "0909 111 222", "channel": "qr"})
    assert sent.status_code == 201 and sent.get_json()["status"] == "new"
    for _ in range(2):
        assert office.post("/api/v1/feedback", json={"text": "Góp ý"}).status_code == 201
    limited = office.post("/api/v1/feedback", json={"text": "Góp ý nữa"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    # another device is not affected
    other = office.post("/api/v1/feedback", json={"text": "Góp ý"},
                        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 201
    # An editor reads without the contact; an approver with it, and answers
    as_editor = office.get("/api/v1/feedback", headers=office.as_["editor"]).get_json()
    assert as_editor["total"] == 4 and all(i["contact"] is None for i in as_editor["items"])
    item_id = sent.get_json()["id"]
    approver = office.as_["approver"]
    assert office.get(f"/api/v1/feedback/{item_id}", headers=approver).get_json()[
        "contact"] == "0909 111 222"
    assert office.patch(f"/api/v1/feedback/{item_id}", json={"status": "answered"},
                        headers=approver).status_code == 422
    assert office.patch(f"/api/v1/feedback/{item_id}", json={"status": "in_progress"},
                        headers=office.as_["editor"]).status_code == 403
    answered = office.patch(f"/api/v1/feedback/{item_id}",
                            json={"answer": "Đã bổ sung 20 ghế từ ngày 2/12."}, headers=approver)
    assert answered.get_json()["status"] == "answered"
    only_new = office.get("/api/v1/feedback?status=new", headers=approver).get_json()
    assert only_new["total"] == 3
    assert office.get("/api/v1/feedback").status_code == 401
    stats = office.get("/api/v1/stats/feedback", headers=approver).get_json()
    assert stats["states"] == {"new": 3, "in_progress": 0, "answered": 1}


def test_officers_have_public_portraits_and_go_on_duty_at_counters(office):
    admin = office.as_["admin"]
    made = office.post("/api/v1/officers", json={"name": "Lê Văn Tâm", "title": "Công chức "
                       "Văn phòng – Thống kê", "field": "Chứng thực", "user": "operator1"},
                       headers=admin)
    assert made.status_code == 201
    officer = made.get_json()
    photo = office.put(f"/api/v1/officers/{officer['id']}/photo", data=PNG,
                       headers={**admin, "Content-Type": "image/png"})
    assert photo.status_code == 200 and photo.get_json()["photo_url"].startswith(
        f"/officers/{officer['id']}/photo")
    image = office.get(f"/officers/{officer['id']}/photo")
    assert image.status_code == 200 and image.data == PNG and image.mimetype == "image/png"
    wrong = office.put(f"/api/v1/officers/{officer['id']}/photo", data=b"GIF89a",
                       headers={**admin, "Content-Type": "image/gif"})
    assert wrong.status_code == 422
    # The operator whose account it is goes on duty at counter 3; the board says so
    office.post("/api/v1/counters/3/duty", headers=office.as_["operator"])
    board = office.get("/api/v1/duty", headers=office.as_["editor"]).get_json()["items"]
    assert [(d["counter"], d["officer"]["name"]) for d in board if d["officer"]] == [
        (3, "Lê Văn Tâm")]
    assert office.get("/api/v1/counters/3").get_json()["officer"] == "Lê Văn Tâm"
    ended = office.delete("/api/v1/counters/3/duty", headers=office.as_["operator"])
    assert ended.get_json()["officer"] is None


def cli(app):
    """Run `signage …` on the app's data dir; asserts the exit code."""
    from click.testing import CliRunner

    from signage.cli import main

    env = {"SIGNAGE_DATA_DIR": str(app.extensions["signage"].settings.data_dir)}

    def run(*args: str, code: int = 0):
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return run


def test_tablets_officers_and_exports_through_the_cli(office):
    run = cli(office.application)
    added = run("tablets", "add", "Máy quầy 1", "--counter", "1")
    path = added.stdout.strip().splitlines()[-1]
    assert path.startswith("/rate/1?key=")
    key = {"X-Tablet-Key": path.split("key=")[1]}
    assert "Máy quầy 1" in run("tablets", "list").stdout
    assert run("officers", "add", "Phạm Thị Hoa", "--title", "Công chức Tư pháp").stdout.strip()
    assert "Phạm Thị Hoa" in run("officers", "list").stdout
    ticket = served_ticket(office)
    office.post("/api/v1/ratings", json={"ticket": ticket["id"], "score": 2}, headers=key)
    office.post("/api/v1/feedback", json={"text": "Cảm ơn cán bộ quầy 1."})
    as_csv = run("export", "ratings").stdout.lstrip("\ufeff").splitlines()
    assert as_csv[0].startswith("id,at,office_date,ticket,ticket_display,service,counter")
    assert len(as_csv) == 2
    as_json = json.loads(run("export", "feedback", "--format", "json").stdout)
    assert as_json["items"][0]["text"] == "Cảm ơn cán bộ quầy 1."
    refused = run("export", "ratings", "--since", "2026-12-02", "--until", "2026-12-01",
                  code=2)
    assert "Đến ngày" in refused.output
