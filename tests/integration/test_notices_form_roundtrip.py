"""Every shipped notice, loaded into its /admin form and saved unchanged as the page saves
it, is stored exactly as it was: every field, both kinds, by an approver (live at once)
and by an editor (a draft with the same record)."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from signage.store.models import Notice
from tests.formpage import collect


def records(lobby) -> dict[int, tuple[str, dict]]:
    with lobby.store.read() as session:
        return {n.id: (n.status, dict(n.record))
                for n in session.scalars(select(Notice).order_by(Notice.id))}


def save_unchanged(client, notice_id: int, submit: bool = False):
    """Open the notice's form, collect it as the page's script does, save it as the page does."""
    page = client.get(f"/admin/notices/{notice_id}")
    assert page.status_code == 200
    record, data = collect(page.text)
    assert data["id"] == notice_id
    response = client.put(f"{data['api']}/{notice_id}{'?submit=true' if submit else ''}",
                          json={**record, "version": data["version"], "pending": data["pending"]},
                          headers={"X-CSRFToken": client.csrf})
    assert response.status_code == 200, (notice_id, response.json)
    return response.json


# What the shipped content leaves at its default somewhere (every quantity is 1, no law
# message has a picture): one more notice of each kind holds those, so a form that dropped
# one of them would be caught too.
EXTRA = [
    {"kind": "procedure", "code": "9.999001", "title": "Thủ tục thử mọi trường",
     "field": "Thử nghiệm", "level": "Cấp xã", "decision": "Quyết định số 1/QĐ-UBND",
     "portal_date": "2026-11-26", "summary": "Một dòng.", "subjects": "Công dân",
     "agency": "UBND", "steps": ["Bước một.", "Bước hai."], "conditions": "Điều kiện.",
     "result": "Kết quả.", "online_url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x",
     "channels": [{"channel": "truc_tiep", "deadline": "1 ngày", "fee": "Miễn", "note": "Ghi chú"}],
     "documents": [{"name": "Tờ khai", "form": "Mẫu 01", "quantity": 3, "copy": "copy",
                    "required": False, "note": "Khi cần."}],
     "legal_bases": [{"number": "1/2026/QH16", "summary": "Luật thử", "issued": "2026-01-02",
                      "issuer": "Quốc hội"}]},
    {"kind": "law", "slug": "tin-thu-moi-truong", "title": "Tin thử mọi trường",
     "body": "Nội dung **đậm**.\n\n- một\n- hai", "legal_ref": "Điều 1",
     "image": "", "ticker": "Dòng chạy thử"},  # image: a picture uploaded by the test
    {"kind": "results", "slug": "ket-qua-thu", "title": "Kết quả thử", "note": "Ghi chú thử",
     "services": 3},
]


def _defaults(model) -> dict[str, object]:
    return {(f.alias or name): (f.default_factory() if f.default_factory else f.default)
            for name, f in model.model_fields.items()}


def test_every_shipped_notice_saved_unchanged_from_its_form_is_stored_unchanged(staff, lobby,
                                                                                 approver_api):
    # Given every shipped notice, procedures and law messages, with every kind of dossier
    # item ("bản chính", "bản sao", "bản chính hoặc bản sao", optional ones), and one more of
    # each kind with what the shipped ones never set
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 20, 30)).save(picture, "PNG")
    uploaded = approver_api.post("/api/v1/images", data=picture.getvalue(),
                                 headers={"Content-Type": "image/png"})
    assert uploaded.status_code == 201, uploaded.json
    for extra in EXTRA:
        if extra["kind"] == "law":
            extra = {**extra, "image": uploaded.json["url"]}
        created = approver_api.post("/api/v1/notices", json=extra)
        assert created.status_code == 201, created.json
    before = records(lobby)
    kinds = {record["kind"] for _, record in before.values()}
    copies = {d["copy"] for _, r in before.values() for d in r.get("documents", [])}
    assert kinds == {"procedure", "law", "results"} and copies == {"original", "copy", "either"}
    assert len(before) >= 25
    # ... so that every field of both kinds and of their groups holds a value other than
    # its default in at least one of them.
    from signage.notices.schema import (
        Channel,
        DossierItem,
        LawMessage,
        LegalBasis,
        Procedure,
        ResultsSlide,
    )
    unset = []
    for model, items in (
            (Procedure, [r for _, r in before.values() if r["kind"] == "procedure"]),
            (LawMessage, [r for _, r in before.values() if r["kind"] == "law"]),
            (ResultsSlide, [r for _, r in before.values() if r["kind"] == "results"]),
            (Channel, [c for _, r in before.values() for c in r.get("channels", [])]),
            (DossierItem, [d for _, r in before.values() for d in r.get("documents", [])]),
            (LegalBasis, [b for _, r in before.values() for b in r.get("legal_bases", [])])):
        for key, default in _defaults(model).items():
            if key != "kind" and all(item.get(key) in (default, "", None) for item in items):
                unset.append(f"{model.__name__}.{key}")
    assert unset == []

    # When an approver opens each in the form and saves it without touching anything
    approver = staff("approver")
    for notice_id in before:
        saved = save_unchanged(approver, notice_id)
        assert saved["pending"] is None   # an approver's save is live at once

    # Then every record is stored exactly as it was, field for field
    after = records(lobby)
    for notice_id, (_status, record) in before.items():
        assert after[notice_id] == ("approved", record), notice_id


def test_an_editors_unchanged_save_is_a_draft_with_the_same_record(staff, lobby):
    # Given one shipped notice of each kind
    before = records(lobby)
    picked = {}
    for notice_id, (_, record) in before.items():
        picked.setdefault(record["kind"], notice_id)
    editor = staff("editor")
    for notice_id in picked.values():
        # When an editor saves it from the form without a change, and again from the
        # form that now shows the draft
        first = save_unchanged(editor, notice_id)
        second = save_unchanged(editor, notice_id, submit=True)
        # Then the draft, and the one in review, hold the live record unchanged
        record = before[notice_id][1]
        assert first["pending"]["record"] == record and first["pending"]["status"] == "draft"
        assert second["pending"]["record"] == record and second["pending"]["status"] == "review"
        assert records(lobby)[notice_id] == before[notice_id]
