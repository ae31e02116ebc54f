"""A laptop standing in for the council's hub: it writes a consultation into a group's log
as the hub does (a category, a pinned discussion, its opening post, the consultation),
and later a receipt for a submission, all signed by a device that is an organiser.
"""

from __future__ import annotations

from typing import Any

from app.ids import authored_id
from app.services import discussions, groups
from app.store import Store
from app.writer import writing

QUESTIONS: list[dict[str, Any]] = [
    {"type": "text", "text": "What should the new play area include?"},
    {"type": "choice", "text": "Where should it go?", "options": ["Glebe field", "The green"]},
    {"type": "multi", "text": "Which ages?", "options": ["Under 5", "5 to 11", "Over 11"]},
    {"type": "scale", "text": "The council should fund it from the precept."},
]


def publish(
    hub: Store,
    group_id: str,
    *,
    title: str = "Play area on Glebe field",
    closes: str = "2099-03-31",
    questions: list[dict[str, Any]] | None = None,
) -> tuple[str, str]:
    """Put a consultation to the group; (consultation id, discussion id)."""
    if "Consultations" not in {
        c.name for c in groups.list_categories(store=hub, group_id=group_id)
    }:
        groups.add_category(store=hub, group_id=group_id, name="Consultations")
    discussion_id, _post = discussions.start_discussion(
        store=hub,
        group_id=group_id,
        title=title,
        body=f"**{title}**\n\nThe group's clerk or organiser answers for the group.",
        category="Consultations",
    )
    discussions.update_discussion(store=hub, discussion_id=discussion_id, pinned=True)
    consultation_id = authored_id(hub.device_id)
    with writing(hub) as w:
        w.emit(
            group_id,
            "consultation",
            consultation_id,
            "create",
            {
                "title": title,
                "discussion_id": discussion_id,
                "background": "The council has money for **one** play area.",
                "closes": closes,
                "questions": questions or QUESTIONS,
                "publication": "anonymised",
                "contact": "Parks team, parks@example.gov.uk",
                "documents": [{"name": "Site plan", "url": "https://example.gov.uk/plan.pdf"}],
            },
        )
    return consultation_id, discussion_id


def receive(
    hub: Store, group_id: str, consultation_id: str, submission: str, received_ms: int
) -> None:
    """Say the council took the submission in, as the hub does when it is pushed."""
    with writing(hub) as w:
        w.emit(
            group_id,
            "consultation",
            consultation_id,
            "receive",
            {"submission": submission, "received_ms": received_ms, "late": False},
        )
