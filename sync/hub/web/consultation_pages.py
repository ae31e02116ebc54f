"""The council's consultations in the officers' pages: the list, a draft's form, a
consultation's page with its documents and the Publish step, the groups' responses
side by side (with tags and notes, the share of each option, and the exports), and
"You said, we did".

Everything works without JavaScript: the draft's form has a fixed set of question
blocks and an "Add another question" button that shows it again with one more. An
officer sees a consultation when they may see every group it goes to (see
``sync.hub.consultations``); anything else is not found, as a consultation the hub
does not have. Every form is checked for its token (``checked_form``), every group
it names must be the officer's, and every change is audited. What they need beyond
``hub.css`` is in ``static/consultations.css``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection
from starlette.datastructures import FormData, UploadFile

from app.kinds.consultations import MAX_QUESTIONS
from sync.hub import consultation_words, consultations, officers, pages
from sync.hub.consultation_publishing import publish, publish_feedback, save_feedback
from sync.hub.consultation_responses import Report, parse_tags, report, set_note, share_groups
from sync.hub.consultations import Consultation, DraftProblem
from sync.hub.errors import HubRefusal, NotFoundOnHub
from sync.hub.routes import Hub, HubDep
from sync.hub.routes.published import HEADERS as PAPER_HEADERS
from sync.hub.web.session import NOT_FOUND, Officer, OfficerDep, PageRefusal, checked_form
from sync.hub.web.session import require_group as require_officer_group
from sync.hub.web.templating import public_url, render

router = APIRouter(include_in_schema=False)
CheckedForm = Annotated[FormData, Depends(checked_form)]
BLANK_QUESTIONS = 3  # blocks on a new draft's form; "Add another question" adds one
MAX_ID = 64
TYPES = tuple(consultation_words.TYPES.items())
NOTICES = {
    "created": "The draft is saved. Check it, then publish it to its groups.",
    "saved": "The draft is saved.",
    "attached": "The document is attached.",
    "removed": "The document is removed.",
    "published": "The consultation is published: each group has it pinned in Consultations.",
    "noted": "The tags and note are saved.",
    "feedback-saved": "The draft of the feedback is saved; no group has it yet.",
    "feedback-published": "The feedback is published to each group that responded.",
}
SAFE_INLINE = ("application/pdf", "image/png", "image/jpeg", "image/gif", "text/plain")


def _page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    return render(request, name, status, words=consultation_words, **context)


def _found(tx: Connection, officer: Officer, consultation_id: str) -> Consultation:
    if len(consultation_id) > MAX_ID:
        raise PageRefusal(404, NOT_FOUND)
    try:
        return consultations.get(tx, consultation_id, viewer=officer)
    except NotFoundOnHub:
        raise PageRefusal(404, NOT_FOUND) from None


def _to(consultation_id: str, rest: str = "", done: str = "") -> RedirectResponse:
    path = f"/council/consultations/{quote(consultation_id, safe='')}{rest}"
    return RedirectResponse(path + (f"?done={done}" if done else ""), status_code=303)


def _text(form: FormData, name: str, limit: int = 60_000) -> str:
    value = form.get(name, "")
    # Browsers send a textarea's lines ending CR LF; the hub keeps them as LF.
    return value[:limit].replace("\r\n", "\n") if isinstance(value, str) else ""


# --- the list ------------------------------------------------------------------------------


@router.get("/council/consultations")
def listed(request: Request, officer: OfficerDep, hub: HubDep) -> Response:
    with hub.begin() as tx:
        listed = consultations.list_consultations(tx, viewer=officer)
        share_groups(tx, [g for c in listed for g in c.group_ids])  # in one order, up front
        found = [report(tx, c.id) for c in listed]
    return _page(request, "consultations.html", reports=found)


# --- a draft's form ---------------------------------------------------------------------------


@dataclass
class DraftForm:
    """The form as typed: shown again as it was whenever something needs changing."""

    values: dict[str, str] = field(default_factory=lambda: {"publication": "full"})
    groups: list[str] = field(default_factory=list)
    blocks: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, c: Consultation | None) -> DraftForm:
        if c is None:
            return cls(blocks=[_blank() for _ in range(BLANK_QUESTIONS)])
        keys = ("title", "background", "contact", "opens", "closes", "publication")
        values = {k: str(getattr(c, k) or "") for k in keys}
        blocks = [
            {"type": q["type"], "text": q["text"], "options": "\n".join(q.get("options") or [])}
            for q in c.questions
        ]
        return cls(values, list(c.group_ids), [*blocks, _blank()])

    @classmethod
    def posted(cls, form: FormData) -> DraftForm:
        keys = ("title", "background", "contact", "opens", "closes", "publication")
        values = {k: _text(form, k) for k in keys}
        groups = [g for g in form.getlist("groups") if isinstance(g, str)]
        count = _text(form, "question_count", 3)
        n = min(int(count) if count.isdigit() else BLANK_QUESTIONS, MAX_QUESTIONS)
        blocks = [
            {part: _text(form, f"q{i}-{part}") for part in ("type", "text", "options")}
            for i in range(1, max(n, 1) + 1)
        ]
        return cls(values, groups, blocks)

    def questions(self) -> tuple[list[dict[str, Any]], list[int]]:
        """The questions of the blocks filled in, and each one's block number."""
        found: list[dict[str, Any]] = []
        numbers: list[int] = []
        for i, block in enumerate(self.blocks, 1):
            options = [o.strip() for o in block["options"].splitlines() if o.strip()]
            text = block["text"].strip()
            if not text and not options:
                continue  # a block left blank
            question: dict[str, Any] = {"type": block["type"] or "text", "text": text}
            if options or question["type"] in ("choice", "multi"):
                question["options"] = options
            found.append(question)
            numbers.append(i)
        return found, numbers


def _blank() -> dict[str, str]:
    return {"type": "text", "text": "", "options": ""}


def _form_page(
    request: Request,
    tx: Connection,
    officer: Officer,
    draft: DraftForm,
    c: Consultation | None,
    *,
    errors: dict[str, str] | None = None,
    notice: str = "",
) -> Response:
    groups = consultations.group_names(tx, can_see=officer.can_see)
    status = 400 if errors else 200
    return _page(
        request,
        "consultation_form.html",
        status,
        draft=draft,
        consultation=c,
        groups=groups,
        types=TYPES,
        errors=errors or {},
        notice=notice,
        max_questions=MAX_QUESTIONS,
    )


def _uploads(form: FormData) -> list[UploadFile]:
    return [f for f in form.getlist("documents") if isinstance(f, UploadFile) and f.filename]


def _save_draft(
    request: Request, hub: Hub, officer: Officer, form: FormData, c: Consultation | None
) -> Response:
    draft = DraftForm.posted(form)
    for group_id in draft.groups:
        require_officer_group(officer, group_id)
    files = _uploads(form)
    if form.get("action") == "add-question":
        if len(draft.blocks) < MAX_QUESTIONS:
            draft.blocks.append(_blank())
        notice = (
            (
                "Choose the documents again when you save: a browser does not keep"
                " files chosen before a page is shown again."
            )
            if files
            else ""
        )
        with hub.begin() as tx:
            return _form_page(request, tx, officer, draft, c, notice=notice)
    questions, numbers = draft.questions()
    v = draft.values
    fields: dict[str, Any] = {
        **{k: v[k] for k in ("title", "background", "contact", "closes", "publication")},
        "opens": v["opens"] or None,
        "questions": questions,
        "groups": draft.groups,
    }
    try:
        with hub.begin() as tx:
            if c is None:
                consultation_id = consultations.create_draft(
                    tx, hub_device=hub.identity.device_id, created_by=officer.id, **fields
                )
            else:
                consultation_id = c.id
                consultations.edit_draft(tx, c.id, **fields)
            for upload in files:
                consultations.add_document(
                    tx, consultation_id, filename=upload.filename or "", data=upload.file.read()
                )
            action = "consultation created" if c is None else "consultation edited"
            officers.audit(
                tx,
                officer=officer,
                action=action,
                target=consultation_id,
                detail=fields["title"][:200],
            )
    except DraftProblem as problem:
        errors = {_block_field(problem.field, numbers): str(problem)}
        with hub.begin() as tx:
            return _form_page(request, tx, officer, draft, c, errors=errors)
    return _to(consultation_id, done="created" if c is None else "saved")


def _block_field(name: str, numbers: list[int]) -> str:
    """A question's field named by its number among those filled in, as its block's."""
    if name.startswith("q") and "-" in name:
        number, part = name[1:].split("-", 1)
        if number.isdigit() and 1 <= int(number) <= len(numbers):
            return f"q{numbers[int(number) - 1]}-{part}"
    if name == "questions" and not numbers:
        return "q1-text"
    return name


@router.get("/council/consultations/new")
def new(request: Request, officer: OfficerDep, hub: HubDep) -> Response:
    with hub.begin() as tx:
        return _form_page(request, tx, officer, DraftForm.of(None), None)


@router.post("/council/consultations/new")
def create(request: Request, officer: OfficerDep, hub: HubDep, form: CheckedForm) -> Response:
    return _save_draft(request, hub, officer, form, None)


@router.get("/council/consultations/{consultation_id}/edit")
def edit(request: Request, consultation_id: str, officer: OfficerDep, hub: HubDep) -> Response:
    with hub.begin() as tx:
        c = _found(tx, officer, consultation_id)
        if c.published_ms is not None:
            return _to(c.id)
        return _form_page(request, tx, officer, DraftForm.of(c), c)


@router.post("/council/consultations/{consultation_id}/edit")
def save(
    request: Request, consultation_id: str, officer: OfficerDep, hub: HubDep, form: CheckedForm
) -> Response:
    with hub.begin() as tx:
        c = _found(tx, officer, consultation_id)
    return _save_draft(request, hub, officer, form, c)


# --- a consultation's page, its documents, publishing ----------------------------------------


def _consultation_page(
    request: Request,
    hub: Hub,
    officer: Officer,
    consultation_id: str,
    *,
    status: int = 200,
    confirm: bool = False,
    errors: dict[str, str] | None = None,
    notice: str = "",
) -> Response:
    with hub.begin() as tx:
        found = report(tx, _found(tx, officer, consultation_id).id)
    return _page(
        request,
        "consultation.html",
        status,
        report=found,
        c=found.consultation,
        confirm=confirm,
        errors=errors or {},
        notice=notice,
    )


@router.get("/council/consultations/{consultation_id}")
def consultation(
    request: Request, consultation_id: str, officer: OfficerDep, hub: HubDep, done: str = ""
) -> Response:
    return _consultation_page(request, hub, officer, consultation_id, notice=NOTICES.get(done, ""))


@router.post("/council/consultations/{consultation_id}/documents")
def attach(
    request: Request, consultation_id: str, officer: OfficerDep, hub: HubDep, form: CheckedForm
) -> Response:
    files = _uploads(form)
    try:
        with hub.begin() as tx:
            c = _found(tx, officer, consultation_id)
            if not files:
                raise DraftProblem("Choose a file to attach.", field="documents")
            for upload in files:
                doc = consultations.add_document(
                    tx, c.id, filename=upload.filename or "", data=upload.file.read()
                )
                officers.audit(
                    tx,
                    officer=officer,
                    action="consultation document attached",
                    target=c.id,
                    detail=doc.filename,
                )
    except HubRefusal as problem:
        errors = {"documents": str(problem)}
        return _consultation_page(request, hub, officer, consultation_id, status=400, errors=errors)
    return _to(c.id, done="attached")


@router.post("/council/consultations/{consultation_id}/documents/{document_id}/remove")
def detach(
    consultation_id: str, document_id: str, officer: OfficerDep, hub: HubDep, _form: CheckedForm
) -> Response:
    with hub.begin() as tx:
        c = _found(tx, officer, consultation_id)
        consultations.remove_document(tx, c.id, document_id)
        officers.audit(
            tx,
            officer=officer,
            action="consultation document removed",
            target=c.id,
            detail=document_id,
        )
    return _to(c.id, done="removed")


def _document(found: tuple[consultations.Document, bytes] | None) -> Response:
    if found is None:
        return HTMLResponse(
            pages.not_found("There is no such document here."), 404, headers=PAPER_HEADERS
        )
    doc, data = found
    inline = doc.media_type in SAFE_INLINE
    disposition = "inline" if inline else "attachment"
    headers = {
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(doc.filename, safe='')}",
        "X-Content-Type-Options": "nosniff",
    }
    if doc.media_type != "application/pdf":
        # Whatever it holds runs nothing on the hub's own address. (Browsers' PDF viewers
        # refuse to show a sandboxed document; they keep a PDF's scripts to themselves.)
        headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    media = doc.media_type + ("; charset=utf-8" if doc.media_type == "text/plain" else "")
    return Response(data, media_type=media, headers=headers)


@router.get("/council/consultations/{consultation_id}/documents/{document_id}")
def officer_document(
    consultation_id: str, document_id: str, officer: OfficerDep, hub: HubDep
) -> Response:
    with hub.begin() as tx:
        c = _found(tx, officer, consultation_id)
        return _document(consultations.document_data(tx, c.id, document_id, public=False))


@router.get("/consultations/{consultation_id}/documents/{document_id}")
def public_document(consultation_id: str, document_id: str, hub: HubDep) -> Response:
    """A published consultation's document, for the groups and anyone they share it with."""
    if len(consultation_id) > MAX_ID or len(document_id) > MAX_ID:
        return _document(None)
    with hub.begin() as tx:
        return _document(consultations.document_data(tx, consultation_id, document_id, public=True))


@router.get("/council/consultations/{consultation_id}/publish")
def confirm_publish(
    request: Request, consultation_id: str, officer: OfficerDep, hub: HubDep
) -> Response:
    return _consultation_page(request, hub, officer, consultation_id, confirm=True)


@router.post("/council/consultations/{consultation_id}/publish")
def publish_it(
    request: Request, consultation_id: str, officer: OfficerDep, hub: HubDep, _form: CheckedForm
) -> Response:
    try:
        with hub.begin() as tx:
            c = _found(tx, officer, consultation_id)
            for group_id in c.group_ids:
                require_officer_group(officer, group_id)
            done = publish(tx, c.id, hub=hub.identity, base_url=public_url(request, ""))
            officers.audit(
                tx,
                officer=officer,
                action="consultation published",
                target=c.id,
                detail=", ".join(g.name for g in done.groups),
            )
    except HubRefusal as refused:
        if isinstance(refused, NotFoundOnHub):
            raise
        return _consultation_page(
            request,
            hub,
            officer,
            consultation_id,
            status=refused.status,
            errors={"publish": str(refused)},
        )
    return _to(c.id, done="published")


# --- responses --------------------------------------------------------------------------------


def _report(tx: Connection, officer: Officer, consultation_id: str) -> Report:
    return report(tx, _found(tx, officer, consultation_id).id)


@router.get("/council/consultations/{consultation_id}/responses")
def responses(
    request: Request, consultation_id: str, officer: OfficerDep, hub: HubDep, done: str = ""
) -> Response:
    with hub.begin() as tx:
        found = _report(tx, officer, consultation_id)
    return _page(
        request,
        "consultation_responses.html",
        report=found,
        c=found.consultation,
        notice=NOTICES.get(done, ""),
    )


@router.post("/council/consultations/{consultation_id}/responses/notes")
def note(consultation_id: str, officer: OfficerDep, hub: HubDep, form: CheckedForm) -> Response:
    group_id, question = _text(form, "group", 100), _text(form, "question", 3)
    require_officer_group(officer, group_id)
    with hub.begin() as tx:
        c = _found(tx, officer, consultation_id)
        if group_id not in c.group_ids or not question.isdigit():
            raise PageRefusal(404, NOT_FOUND)
        set_note(
            tx,
            consultation_id=c.id,
            group_id=group_id,
            question=int(question),
            tags=parse_tags(_text(form, "tags", 2_000)),
            note=_text(form, "note", 10_000),
            officer_id=officer.id,
        )
        officers.audit(
            tx,
            officer=officer,
            action="consultation answer noted",
            target=c.id,
            detail=f"{group_id}, question {question}",
        )
    response = _to(c.id, "/responses", done="noted")
    response.headers["Location"] += f"#answer-{question}-{quote(group_id, safe='')}"
    return response


@router.get("/council/consultations/{consultation_id}/responses/print")
def printable(consultation_id: str, officer: OfficerDep, hub: HubDep) -> Response:
    from sync.hub.consultation_paper import responses_html

    with hub.begin() as tx:
        found = _report(tx, officer, consultation_id)
    return HTMLResponse(
        responses_html(found), headers={**PAPER_HEADERS, "Cache-Control": "no-store"}
    )


@router.get("/council/consultations/{consultation_id}/responses.{kind}")
def export(consultation_id: str, kind: str, officer: OfficerDep, hub: HubDep) -> Response:
    from sync.hub import consultation_exports as exports  # openpyxl: only to export

    makers = {
        "csv": ("text/csv; charset=utf-8", exports.to_csv),
        "xlsx": (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            exports.to_xlsx,
        ),
        "pdf": ("application/pdf", exports.to_pdf),
    }
    if kind not in makers:
        raise PageRefusal(404, NOT_FOUND)
    media, make = makers[kind]
    with hub.begin() as tx:
        found = _report(tx, officer, consultation_id)
        officers.audit(
            tx,
            officer=officer,
            action="consultation responses exported",
            target=found.consultation.id,
            detail=kind.upper(),
        )
    headers = {
        "Content-Disposition": f'attachment; filename="{exports.filename(found, kind)}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(make(found), media_type=media, headers=headers)


# --- "You said, we did" ---------------------------------------------------------------------


@router.get("/council/consultations/{consultation_id}/feedback")
def feedback(
    request: Request, consultation_id: str, officer: OfficerDep, hub: HubDep, done: str = ""
) -> Response:
    with hub.begin() as tx:
        found = _report(tx, officer, consultation_id)
    c = found.consultation
    return _page(
        request,
        "consultation_feedback.html",
        report=found,
        c=c,
        text=c.feedback,
        confirm=False,
        errors={},
        notice=NOTICES.get(done, ""),
    )


@router.post("/council/consultations/{consultation_id}/feedback")
def feedback_posted(
    request: Request, consultation_id: str, officer: OfficerDep, hub: HubDep, form: CheckedForm
) -> Response:
    text, action = _text(form, "feedback"), _text(form, "action", 20)
    with hub.begin() as tx:
        found = _report(tx, officer, consultation_id)
    c = found.consultation
    for group, _response in found.responding:
        require_officer_group(officer, group.id)
    try:
        with hub.begin() as tx:
            if action == "publish":
                told = publish_feedback(tx, c.id, hub=hub.identity, text=text)
                officers.audit(
                    tx,
                    officer=officer,
                    action="consultation feedback published",
                    target=c.id,
                    detail=", ".join(g.name for g in told),
                )
                return _to(c.id, "/feedback", done="feedback-published")
            save_feedback(tx, c.id, text=text)
            officers.audit(tx, officer=officer, action="consultation feedback saved", target=c.id)
        if action == "review":
            if not text.strip():
                raise HubRefusal("Write the feedback first.")
            return _page(
                request,
                "consultation_feedback.html",
                report=found,
                c=c,
                text=text,
                confirm=True,
                errors={},
                notice="",
            )
    except HubRefusal as refused:
        return _page(
            request,
            "consultation_feedback.html",
            400,
            report=found,
            c=c,
            text=text,
            confirm=False,
            errors={"feedback": str(refused)},
            notice="",
        )
    return _to(c.id, "/feedback", done="feedback-saved")
