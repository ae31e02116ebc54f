"""Publishing a consultation into each chosen group's log, and "You said, we did".

What the hub writes in a group, in the group's log order (the contract with the
laptops, ``app.kinds.consultations``): the Consultations category (once per group,
remembered in ``hub_group_places``), the consultation's discussion, pinned, its
opening post (background, the numbered questions, the closing date, the contact, the
documents as links), then ``consultation/create`` naming that discussion. Each op is
signed by the hub's key through ``sync.hub.service.write_as_hub`` and judged as a
pushed op would be.

Everything is written in the caller's one transaction: a group that refuses the hub
(its organisers took the hub's role away) is named, and nothing is published
anywhere, so the officer takes that group off and publishes again. Groups are written
in order of their ids, so two officers publishing at once lock groups in one order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, update

from app import payload as p
from app.clock import wall_ms
from app.codes import Code
from app.identity import DeviceIdentity
from app.ids import authored_id
from app.kinds.consultations import closes_at_ms, question_options
from app.ops import Op
from app.papers.words import long_date
from app.registry import REGISTRY
from sync.hub import tables as t
from sync.hub.consultation_responses import counted_ops, responses
from sync.hub.consultations import Consultation, ConsultedGroup, document_path, get
from sync.hub.errors import Forbidden, HubRefusal
from sync.hub.service import lock_group, write_as_hub

PLACE = "consultations"  # hub_group_places.place of the group's Consultations category
CATEGORY = {"name": "Consultations", "position": 90}
FEEDBACK_HEADING = "**You said, we did**"
MAX_FEEDBACK = p.MAX_TEXT - len(FEEDBACK_HEADING) - 2
ANSWERED_BY = (
    "Your group's clerk or organiser answers for the group, from this consultation's panel in Moot."
)


def _write(
    conn: Connection,
    hub: DeviceIdentity,
    group: ConsultedGroup,
    kind: str,
    entity: str,
    action: str,
    payload: dict[str, Any],
) -> Op:
    op = write_as_hub(
        conn,
        hub,
        group.id,
        kind,
        entity,
        action,
        payload,
        refusal=f"Nothing was published: the hub may no longer write in {group.name}",
    )
    REGISTRY.validate(op)  # a draft is checked as saved; this is the laptops' own check
    return op


def _markdown_text(text: str) -> str:
    """Words for a link's text or a list item, with Markdown's own marks taken literally."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", " ".join(text.split()))


def opening_post(c: Consultation, documents: Sequence[dict[str, str]]) -> str:
    """The consultation's first post in each group's discussion, in Markdown."""
    parts = [c.background.strip()] if c.background.strip() else []
    questions = ["**Questions**", ""]
    for n, q in enumerate(c.questions, 1):
        questions.append(f"{n}. {_markdown_text(q['text'])}")
        if q["type"] == "multi":
            questions.append("   (choose any that apply)")
        questions.extend(f"   - {_markdown_text(o)}" for o in question_options(q))
    parts.append("\n".join(questions))
    when = f"**Closes on {long_date(c.closes)}.**"
    if c.opens:
        when = f"Open from {long_date(c.opens)}. {when}"
    parts.append(when)
    if c.contact:
        parts.append(f"Contact: {_markdown_text(c.contact)}")
    if documents:
        links = [f"- [{_markdown_text(d['name'])}](<{d['url']}>)" for d in documents]
        parts.append("\n".join(["**Documents**", "", *links]))
    parts.append(ANSWERED_BY)
    body = "\n\n".join(parts)
    if len(body) > p.MAX_TEXT:  # fifty long questions: the panel shows them all
        parts[1 if c.background.strip() else 0] = "The questions are in the consultation's panel."
        body = "\n\n".join(parts)
    return body


def _lock_groups(conn: Connection, group_ids: Sequence[str]) -> None:
    """Hold each group's row for the rest of the transaction, in one order for everyone.

    Taken before anything is read from the groups' logs, so a read's shared lock is
    never raised to the write's (two writers doing so at once would deadlock).
    """
    for group_id in sorted(group_ids):
        lock_group(conn, group_id)


def _category(conn: Connection, hub: DeviceIdentity, group: ConsultedGroup) -> str:
    """The group's Consultations category: made the first time, and again if deleted."""
    places = t.group_places
    where = (places.c.group_id == group.id, places.c.place == PLACE)
    held = conn.execute(places.select().where(*where)).first()
    if held is not None and not _deleted(conn, group.id, held.entity):
        return str(held.entity)
    category = authored_id(hub.device_id)
    _write(conn, hub, group, "category", category, "create", dict(CATEGORY))
    conn.execute(delete(places).where(*where))
    conn.execute(insert(places).values(group_id=group.id, place=PLACE, entity=category))
    return category


def _deleted(conn: Connection, group_id: str, category: str) -> bool:
    """Whether the group deleted the category (its last say on ``deleted`` that counts)."""
    deleted = False
    for op in counted_ops(conn, group_id, "category", category):
        if op.action == "update" and "deleted" in op.fields:
            deleted = bool(op.fields["deleted"])
    return deleted


def publish(
    conn: Connection,
    consultation_id: str,
    *,
    hub: DeviceIdentity,
    base_url: str = "",
    now_ms: int | None = None,
) -> Consultation:
    """Write the consultation into each of its groups' logs and mark it published.

    ``base_url``: the hub's public address, for the documents' links (laptops open them
    in a browser, so they must be whole addresses).
    """
    c = get(conn, consultation_id, lock=True)  # a second officer publishing waits here
    now = wall_ms() if now_ms is None else now_ms
    if c.published_ms is not None:
        raise HubRefusal("That consultation has been published already.", code=Code.NOT_ALLOWED)
    if not c.groups:
        raise HubRefusal("Choose at least one group to consult.", code=Code.INVALID_INPUT)
    if closes_at_ms(c.closes) < now:
        raise HubRefusal(
            f"The closing date, {long_date(c.closes)}, has passed; set a later one first.",
            code=Code.INVALID_INPUT,
        )
    base = base_url.rstrip("/")
    if c.documents and not base:
        raise HubRefusal(
            "The documents' links need the hub's address as laptops reach it: give"
            " --public-url, or set MOOT_HUB_PUBLIC_URL.",
            code=Code.INVALID_INPUT,
        )
    documents = [{"name": d.filename, "url": base + document_path(c.id, d.id)} for d in c.documents]
    post = opening_post(c, documents)
    _lock_groups(conn, c.group_ids)
    cg = t.consultation_groups
    for group in sorted(c.groups, key=lambda g: g.id):
        try:
            discussion, entity = _publish_to(conn, hub, c, group, post, documents)
        except Forbidden as exc:
            raise Forbidden(
                f"{exc} Take {group.name} off the consultation, or ask its organisers to"
                " make the hub an organiser again.",
                code=exc.code,
            ) from None
        conn.execute(
            update(cg)
            .where(cg.c.consultation_id == c.id, cg.c.group_id == group.id)
            .values(discussion_id=discussion, entity=entity)
        )
    conn.execute(
        update(t.consultations).where(t.consultations.c.id == c.id).values(published_ms=now)
    )
    return get(conn, c.id)


def _publish_to(
    conn: Connection,
    hub: DeviceIdentity,
    c: Consultation,
    group: ConsultedGroup,
    post: str,
    documents: list[dict[str, str]],
) -> tuple[str, str]:
    """The consultation's ops in one group; the ids of its discussion and of itself there."""
    category = _category(conn, hub, group)
    discussion = authored_id(hub.device_id)
    _write(
        conn,
        hub,
        group,
        "discussion",
        discussion,
        "create",
        {"title": c.title, "category_id": category},
    )
    _write(conn, hub, group, "discussion", discussion, "update", {"pinned": True})
    _write(
        conn,
        hub,
        group,
        "post",
        authored_id(hub.device_id),
        "create",
        {"discussion_id": discussion, "body": post},
    )
    payload: dict[str, Any] = {
        "title": c.title,
        "discussion_id": discussion,
        "background": c.background,
        "closes": c.closes,
        "questions": list(c.questions),
        "publication": c.publication,
        "contact": c.contact,
    }
    if c.opens:
        payload["opens"] = c.opens
    if documents:
        payload["documents"] = documents
    entity = authored_id(hub.device_id)
    _write(conn, hub, group, "consultation", entity, "create", payload)
    return discussion, entity


# --- "You said, we did" ---------------------------------------------------------------------


def save_feedback(conn: Connection, consultation_id: str, *, text: str) -> None:
    """Keep the officer's draft of the feedback; nothing goes to the groups yet."""
    c = get(conn, consultation_id, lock=True)
    _check_feedback(c, text)
    conn.execute(
        update(t.consultations)
        .where(t.consultations.c.id == c.id)
        .values(feedback=text.replace("\r\n", "\n").strip())
    )


def _check_feedback(c: Consultation, text: str) -> str:
    if c.published_ms is None:
        raise HubRefusal("Publish the consultation first.", code=Code.NOT_ALLOWED)
    if c.feedback_ms is not None:
        raise HubRefusal(
            "The feedback on this consultation has been published already.",
            code=Code.NOT_ALLOWED,
        )
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_FEEDBACK:
        raise HubRefusal(
            f"The feedback is longer than {MAX_FEEDBACK:,} characters.", code=Code.INVALID_INPUT
        )
    return text


def publish_feedback(
    conn: Connection,
    consultation_id: str,
    *,
    hub: DeviceIdentity,
    text: str,
    now_ms: int | None = None,
) -> list[ConsultedGroup]:
    """Post "You said, we did" in each responding group's discussion; the groups told."""
    c = get(conn, consultation_id, lock=True)
    text = _check_feedback(c, text)
    if not text:
        raise HubRefusal("Write the feedback first.", code=Code.INVALID_INPUT)
    _lock_groups(conn, c.group_ids)
    found = responses(conn, groups=c.groups, questions=c.questions)
    responding = [g for g in c.groups if found[g.id] is not None and g.discussion_id and g.entity]
    if not responding:
        raise HubRefusal(
            "No group has responded yet, so there is no one to tell.", code=Code.NOT_ALLOWED
        )
    now = wall_ms() if now_ms is None else now_ms
    for group in sorted(responding, key=lambda g: g.id):
        post = {"discussion_id": group.discussion_id, "body": f"{FEEDBACK_HEADING}\n\n{text}"}
        _write(conn, hub, group, "post", authored_id(hub.device_id), "create", post)
        assert group.entity is not None  # it responded
        feedback = {"feedback": text, "feedback_ms": now}
        _write(conn, hub, group, "consultation", group.entity, "update", feedback)
    conn.execute(
        update(t.consultations)
        .where(t.consultations.c.id == c.id)
        .values(feedback=text, feedback_ms=now)
    )
    return responding
