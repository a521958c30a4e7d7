"""The shape of a notice, validated at the edge (API, content files) with Vietnamese errors.

A notice is a procedure (thủ tục hành chính, the national portal's record) or a
law-outreach message (tuyên truyền pháp luật). The JSON the API returns is the same
shape the API and the content files take, plus read-only `id`, `status`, `version`,
`updated_at`.

Text is normalised on the way in, so what is stored is what every later reader
(screens, exports, the round-trip test) sees: Unicode NFC (Vietnamese typed on some
keyboards arrives decomposed, and a TV font may draw a loose tone mark for it), no
control or bidi-override characters, single-line fields on one line.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

# C0/C1 controls except tab and newline, and the bidi overrides that can make text on a
# screen read differently from what the editor typed.
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def _normalise_text(value: Any) -> Any:
    """Multi-line text: NFC, LF line ends, no control characters, no trailing spaces."""
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = _UNWANTED.sub("", value.replace("\t", " "))
    value = "\n".join(line.rstrip() for line in value.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", value)


def _normalise_line(value: Any) -> Any:
    """Single-line text: as above, and every run of whitespace becomes one space."""
    value = _normalise_text(value)
    return " ".join(value.split()) if isinstance(value, str) else value


def _fail(message: str) -> PydanticCustomError:
    # The message is already Vietnamese; `_vietnamese` passes it through.
    return PydanticCustomError("signage", "{message}", {"message": message})


# Free text (may hold line breaks) and single-line text; lengths are set per field.
Text = Annotated[str, BeforeValidator(_normalise_text)]
Line = Annotated[str, BeforeValidator(_normalise_line)]
Step = Annotated[Text, Field(min_length=1, max_length=4000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


CHANNELS = ("truc_tiep", "truc_tuyen", "buu_chinh")


class Channel(_Model):
    """Cách thức thực hiện: one channel with its own deadline and fee."""

    channel: Literal["truc_tiep", "truc_tuyen", "buu_chinh"]
    deadline: Text = Field(min_length=1, max_length=4000)
    fee: Text = Field(min_length=1, max_length=4000)
    note: Text = Field(default="", max_length=4000)


class DossierItem(_Model):
    """Thành phần hồ sơ: one paper to bring."""

    name: Line = Field(min_length=1, max_length=500)
    form: Line = Field(default="", max_length=300)
    quantity: int = Field(default=1, ge=1, le=50)
    # "copy" would shadow BaseModel.copy: the attribute is named for what it is.
    copy_kind: Literal["original", "copy", "either"] = Field(default="original", alias="copy")
    required: bool = True
    note: Text = Field(default="", max_length=4000)


class LegalBasis(_Model):
    """Căn cứ pháp lý: số ký hiệu, trích yếu, ngày ban hành, cơ quan ban hành."""

    number: Line = Field(min_length=1, max_length=80)
    summary: Line = Field(min_length=1, max_length=500)
    issued: date | None = None
    issuer: Line = Field(default="", max_length=300)


class Procedure(_Model):
    """Thủ tục hành chính with the national public-service portal's fields."""

    kind: Literal["procedure"] = "procedure"
    # Starts with a letter or digit: the code names the exported file.
    code: Line = Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-_]*$")
    decision: Text = Field(default="", max_length=4000)
    title: Line = Field(min_length=1, max_length=300)
    field: Line = Field(min_length=1, max_length=120)
    level: Line = Field(default="Cấp xã", max_length=300)
    subjects: Text = Field(default="", max_length=4000)
    agency: Text = Field(default="", max_length=4000)
    summary: Line = Field(default="", max_length=300)
    steps: list[Step] = Field(default_factory=list, max_length=30)
    # A notice that does not say how long and how much, or what to bring, fails the
    # citizen reading it: at least one channel and one dossier item.
    channels: list[Channel] = Field(min_length=1, max_length=3)
    documents: list[DossierItem] = Field(min_length=1, max_length=60)
    conditions: Text = Field(default="", max_length=4000)
    result: Text = Field(default="", max_length=4000)
    legal_bases: list[LegalBasis] = Field(default_factory=list, max_length=30)
    online_url: Line = Field(default="", max_length=500)

    @field_validator("channels")
    @classmethod
    def _one_entry_per_channel(cls, channels: list[Channel]) -> list[Channel]:
        seen: set[str] = set()
        for channel in channels:
            if channel.channel in seen:
                raise _fail(f"kênh {CHANNEL_NAMES[channel.channel]} có hai lần; "
                            "mỗi kênh chỉ ghi một lần.")
            seen.add(channel.channel)
        return channels

    @field_validator("online_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
            raise _fail("phải là địa chỉ web bắt đầu bằng http:// hoặc https://.")
        return value


class LawMessage(_Model):
    """Tuyên truyền pháp luật: a short Markdown message, optionally in the ticker too."""

    kind: Literal["law"] = "law"
    slug: Annotated[str, Field(max_length=120, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")] = ""
    title: Line = Field(min_length=1, max_length=200)
    body: Text = Field(min_length=1, max_length=8000)
    legal_ref: Line = Field(default="", max_length=300)
    image: Line = Field(default="", max_length=300)
    ticker: Line = Field(default="", max_length=200)

    @field_validator("image")
    @classmethod
    def _image_on_this_server(cls, value: str) -> str:
        # Nothing on a screen loads from outside hosts (closed ward networks): an image
        # is a path on this server, e.g. /static/content/poster.png.
        if value and (not _LOCAL_IMAGE.match(value) or ".." in value.split("/")):
            raise _fail("phải là đường dẫn ảnh trên máy chủ này, bắt đầu bằng / và kết thúc "
                        "bằng .png, .jpg, .jpeg, .webp, .gif hoặc .svg (không lấy ảnh từ "
                        "trang web khác).")
        return value


_LOCAL_IMAGE = re.compile(r"^/(?!/)[A-Za-z0-9._~/-]+\.(?:png|jpe?g|webp|gif|svg)$", re.IGNORECASE)

CHANNEL_NAMES = {"truc_tiep": "trực tiếp", "truc_tuyen": "trực tuyến",
                 "buu_chinh": "dịch vụ bưu chính"}

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

# Where a field's constraint is a pattern or a fixed set, say what is allowed.
_PATTERN_HINTS = {
    "code": "chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới và bắt đầu bằng chữ hoặc số "
            "(ví dụ: 1.001193).",
    "slug": "chỉ gồm chữ thường không dấu, số và dấu gạch ngang (ví dụ: dang-ky-khai-sinh).",
}
_CHOICE_HINTS = {
    "channel": "phải là truc_tiep (trực tiếp), truc_tuyen (trực tuyến) hoặc buu_chinh "
               "(dịch vụ bưu chính).",
    "copy": "phải là original (bản chính), copy (bản sao) hoặc either (bản chính hoặc bản sao).",
}


def _vietnamese(error: dict[str, Any], field: str) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    match kind:
        case "signage":
            return str(ctx.get("message"))
        case "missing":
            return "bắt buộc phải có."
        case "string_too_short":
            return "không được để trống." if ctx.get("min_length") == 1 else (
                f"phải có ít nhất {ctx.get('min_length')} ký tự.")
        case "string_too_long":
            return f"dài quá {ctx.get('max_length')} ký tự."
        # A length rule on validated text reports as the generic kind: it is still text.
        case "too_short" if isinstance(error.get("input"), str):
            return _vietnamese({**error, "type": "string_too_short"}, field)
        case "too_long" if isinstance(error.get("input"), str):
            return _vietnamese({**error, "type": "string_too_long"}, field)
        case "too_short":
            return f"phải có ít nhất {ctx.get('min_length')} mục."
        case "too_long":
            return f"nhiều quá {ctx.get('max_length')} mục."
        case "string_pattern_mismatch":
            return _PATTERN_HINTS.get(field, "có ký tự không hợp lệ.")
        case "literal_error":
            return _CHOICE_HINTS.get(field, f"phải là một trong: {ctx.get('expected')}.")
        case "union_tag_invalid" | "union_tag_not_found":
            return "phải là \"procedure\" (thủ tục) hoặc \"law\" (tuyên truyền pháp luật)."
        case "extra_forbidden":
            return "không phải là trường được phép."
        case "int_parsing" | "int_type" | "int_from_float":
            return "phải là số nguyên."
        case "greater_than_equal":
            return f"phải lớn hơn hoặc bằng {ctx.get('ge')}."
        case "less_than_equal":
            return f"phải nhỏ hơn hoặc bằng {ctx.get('le')}."
        case kind if kind.startswith("date_"):
            return "phải là ngày dạng YYYY-MM-DD (ví dụ: 2014-11-20)."
        case "bool_parsing" | "bool_type":
            return "phải là đúng/sai (true/false)."
        case "string_type":
            return "phải là chuỗi ký tự."
        case "list_type":
            return "phải là một danh sách."
        case "model_type" | "dict_type" | "model_attributes_type":
            return "phải là một đối tượng."
    return "không hợp lệ."


class NoticeInvalid(ValueError):
    """A notice that does not validate; `problems` are [{field, message}] in Vietnamese."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p['field']}: {p['message']}" for p in problems))


def explain(exc: ValidationError) -> list[dict[str, str]]:
    """Pydantic's errors as [{field: "documents.0.name", message: "Thành phần hồ sơ › …"}]."""
    problems = []
    for error in exc.errors():
        loc = [part for part in error["loc"] if part not in ("procedure", "law")]
        if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = ["kind"]
        path = ".".join(str(p) for p in loc) or "notice"
        names = [LABELS.get(str(p), str(p)) if isinstance(p, str) else f"mục {p + 1}" for p in loc]
        label = " › ".join(names) or "Thông báo"
        field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
        problems.append({"field": path, "message": f"{label}: {_vietnamese(error, field)}"})
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
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:120].strip("-") or "thong-bao"


def record_json(record: Procedure | LawMessage) -> dict[str, Any]:
    """The stored (and exported) form of a record: JSON types, field names as in the API."""
    return record.model_dump(mode="json", by_alias=True)


def json_schema() -> dict[str, Any]:
    return _adapter.json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
