"""How a citizen rates: the scale, the words of each level, and the reasons asked for
when the citizen is not satisfied.

Two scales, an office setting: three levels (the default, what most one-stop-shops
ask: Rất hài lòng / Hài lòng / Không hài lòng) or five stars. A score is stored with
its scale, so changing the setting never changes what earlier ratings meant.

The reasons are the evaluation points of NĐ 118/2025/NĐ-CP Điều 33 khoản 1 as a
citizen would say them (time taken, how many trips, the posted information, the
officer's attitude, costs, answers to feedback, the online service), plus "other".
Their codes are stable: exports and the provincial system rely on them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from signage.errors import N_
from signage.store.settings import read_setting, write_setting

SCALES: dict[int, dict[int, str]] = {
    3: {3: N_("Rất hài lòng"), 2: N_("Hài lòng"), 1: N_("Không hài lòng")},
    5: {5: N_("Rất hài lòng"), 4: N_("Hài lòng"), 3: N_("Bình thường"),
        2: N_("Không hài lòng"), 1: N_("Rất không hài lòng")},
}

# Code → what the citizen reads (NĐ 118 Điều 33 khoản 1, point by point).
REASONS: dict[str, str] = {
    "thoi-gian": N_("Thời gian giải quyết lâu, trễ hẹn"),
    "so-lan-di-lai": N_("Phải đi lại, liên hệ nhiều lần"),
    "thong-tin-niem-yet": N_("Thông tin niêm yết, hướng dẫn chưa đúng, chưa đủ"),
    "thai-do": N_("Thái độ của cán bộ chưa tốt"),
    "chi-phi": N_("Chi phí, lệ phí chưa đúng quy định"),
    "tra-loi-phan-anh": N_("Phản ánh, kiến nghị chưa được trả lời"),
    "truc-tuyen": N_("Dịch vụ công trực tuyến khó sử dụng"),
    "khac": N_("Lý do khác"),
}

SETTINGS_KEY = "evaluation"
DEFAULTS: dict[str, Any] = {"scale": 3, "timeout_s": 30}
TIMEOUT_RANGE = (10, 300)


def satisfied(scale: int, score: int) -> bool:
    """Whether a score counts as satisfied: Hài lòng and above (4 and 5 stars)."""
    return score >= (2 if scale == 3 else 4)


def asks_reasons(scale: int, score: int) -> bool:
    """A citizen who is not satisfied is asked why (reasons and an optional comment)."""
    return not satisfied(scale, score)


def score_label(scale: int, score: int) -> str:
    return SCALES.get(scale, {}).get(score, str(score))


def rating_settings(session: Session) -> dict[str, Any]:
    """The office's rating settings: `scale` (3 or 5) and `timeout_s` (the tablet idles
    back after this many seconds without a touch)."""
    return read_setting(session, SETTINGS_KEY, DEFAULTS)


def store_rating_settings(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Store some of the settings (already validated); returns them all."""
    return write_setting(session, SETTINGS_KEY, DEFAULTS, values)


def scale_json(scale: int) -> list[dict[str, Any]]:
    """The levels of a scale, best first, as the tablet draws them."""
    return [{"score": score, "label": label, "satisfied": satisfied(scale, score)}
            for score, label in sorted(SCALES[scale].items(), reverse=True)]


def reasons_json() -> list[dict[str, str]]:
    return [{"code": code, "label": label} for code, label in REASONS.items()]
