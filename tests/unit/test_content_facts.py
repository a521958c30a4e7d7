"""The shipped content says what the law says as of its last review (docs/content-sources.md,
"Rà soát 12/2026"): checks that keep a later edit from quietly undoing it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[2] / "content"
PROCEDURES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
              for p in sorted((CONTENT / "procedures").glob("*.yaml"))}
HO_TICH = {name: r for name, r in PROCEDURES.items() if r["field"] == "Hộ tịch"}


def test_there_are_twelve_ho_tich_procedures():
    assert len(HO_TICH) == 12


@pytest.mark.parametrize("name", sorted(HO_TICH))
def test_filing_online_with_a_level_2_identity_is_free_until_the_end_of_february_2027(name):
    record = HO_TICH[name]
    online = next(c for c in record["channels"] if c["channel"] == "truc_tuyen")
    assert "15/8/2026" in online["fee"] and "28/02/2027" in online["fee"]
    assert "định danh điện tử mức độ 2" in online["fee"] and "66.22/2026/NQ-CP" in online["fee"]
    numbers = {b["number"] for b in record["legal_bases"]}
    assert {"66.22/2026/NQ-CP", "117/2026/TT-BTC"} <= numbers


@pytest.mark.parametrize("name", sorted(PROCEDURES))
def test_no_fee_leaves_the_citizen_without_a_place_to_find_the_figure(name):
    for channel in PROCEDURES[name]["channels"]:
        assert "do Hội đồng nhân dân cấp tỉnh quy định" not in channel["fee"], channel["channel"]


@pytest.mark.parametrize("name", sorted(PROCEDURES))
def test_every_portal_link_is_of_the_current_form(name):
    url = PROCEDURES[name].get("online_url")
    assert url is None or url.startswith("https://dichvucong.gov.vn/thu-tuc-hanh-chinh/")
    assert "ma_thu_tuc" not in (url or "")


@pytest.mark.parametrize("name", sorted(HO_TICH))
def test_each_ho_tich_summary_names_its_announcing_decision_and_portal_record(name):
    record = HO_TICH[name]
    assert record["decision"].startswith("Quyết định số 163/QĐ-BTP")
    assert str(record["portal_date"]) == "2026-07-18"


def test_the_portal_links_found_in_the_december_review_are_there():
    # docs/content-sources.md, "Đối chiếu lại 02/12/2026": 2.001035 has its current page.
    assert PROCEDURES["chung-thuc-giao-dich-dong-san-dat-nha-o"]["online_url"] == \
        "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-95fa-70ca-93fd-4cab11b87897"
