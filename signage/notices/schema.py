"""The shape of a notice, validated at the edge (API, content files) with Vietnamese errors.

A notice is a procedure (thủ tục hành chính, the national portal's record) or a
law-outreach message (tuyên truyền pháp luật). The JSON the API returns is the same
shape the API and the content files take, plus read-only `id`, `status`, `version`,
`updated_at`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

Text = Annotated[str, Field(max_length=4000)]
Line = Annotated[str, Field(max_length=300)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class Channel(_Model):
    """Cách thức thực hiện: one channel with its own deadline and fee."""

    channel: Literal["truc_tiep", "truc_tuyen", "buu_chinh"]
    deadline: Text = Field(min_length=1)
    fee: Text = Field(min_length=1)
    note: Text = ""


class DossierItem(_Model):
    """Thành phần hồ sơ: one paper to bring."""

    name: Annotated[str, Field(min_length=1, max_length=500)]
    form: Line = ""
    quantity: int = Field(default=1, ge=1, le=50)
    # "copy" would shadow BaseModel.copy: the attribute is named for what it is.
    copy_kind: Literal["original", "copy", "either"] = Field(default="original", alias="copy")
    required: bool = True
    note: Text = ""


class LegalBasis(_Model):
    """Căn cứ pháp lý: số ký hiệu, trích yếu, ngày ban hành, cơ quan ban hành."""

    number: Annotated[str, Field(min_length=1, max_length=80)]
    summary: Annotated[str, Field(min_length=1, max_length=500)]
    issued: date | None = None
    issuer: Line = ""


class Procedure(_Model):
    kind: Literal["procedure"] = "procedure"
    code: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z.\-_]+$")]
    decision: Text = ""
    title: Annotated[str, Field(min_length=1, max_length=300)]
    field: Annotated[str, Field(min_length=1, max_length=120)]
    level: Line = "Cấp xã"
    subjects: Text = ""
    agency: Text = ""
    summary: Annotated[str, Field(max_length=300)] = ""
    steps: list[Text] = Field(default_factory=list, max_length=30)
    channels: list[Channel] = Field(default_factory=list, max_length=3)
    documents: list[DossierItem] = Field(default_factory=list, max_length=60)
    conditions: Text = ""
    result: Text = ""
    legal_bases: list[LegalBasis] = Field(default_factory=list, max_length=30)
    online_url: Annotated[str, Field(max_length=500)] = ""

    @field_validator("online_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
            raise ValueError("url")
        return value


class LawMessage(_Model):
    kind: Literal["law"] = "law"
    slug: Annotated[str, Field(max_length=120, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")] = ""
    title: Annotated[str, Field(min_length=1, max_length=200)]
    body: Annotated[str, Field(min_length=1, max_length=8000)]
    legal_ref: Line = ""
    image: Line = ""
    ticker: Annotated[str, Field(max_length=200)] = ""


NoticeRecord = Annotated[Procedure | LawMessage, Field(discriminator="kind")]
_adapter: TypeAdapter[Procedure | LawMessage] = TypeAdapter(NoticeRecord)

READ_ONLY = ("id", "status", "version", "updated_at", "created_at", "slide")

LABELS = {
    "kind": "Loại thông báo",
    "code": "Mã thủ tục",
    "decision": "Quyết định công bố",
    "title": "Tên",
    "field": "Lĩnh vực",
    "level": "Cấp thực hiện",
    "subjects": "Đối tượng thực hiện",
    "agency": "Cơ quan thực hiện",
    "summary": "Tóm tắt",
    "steps": "Trình tự thực hiện",
    "channels": "Cách thức thực hiện",
    "channel": "Kênh",
    "deadline": "Thời hạn giải quyết",
    "fee": "Phí, lệ phí",
    "documents": "Thành phần hồ sơ",
    "name": "Tên giấy tờ",
    "form": "Mẫu đơn, tờ khai",
    "quantity": "Số lượng",
    "copy": "Bản chính/bản sao",
    "required": "Bắt buộc",
    "conditions": "Yêu cầu, điều kiện",
    "result": "Kết quả thực hiện",
    "legal_bases": "Căn cứ pháp lý",
    "number": "Số ký hiệu",
    "issued": "Ngày ban hành",
    "issuer": "Cơ quan ban hành",
    "online_url": "Đường dẫn dịch vụ công trực tuyến",
    "slug": "Mã định danh (slug)",
    "body": "Nội dung",
    "legal_ref": "Căn cứ pháp luật",
    "image": "Hình ảnh",
    "ticker": "Dòng chữ chạy",
    "note": "Ghi chú",
}


def _vietnamese(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    match kind:
        case "missing":
            return "bắt buộc phải có."
        case "string_too_short":
            return "không được để trống." if ctx.get("min_length") == 1 else (
                f"phải có ít nhất {ctx.get('min_length')} ký tự.")
        case "string_too_long":
            return f"dài quá {ctx.get('max_length')} ký tự."
        case "too_long":
            return f"nhiều quá {ctx.get('max_length')} mục."
        case "string_pattern_mismatch":
            return "có ký tự không hợp lệ."
        case "literal_error":
            return f"phải là một trong: {ctx.get('expected')}."
        case "union_tag_invalid" | "union_tag_not_found":
            return "phải là \"procedure\" (thủ tục) hoặc \"law\" (tuyên truyền pháp luật)."
        case "extra_forbidden":
            return "không phải là trường được phép."
        case "int_parsing" | "int_type":
            return "phải là số nguyên."
        case "greater_than_equal":
            return f"phải lớn hơn hoặc bằng {ctx.get('ge')}."
        case "less_than_equal":
            return f"phải nhỏ hơn hoặc bằng {ctx.get('le')}."
        case "date_from_datetime_parsing" | "date_parsing" | "date_type":
            return "phải là ngày dạng YYYY-MM-DD."
        case "bool_parsing" | "bool_type":
            return "phải là đúng/sai (true/false)."
        case "string_type":
            return "phải là chuỗi ký tự."
        case "list_type":
            return "phải là một danh sách."
        case "model_type" | "dict_type" | "model_attributes_type":
            return "phải là một đối tượng."
        case "value_error" if "url" in str(ctx.get("error", "")):
            return "phải là địa chỉ web bắt đầu bằng http:// hoặc https://."
    return "không hợp lệ."


class NoticeInvalid(ValueError):
    """A notice that does not validate; `problems` are [{field, message}] in Vietnamese."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p['field']}: {p['message']}" for p in problems))


def explain(exc: ValidationError) -> list[dict[str, str]]:
    problems = []
    for error in exc.errors():
        loc = [part for part in error["loc"] if part not in ("procedure", "law")]
        path = ".".join(str(p) for p in loc) or "notice"
        names = [LABELS.get(str(p), str(p)) if isinstance(p, str) else f"mục {p + 1}" for p in loc]
        label = " › ".join(names) or "Thông báo"
        problems.append({"field": path, "message": f"{label}: {_vietnamese(error)}"})
    return problems


def parse_notice(data: Any) -> Procedure | LawMessage:
    """Validate a notice (a dict from JSON or YAML); raises NoticeInvalid."""
    if not isinstance(data, dict):
        raise NoticeInvalid([{"field": "notice", "message": "Thông báo phải là một đối tượng JSON."}])
    data = {k: v for k, v in data.items() if k not in READ_ONLY}
    try:
        record = _adapter.validate_python(data)
    except ValidationError as exc:
        raise NoticeInvalid(explain(exc)) from None
    if isinstance(record, LawMessage) and not record.slug:
        record = record.model_copy(update={"slug": slugify(record.title)})
    return record


def slugify(text: str) -> str:
    """ASCII slug of a Vietnamese title ("Đăng ký khai sinh" → "dang-ky-khai-sinh")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:120] or "thong-bao"


def record_json(record: Procedure | LawMessage) -> dict[str, Any]:
    return record.model_dump(mode="json", by_alias=True)


def json_schema() -> dict[str, Any]:
    return _adapter.json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
