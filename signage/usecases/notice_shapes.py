"""What the notice use cases take and give: the request and answer models.

The API validates nothing itself: the use cases (signage.usecases.notices) parse their
input with the models below, and the OpenAPI document is generated from the same
models (`/api/v1/openapi.json`). A notice's answer is exactly its record plus `id`,
`status`, `version`, `updated_at` and `pending`; PUT takes what GET returns (the
read-only fields are accepted and ignored).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, RootModel, field_validator

from signage.errors import N_
from signage.notices.schema import LawMessage, Line, Procedure, ResultsSlide
from signage.usecases.zones import ZoneSlug
from signage.validation import Model, Output

STATUSES = Literal["approved", "draft", "review", "rejected"]

# ---- what a client sends ------------------------------------------------------------------


class PendingSeen(Model):
    """The `pending` revision as the client read it (GET's `pending`): its number is what
    counts; the rest is accepted so a PUT can send back what GET returned."""

    number: int = Field(title=N_("Số phiên bản"))
    status: str | None = None
    author: str | None = None
    created_at: str | None = None
    submitted_at: str | None = None
    decided_by: str | None = None
    reason: str | None = None
    record: dict[str, Any] | None = None


class Saving(Model):
    """What comes with a record when it is saved. PUT takes what GET returns: the
    read-only fields of a notice are accepted and ignored."""

    zones: list[ZoneSlug] | None = Field(
        None, title=N_("Khu vực"),
        description="append the notice to these zones' playlists (where it is not yet)")
    version: int | None = Field(
        None, description="the `version` read: 409 version_conflict if the notice changed since")
    pending: PendingSeen | None = Field(
        None, description="the `pending` read (null: none): 409 version_conflict if another "
                          "change came since")
    id: int | None = Field(None, description="read-only, ignored")
    status: str | None = Field(None, description="read-only, ignored")
    updated_at: str | None = Field(None, description="read-only, ignored")


class ProcedureIn(Procedure, Saving):
    """A procedure to save."""


class LawMessageIn(LawMessage, Saving):
    """A law-outreach message to save."""


class ResultsSlideIn(ResultsSlide, Saving):
    """A results slide (Kết quả đánh giá sự hài lòng) to save."""


IN_MODELS = {"procedure": ProcedureIn, "law": LawMessageIn, "results": ResultsSlideIn}
KIND = Literal["procedure", "law", "results"]


class NoticeInput(RootModel[Annotated[ProcedureIn | LawMessageIn | ResultsSlideIn,
                                      Field(discriminator="kind")]]):
    """A notice to save: a record of any kind (PUT: `kind` may be left out)."""


class RevisionRef(Model):
    """Which revision a step is meant for (optional: a check that it is still the pending one)."""

    revision: int | None = Field(None, title=N_("Phiên bản"),
                                 description="the pending revision's number")


class Rejection(RevisionRef):
    reason: Line = Field("", title=N_("Lý do trả lại"), max_length=2000,
                         description="why it goes back (required)")


# Beyond any list or revision number here, and within what a database integer holds.
MAX_OFFSET = 2**31 - 1


class NoticeQuery(Model):
    """?kind=&q=&status=&field=&zone=&limit=&offset= on the notice list."""

    model_config = {**Model.model_config, "strict": False}
    kind: KIND | None = Field(None, title=N_("Loại"))
    q: str | None = Field(None, description="title, code, slug or lĩnh vực contains")
    status: STATUSES | None = Field(
        None, title=N_("Trạng thái"),
        description="approved: on the screens; review: a revision waits for approval (chờ "
                    "duyệt); draft / rejected: the newest revision is one")
    field: str | None = Field(None, description="lĩnh vực, exactly")
    zone: str | None = Field(None, description="on this zone's playlist (slug)")
    limit: int = Field(100, description="at most 500")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

    @field_validator("kind", "q", "status", "field", "zone", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("limit")
    @classmethod
    def _within(cls, value: int) -> int:
        return max(1, min(500, value))


# ---- what the API answers -------------------------------------------------------------------

RecordOut = Annotated[Procedure | LawMessage | ResultsSlide, Field(discriminator="kind")]


class PendingBrief(Output):
    """The newest revision when it is not on the screens: a draft, one in review, or one
    sent back (with `reason`)."""

    number: int
    status: Literal["draft", "review", "rejected"]
    author: str
    created_at: str | None
    submitted_at: str | None
    reason: str | None
    decided_by: str | None


class Pending(PendingBrief):
    record: RecordOut


class _Live(Model):
    id: int
    status: STATUSES = Field(description="approved: a version is on the screens (the record is "
                                         "that version); otherwise the state of the newest "
                                         "revision, and the record is that working copy")
    version: int = Field(description="counts changes to the record shown here")
    updated_at: str | None


class ProcedureNotice(Procedure, _Live):
    pending: Pending | None


class LawNotice(LawMessage, _Live):
    pending: Pending | None


class ResultsNotice(ResultsSlide, _Live):
    pending: Pending | None


class ProcedureNoticeItem(Procedure, _Live):
    pending: PendingBrief | None


class LawNoticeItem(LawMessage, _Live):
    pending: PendingBrief | None


class ResultsNoticeItem(ResultsSlide, _Live):
    pending: PendingBrief | None


class Notice(RootModel[Annotated[ProcedureNotice | LawNotice | ResultsNotice,
                                 Field(discriminator="kind")]]):
    """A notice: the live record (or, never approved, the newest working copy), its
    state, and `pending`, the change not yet on the screens (null: none)."""


class NoticeItem(RootModel[Annotated[ProcedureNoticeItem | LawNoticeItem | ResultsNoticeItem,
                                     Field(discriminator="kind")]]):
    """A notice in a list: `pending` without its record."""


class NoticeList(Output):
    items: list[NoticeItem]
    total: int
    limit: int
    offset: int


class RevisionBrief(Output):
    number: int = Field(description="1, 2, … per notice")
    status: Literal["draft", "review", "approved", "rejected", "superseded"]
    author: str
    created_at: str | None
    submitted_at: str | None
    decided_by: str | None
    decided_at: str | None
    reason: str | None = Field(description="why it was rejected")


class Revision(RevisionBrief):
    record: RecordOut


class RevisionList(Output):
    notice_id: int
    live: int | None = Field(description="the number of the revision on the screens")
    items: list[RevisionBrief] = Field(description="newest first")


class TextOp(Output):
    op: Literal["equal", "delete", "insert"]
    text: str


class LineOp(TextOp):
    """A line replaced by one line: `words` is the word diff of the pair."""

    words: list[TextOp]


class FieldChange(Output):
    field: str
    label: str = Field(description="the field's Vietnamese name")
    before: str
    after: str
    mode: Literal["words", "lines"]
    ops: list[LineOp | TextOp]


class NoticeDiff(Output):
    notice_id: int
    from_: int | None = Field(alias="from")
    to: int | None
    changes: list[FieldChange]


class DiffQuery(Model):
    model_config = {**Model.model_config, "strict": False}
    from_: int | None = Field(None, alias="from", ge=0, le=MAX_OFFSET,
                              description="default: the live revision when one is pending, "
                                          "else the one before `to`")
    to: int | None = Field(None, ge=0, le=MAX_OFFSET, description="default: the pending revision, else the "
                                                   "newest")


class Problem(Output):
    field: str = Field(examples=["documents.0.name"])
    message: str


class OfficeNames(Output):
    office_name: str
    ward_name: str


class Preview(Output):
    valid: bool
    problems: list[Problem]
    kind: KIND
    title: str
    html: str
    office: OfficeNames
