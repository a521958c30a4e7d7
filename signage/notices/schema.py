"""The shape of a notice: one record model per kind, validated by signage.validation.

A notice is a procedure (thủ tục hành chính, the national portal's record) or a
law-outreach message (tuyên truyền pháp luật). The API, the /admin form, the live
preview and the content files all validate a record with these models, so a problem
reads the same everywhere: the field's `title` is its label ("Thành phần hồ sơ › mục 1
› Tên giấy tờ: không được để trống."), reasons are msgids (signage.validation), and
each door shows them in its visitor's language.

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

from pydantic import BeforeValidator, Field, field_validator, model_validator

from signage.errors import N_, Invalid, Msg, invalid
from signage.validation import Model, fail, parse

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


# Free text (may hold line breaks) and single-line text; lengths are set per field.
Text = Annotated[str, BeforeValidator(_normalise_text)]
Line = Annotated[str, BeforeValidator(_normalise_line)]
Step = Annotated[Text, Field(min_length=1, max_length=4000)]

CHANNELS = ("truc_tiep", "truc_tuyen", "buu_chinh")
CHANNEL_NAMES = {"truc_tiep": N_("trực tiếp"), "truc_tuyen": N_("trực tuyến"),
                 "buu_chinh": N_("dịch vụ bưu chính")}


class Channel(Model):
    """Cách thức thực hiện: one channel with its own deadline and fee."""

    channel: Literal["truc_tiep", "truc_tuyen", "buu_chinh"] = Field(
        title=N_("Kênh"),
        description=N_("phải là truc_tiep (trực tiếp), truc_tuyen (trực tuyến) hoặc "
                       "buu_chinh (dịch vụ bưu chính)."))
    deadline: Text = Field(title=N_("Thời hạn giải quyết"), min_length=1, max_length=4000)
    fee: Text = Field(title=N_("Phí, lệ phí"), min_length=1, max_length=4000)
    note: Text = Field("", title=N_("Ghi chú"), max_length=4000)


class DossierItem(Model):
    """Thành phần hồ sơ: one paper to bring."""

    name: Line = Field(title=N_("Tên giấy tờ"), min_length=1, max_length=500)
    form: Line = Field("", title=N_("Mẫu đơn, tờ khai"), max_length=300)
    quantity: int = Field(1, title=N_("Số lượng"), ge=1, le=50)
    # "copy" would shadow BaseModel.copy: the attribute is named for what it is.
    copy_kind: Literal["original", "copy", "either"] = Field(
        "original", alias="copy", title=N_("Bản chính/bản sao"),
        description=N_("phải là original (bản chính), copy (bản sao) hoặc either (bản chính "
                       "hoặc bản sao)."))
    required: bool = Field(True, title=N_("Bắt buộc"))
    note: Text = Field("", title=N_("Ghi chú"), max_length=4000)


class LegalBasis(Model):
    """Căn cứ pháp lý: số ký hiệu, trích yếu, ngày ban hành, cơ quan ban hành."""

    number: Line = Field(title=N_("Số ký hiệu"), min_length=1, max_length=80)
    summary: Line = Field(title=N_("Trích yếu"), min_length=1, max_length=500)
    # Not strict: JSON and YAML files write the date as text.
    issued: date | None = Field(None, title=N_("Ngày ban hành"), strict=False)
    issuer: Line = Field("", title=N_("Cơ quan ban hành"), max_length=300)


def _slug_field() -> Any:
    """A law message's or a results slide's key (its file name in content/)."""
    return Field(
        "", title=N_("Mã định danh (slug)"), max_length=120,
        pattern=r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$",
        description=N_("chỉ gồm chữ thường không dấu, số và dấu gạch ngang (ví dụ: "
                       "dang-ky-khai-sinh); để trống: tạo từ tên."))


class Procedure(Model):
    """Thủ tục hành chính with the national public-service portal's fields."""

    kind: Literal["procedure"] = Field("procedure", title=N_("Loại thông báo"))
    # Starts with a letter or digit: the code names the exported file.
    code: Line = Field(
        title=N_("Mã thủ tục"), min_length=1, max_length=64,
        pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-_]*$",
        description=N_("chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới và bắt đầu bằng chữ "
                       "hoặc số (ví dụ: 1.001193)."))
    # What a slide rests on (the posting rules, NĐ 63/2010 Điều 17, NĐ 118/2025 Điều 8, 16):
    # the slide is the ward's summary of the procedure as announced by this decision and
    # as the national portal's record read on `portal_date` (shown small on its last page).
    decision: Text = Field("", title=N_("Quyết định công bố"), max_length=4000)
    portal_date: date | None = Field(None, title=N_("Ngày bản ghi trên Cổng Dịch vụ công quốc gia"),
                                     strict=False)
    title: Line = Field(title=N_("Tên"), min_length=1, max_length=300)
    field: Line = Field(title=N_("Lĩnh vực"), min_length=1, max_length=120)
    level: Line = Field("Cấp xã", title=N_("Cấp thực hiện"), max_length=300)
    subjects: Text = Field("", title=N_("Đối tượng thực hiện"), max_length=4000)
    agency: Text = Field("", title=N_("Cơ quan thực hiện"), max_length=4000)
    summary: Line = Field("", title=N_("Tóm tắt"), max_length=300)
    steps: list[Step] = Field(default_factory=list, title=N_("Trình tự thực hiện"),
                              max_length=30)
    # A notice that does not say how long and how much, or what to bring, fails the
    # citizen reading it: at least one channel and one dossier item.
    channels: list[Channel] = Field(title=N_("Cách thức thực hiện"), min_length=1, max_length=3)
    documents: list[DossierItem] = Field(title=N_("Thành phần hồ sơ"), min_length=1,
                                         max_length=60)
    conditions: Text = Field("", title=N_("Yêu cầu, điều kiện"), max_length=4000)
    result: Text = Field("", title=N_("Kết quả thực hiện"), max_length=4000)
    legal_bases: list[LegalBasis] = Field(default_factory=list, title=N_("Căn cứ pháp lý"),
                                          max_length=30)
    online_url: Line = Field("", title=N_("Đường dẫn dịch vụ công trực tuyến"), max_length=500)

    @field_validator("channels")
    @classmethod
    def _one_entry_per_channel(cls, channels: list[Channel]) -> list[Channel]:
        seen: set[str] = set()
        for channel in channels:
            if channel.channel in seen:
                raise fail(N_("kênh %(name)s có hai lần; mỗi kênh chỉ ghi một lần."),
                           name=Msg(CHANNEL_NAMES[channel.channel]))
            seen.add(channel.channel)
        return channels

    @field_validator("online_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
            raise fail(N_("phải là địa chỉ web bắt đầu bằng http:// hoặc https://."))
        # The portal's old pages (/p/home/…?ma_thu_tuc=…) are gone: a QR code to one leads
        # a citizen's phone nowhere.
        if _OLD_PORTAL.match(value):
            raise fail(N_("là đường dẫn dạng cũ của Cổng Dịch vụ công quốc gia; hãy dán đường dẫn "
                          "trang thủ tục hiện nay, dạng https://dichvucong.gov.vn/thu-tuc-hanh-chinh/…"))
        return value


class LawMessage(Model):
    """Tuyên truyền pháp luật: a short Markdown message, optionally in the ticker too."""

    kind: Literal["law"] = Field("law", title=N_("Loại thông báo"))
    slug: str = _slug_field()
    title: Line = Field(title=N_("Tên"), min_length=1, max_length=200)
    body: Text = Field(title=N_("Nội dung"), min_length=1, max_length=8000)
    legal_ref: Line = Field("", title=N_("Căn cứ pháp luật"), max_length=300)
    image: Line = Field("", title=N_("Hình ảnh"), max_length=300)
    ticker: Line = Field("", title=N_("Dòng chữ chạy"), max_length=200)

    @field_validator("image")
    @classmethod
    def _image_on_this_server(cls, value: str) -> str:
        # Nothing on a screen loads from outside hosts (closed ward networks): an image
        # is a path on this server, e.g. /static/content/poster.png.
        if value and (not _LOCAL_IMAGE.match(value) or ".." in value.split("/")):
            raise fail(N_("phải là đường dẫn ảnh trên máy chủ này, bắt đầu bằng / và kết thúc "
                          "bằng .png, .jpg, .jpeg, .webp, .gif hoặc .svg (không lấy ảnh từ "
                          "trang web khác)."))
        return value

    _slug_from_title = model_validator(mode="after")(lambda self: _slugged(self))


RESULTS_TITLE = "Kết quả đánh giá sự hài lòng"


class ResultsSlide(Model):
    """Kết quả đánh giá sự hài lòng: an automatic slide of last month's ratings (NĐ
    118/2025 Điều 31–34: results are posted at the office). The editor writes only its
    title and a line under the chart; the figures come from the ratings, per service and
    overall, for the office's previous calendar month, and refresh by themselves
    (signage.evaluation.results)."""

    kind: Literal["results"] = Field("results", title=N_("Loại thông báo"))
    slug: str = _slug_field()
    title: Line = Field(RESULTS_TITLE, title=N_("Tên"), min_length=1, max_length=120)
    note: Line = Field("", title=N_("Ghi chú dưới biểu đồ"), max_length=200)
    # Five rows fit every layout (landscape with the queue panel and a ticker, portrait);
    # six all but landscape with a ticker (docs/slides.md).
    services: int = Field(5, title=N_("Số dịch vụ tối đa trên biểu đồ"), ge=2, le=6)

    _slug_from_title = model_validator(mode="after")(lambda self: _slugged(self))


def _slugged(record: Any) -> Any:
    if not record.slug:
        record.slug = slugify(record.title)
    return record


_OLD_PORTAL = re.compile(r"^https?://(?:www\.)?dichvucong\.gov\.vn/p/", re.IGNORECASE)
_LOCAL_IMAGE = re.compile(r"^/(?!/)[A-Za-z0-9._~/-]+\.(?:png|jpe?g|webp|gif|svg)$", re.IGNORECASE)

Record = Procedure | LawMessage | ResultsSlide
MODELS: dict[str, type[Procedure] | type[LawMessage] | type[ResultsSlide]] = {
    "procedure": Procedure, "law": LawMessage, "results": ResultsSlide}
KINDS = tuple(MODELS)
# The fields of the stored record, per kind (an input model may carry more: see
# signage.usecases.notices).
RECORD_FIELDS = {kind: tuple(model.model_fields) for kind, model in MODELS.items()}
# Keys a notice's JSON has besides its record (GET returns them; PUT and files may
# bring them back): never part of the record.
READ_ONLY = ("id", "status", "version", "updated_at", "created_at", "slide", "pending")

KIND_REFUSED = N_("phải là \"procedure\" (thủ tục), \"law\" (tuyên truyền pháp luật) hoặc "
                  "\"results\" (kết quả đánh giá sự hài lòng).")
NOT_AN_OBJECT = N_("Thông báo phải là một đối tượng JSON.")


def model_for(data: Any, kind: str | None = None,
              models: dict[str, Any] = MODELS) -> Any:
    """The record model of `data`'s kind (`kind` when data names none); Invalid if neither
    is one of ours."""
    if not isinstance(data, dict):
        raise Invalid(NOT_AN_OBJECT)
    named = data.get("kind", kind)
    if named not in models:
        raise invalid("kind", KIND_REFUSED, label=N_("Loại thông báo"))
    return models[named]


def parse_notice(data: Any) -> Record:
    """Validate a record (a dict from JSON or YAML; read-only keys of the API's notice
    are left out); raises Invalid with the problems by field."""
    model = model_for(data)
    return parse(model, {k: v for k, v in data.items() if k not in READ_ONLY})


def slugify(text: str) -> str:
    """ASCII slug of a Vietnamese title ("Đăng ký khai sinh" → "dang-ky-khai-sinh")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:120].strip("-") or "thong-bao"


def record_json(record: Record) -> dict[str, Any]:
    """The stored (and exported) form of a record: JSON types, field names as in the API
    (only the record's own fields, whatever model carried them)."""
    return record.model_dump(mode="json", by_alias=True, include=set(RECORD_FIELDS[record.kind]))


def _labels() -> dict[str, str]:
    """Each field name's label (msgid): the records' own fields first, then their groups'."""
    labels: dict[str, str] = {}
    for model in (Procedure, LawMessage, ResultsSlide, Channel, DossierItem, LegalBasis):
        for name, info in model.model_fields.items():
            labels.setdefault(info.alias or name, info.title or name)
    return labels


# Field name → label (a Vietnamese msgid), for the diff and the form's own checks.
LABELS = _labels()


def json_schema() -> dict[str, Any]:
    """The records' JSON schema (for the legacy hand-written OpenAPI document)."""
    from pydantic import TypeAdapter

    adapter: TypeAdapter[Record] = TypeAdapter(
        Annotated[Procedure | LawMessage | ResultsSlide, Field(discriminator="kind")])
    return adapter.json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
