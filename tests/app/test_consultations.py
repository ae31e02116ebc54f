"""A council's consultation, answered by the group: drafted on several laptops at once,
submitted with how the group agreed it, then sent and received by the council.
"""

from __future__ import annotations

import contextlib
import os
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.apply import rebuild_group
from app.dump import dump
from app.errors import InvalidInput, InvalidOp, MootError, NotAllowed, NotFound
from app.hub_links import acknowledge
from app.ids import authored_id
from app.kinds.consultations import SCALE, check_questions, closes_at_ms, question_options
from app.ops import Op
from app.services import consultations, discussions, groups, meetings, members
from app.services.consultations import read_consultation
from app.store import Store, open_store
from app.writer import writing
from tests.council import QUESTIONS, publish, receive
from tests.support import deliver, deliver_shuffled, forge, ops_of, snapshot, sync_all

MakeStore = Callable[[str], Store]


@dataclass
class Parish:
    organiser: Store  # founded the group
    hub: Store  # stands in for the council's hub: an organiser of the group
    clerk: Store
    member: Store
    group: str
    consultation: str
    discussion: str

    @property
    def laptops(self) -> list[Store]:
        return [self.organiser, self.hub, self.clerk, self.member]

    def share(self) -> None:
        """Everyone has everyone's changes, as after a round of syncs."""
        for src in self.laptops:
            for dst in self.laptops:
                if src is not dst:
                    deliver(ops_of(src), dst)


def _parish(make_store: MakeStore, *, closes: str = "2099-03-31") -> Parish:
    organiser, hub = make_store("organiser"), make_store("hub")
    clerk, member = make_store("clerk"), make_store("member")
    group = groups.create_group(store=organiser, name="Ashby Residents")
    for store, role, name in (
        (organiser, "organiser", "Ann Organiser"),
        (hub, "organiser", "Council hub"),
        (clerk, "clerk", "Jo Clerk"),
        (member, "member", "Sam Member"),
    ):
        members.admit(
            store=organiser, group_id=group, device=store.device_id, role=role, display_name=name
        )
    for store in (hub, clerk, member):
        deliver(ops_of(organiser), store)
    consultation, discussion = publish(hub, group, closes=closes)
    parish = Parish(organiser, hub, clerk, member, group, consultation, discussion)
    parish.share()
    return parish


def _ms(day: str) -> int:
    return int(datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp() * 1000)


# --- what arrives ---------------------------------------------------------------------


def test_a_consultation_arrives_as_a_pinned_discussion_with_its_questions(
    make_store: MakeStore,
) -> None:
    p = _parish(make_store)
    (listed,) = consultations.list_consultations(store=p.member, group_id=p.group)
    assert (listed.title, listed.closes, listed.open) == (
        "Play area on Glebe field",
        "2099-03-31",
        True,
    )
    assert (listed.sender, listed.status) == ("Council hub", "Not answered yet")
    # Its discussion heads the group's list, pinned, in the Consultations category.
    first = discussions.list_discussions(store=p.member, group_id=p.group)[0]
    assert (first.id, first.pinned) == (p.discussion, True)
    # The hub speaking for the council is not a newcomer to welcome.
    [opening] = discussions.thread(store=p.member, discussion_id=p.discussion)
    assert not opening.newcomers_first
    view = consultations.consultation_of_discussion(store=p.member, discussion_id=p.discussion)
    assert view is not None
    assert [q.text for q in view.questions] == [q["text"] for q in QUESTIONS]
    assert view.questions[1].options == ("Glebe field", "The green")
    assert view.questions[3].options == SCALE
    assert not view.may_answer  # a member reads; the clerk answers
    clerk_view = read_consultation(store=p.clerk, consultation_id=p.consultation)
    assert clerk_view.may_answer
    assert clerk_view.documents == (
        {"name": "Site plan", "url": "https://example.gov.uk/plan.pdf"},
    )
    other = discussions.start_discussion(
        store=p.member, group_id=p.group, title="Bins", body="Tuesday?"
    )[0]
    assert consultations.consultation_of_discussion(store=p.member, discussion_id=other) is None


def test_an_id_prefix_names_a_consultation(make_store: MakeStore) -> None:
    p = _parish(make_store)
    found = consultations.find_consultation(store=p.clerk, ref=p.consultation[:8])
    assert found == p.consultation
    with pytest.raises(NotFound, match="No consultation"):
        consultations.find_consultation(store=p.clerk, ref="zzzz")


# --- drafting ---------------------------------------------------------------------------


def test_two_drafters_offline_both_keep_their_words(make_store: MakeStore) -> None:
    p = _parish(make_store)
    c = p.consultation
    consultations.set_answer_text(
        store=p.clerk, consultation_id=c, question=1, text="A zip wire for older children."
    )
    consultations.set_answer_text(
        store=p.organiser, consultation_id=c, question=1, text="Swings that a wheelchair fits."
    )
    consultations.set_answer_choice(
        store=p.clerk, consultation_id=c, question=2, choice=["Glebe field"]
    )
    consultations.set_answer_choice(
        store=p.organiser, consultation_id=c, question=2, choice=["The green"]
    )
    p.share()
    clerk_sees = read_consultation(store=p.clerk, consultation_id=c)
    organiser_sees = read_consultation(store=p.organiser, consultation_id=c)
    assert clerk_sees.answers == organiser_sees.answers
    text = clerk_sees.answers[0].text
    assert "A zip wire for older children." in text
    assert "Swings that a wheelchair fits." in text
    # A choice is one register: the later writer's stands, on every laptop alike.
    chosen = [
        op
        for op in ops_of(p.clerk)
        if (op.kind, op.action) == ("consultation", "answer") and "choice" in op.fields
    ]
    assert len(chosen) == 2
    latest = max(chosen, key=lambda op: op.order)
    assert clerk_sees.answers[1].choice == tuple(latest.fields["choice"])
    assert clerk_sees.summary.status == "Draft"
    assert dump(store=p.clerk, group_id=p.group) == dump(store=p.member, group_id=p.group)


def test_an_editor_saves_on_its_base_and_keeps_what_arrived(make_store: MakeStore) -> None:
    p = _parish(make_store)
    c = p.consultation
    base = consultations.answer_bodies(store=p.clerk, consultation_id=c)[1]
    assert base.text == ""
    consultations.set_answer_text(store=p.organiser, consultation_id=c, question=1, text="Shade.")
    deliver(ops_of(p.organiser), p.clerk)
    saved = consultations.save_answer_text(
        store=p.clerk, consultation_id=c, question=1, base=base, text="Benches."
    )
    assert saved.mine.text == "Benches."
    assert "Shade." in saved.text
    assert "Benches." in saved.text
    again = consultations.save_answer_text(
        store=p.clerk, consultation_id=c, question=1, base=saved.mine, text="Benches, bins."
    )
    assert "Shade." in again.text
    assert "Benches, bins." in again.text


def test_choices_are_named_by_words_or_numbers(make_store: MakeStore) -> None:
    p = _parish(make_store)
    c = p.consultation

    def answer(question: int, value: str, comment: str | None = None) -> Any:
        return consultations.answer(
            store=p.clerk, consultation_id=c, question=question, value=value, comment=comment
        )

    assert answer(2, "the green").choice == ("The green",)
    assert answer(2, "1", comment="Nearer the school.").choice == ("Glebe field",)
    assert answer(3, "3,1").choice == ("Under 5", "Over 11")  # in the question's order
    assert answer(3, "5 to 11; under 5").choice == ("Under 5", "5 to 11")
    assert answer(4, "2").choice == ("Agree",)
    assert answer(4, "strongly disagree").choice == ("Strongly disagree",)
    assert answer(4, "").choice == ()  # taken back
    view = read_consultation(store=p.clerk, consultation_id=c)
    assert view.answers[1].text == "Nearer the school."
    assert view.answers[3].choice == ()


def test_what_a_clerk_may_not_answer_is_refused_and_changes_nothing(
    make_store: MakeStore,
) -> None:
    p = _parish(make_store)
    c = p.consultation
    before = snapshot(p.clerk)
    for question, value, words in (
        (9, "x", "no question 9"),
        (2, "Village hall", "no option 'Village hall'"),
        (2, "3", "no option '3'"),
        (2, "Glebe field; The green", "no option"),
        (3, "1,7", "no option '7'"),
        (4, "6", "no option '6'"),
    ):
        with pytest.raises(InvalidInput, match=words):
            consultations.answer(store=p.clerk, consultation_id=c, question=question, value=value)
    with pytest.raises(InvalidInput, match="comment goes with a choice"):
        consultations.answer(store=p.clerk, consultation_id=c, question=1, value="x", comment="y")
    assert snapshot(p.clerk) == before


def test_the_merge_rules_refuse_a_bad_answer_from_any_laptop(make_store: MakeStore) -> None:
    """What the services check, every replica checks too, for answers written elsewhere."""
    p = _parish(make_store)
    for fields, words in (
        ({"question": 9, "choice": []}, "no question 9"),
        ({"question": 2, "choice": ["Village hall"]}, "no such option"),
        ({"question": 2, "choice": ["Glebe field", "The green"]}, "takes one choice"),
        ({"question": 1, "choice": ["Agree"]}, "no such option"),
    ):
        with pytest.raises(NotAllowed, match=words), writing(p.clerk) as w:
            w.emit(p.group, "consultation", p.consultation, "answer", fields)
    with pytest.raises(InvalidOp, match="changes its text or its choice"), writing(p.clerk) as w:
        w.emit(p.group, "consultation", p.consultation, "answer", {"question": 1})


def test_a_member_may_read_but_not_answer_or_submit(make_store: MakeStore) -> None:
    p = _parish(make_store)
    c = p.consultation
    before = snapshot(p.member)
    with pytest.raises(NotAllowed, match="clerk or an organiser"):
        consultations.set_answer_text(store=p.member, consultation_id=c, question=1, text="Hi")
    with pytest.raises(NotAllowed, match="clerk or an organiser"):
        consultations.answer(store=p.member, consultation_id=c, question=2, value="1")
    with pytest.raises(NotAllowed, match="clerk or an organiser"):
        consultations.submit(store=p.member, consultation_id=c, how="organiser")
    # Written by hand past the services, the merge rules refuse it just the same.
    with pytest.raises(NotAllowed, match="clerks and organisers"), writing(p.member) as w:
        w.emit(p.group, "consultation", c, "answer", {"question": 2, "choice": []})
    assert snapshot(p.member) == before


# --- submitting -------------------------------------------------------------------------


def test_a_response_goes_from_waiting_to_sent_to_received(make_store: MakeStore) -> None:
    p = _parish(make_store)
    c = p.consultation
    meeting = meetings.create_meeting(
        store=p.clerk, group_id=p.group, title="Residents' meeting", starts_at="2027-02-10T19:00"
    )
    consultations.answer(store=p.clerk, consultation_id=c, question=1, value="Swings.")
    consultations.answer(store=p.clerk, consultation_id=c, question=2, value="Glebe field")
    sent = consultations.submit(
        store=p.clerk,
        consultation_id=c,
        how="meeting",
        meeting=meeting[:10],
        minute="27/12",
        votes_for=9,
        votes_against=2,
        votes_abstain=1,
        dissent="Two members preferred the green.",
    )
    assert not sent.late
    view = read_consultation(store=p.clerk, consultation_id=c)
    assert view.summary.status == "Waiting to send"
    (submission,) = view.submissions
    assert submission.id == sent.id
    assert (submission.meeting_title, submission.meeting_date) == (
        "Residents' meeting",
        "2027-02-10",
    )
    assert (submission.minute, submission.votes_for, submission.votes_against) == ("27/12", 9, 2)
    assert submission.name == "Jo Clerk"
    assert [(a.question, a.text, a.choice) for a in submission.answers] == [
        (1, "Swings.", ()),
        (2, "", ("Glebe field",)),
    ]
    assert not view.amended

    with p.clerk.write() as db:  # the hub has it: what a sync does once it is pushed
        acknowledge(db, [sent.id])
    assert read_consultation(store=p.clerk, consultation_id=c).summary.status == "Sent"

    deliver(ops_of(p.clerk), p.hub)
    receive(p.hub, p.group, c, sent.id, _ms("2027-03-03"))
    p.share()
    for laptop in (p.clerk, p.member):
        (listed,) = consultations.list_consultations(store=laptop, group_id=p.group)
        assert listed.status == "Received by the council on 3 March 2027"


def test_only_the_hub_that_sent_it_speaks_for_the_consultation(make_store: MakeStore) -> None:
    """Another organiser of the group cannot mark a late response on time, change the
    closing date or post the council's feedback: on no laptop do those count.
    """
    p = _parish(make_store, closes="2027-03-01")
    c = p.consultation
    consultations.answer(store=p.clerk, consultation_id=c, question=1, value="Swings.")
    sent = consultations.submit(store=p.clerk, consultation_id=c, how="organiser")
    p.share()
    with pytest.raises(NotAllowed, match="Only the hub that sent the consultation"):
        receive(p.organiser, p.group, c, sent.id, _ms("2027-02-20"))
    # Signed and sent all the same, from a laptop that skips its own checks:
    forged: list[Op] = []
    for action, payload in (
        ("receive", {"submission": sent.id, "received_ms": _ms("2027-02-20"), "late": False}),
        ("update", {"closes": "2099-12-31"}),
        ("update", {"feedback": "You said, we ignored."}),
    ):
        forged.append(
            forge(p.organiser, p.group, "consultation", c, action, payload,
                  op_id=authored_id(p.organiser.device_id), after=forged[-1] if forged else None)
        )  # fmt: skip
    for laptop in (p.clerk, p.member, p.hub):
        deliver(forged, laptop)
    for laptop in p.laptops:
        view = read_consultation(store=laptop, consultation_id=c)
        assert view.summary.closes == "2027-03-01"
        assert not view.summary.status.startswith("Received")
        assert view.feedback == ""
    receive(p.hub, p.group, c, sent.id, _ms("2027-03-03"))
    p.share()
    for laptop in p.laptops:
        (listed,) = consultations.list_consultations(store=laptop, group_id=p.group)
        assert listed.status == "Received by the council on 3 March 2027"


def test_an_amended_response_replaces_the_earlier_one(make_store: MakeStore) -> None:
    p = _parish(make_store)
    c = p.consultation
    consultations.answer(store=p.clerk, consultation_id=c, question=1, value="Swings.")
    first = consultations.submit(store=p.clerk, consultation_id=c, how="organiser")
    with p.clerk.write() as db:
        acknowledge(db, [first.id])
    deliver(ops_of(p.clerk), p.hub)
    receive(p.hub, p.group, c, first.id, _ms("2027-03-03"))
    deliver(ops_of(p.hub), p.clerk)
    consultations.answer(store=p.clerk, consultation_id=c, question=1, value="Swings and a slide.")
    assert read_consultation(store=p.clerk, consultation_id=c).amended
    p.share()
    second = consultations.submit(store=p.organiser, consultation_id=c, how="organiser")
    assert second.id != first.id
    p.share()
    view = read_consultation(store=p.clerk, consultation_id=c)
    # The organiser's is newest; it is still in their outbox, not the clerk's.
    assert [s.id for s in view.submissions] == [second.id, first.id]
    assert view.summary.status == "Sent"
    assert read_consultation(store=p.organiser, consultation_id=c).summary.status == (
        "Waiting to send"
    )


def test_a_late_response_is_still_sent_and_says_it_is_late(make_store: MakeStore) -> None:
    p = _parish(make_store, closes="2020-01-31")
    c = p.consultation
    (listed,) = consultations.list_consultations(store=p.clerk, group_id=p.group)
    assert not listed.open
    consultations.answer(store=p.clerk, consultation_id=c, question=4, value="1")
    sent = consultations.submit(store=p.clerk, consultation_id=c, how="organiser")
    assert sent.late
    assert "closed on 31 January 2020" in sent.message
    assert read_consultation(store=p.clerk, consultation_id=c).summary.status == "Waiting to send"


def test_a_submission_must_say_how_it_was_agreed(make_store: MakeStore) -> None:
    p = _parish(make_store)
    c = p.consultation
    before = snapshot(p.clerk)
    with pytest.raises(InvalidInput, match="nothing to send"):
        consultations.submit(store=p.clerk, consultation_id=c, how="organiser")
    consultations.answer(store=p.clerk, consultation_id=c, question=1, value="Swings.")
    before = snapshot(p.clerk)
    with pytest.raises(InvalidInput, match="at which meeting"):
        consultations.submit(store=p.clerk, consultation_id=c, how="meeting")
    with pytest.raises(NotFound, match="No meeting"):
        consultations.submit(store=p.clerk, consultation_id=c, how="meeting", meeting="abc")
    with pytest.raises(InvalidInput, match="agreed at a meeting"):
        consultations.submit(store=p.clerk, consultation_id=c, how="organiser", votes_for=3)
    with pytest.raises(InvalidInput, match="0 or more"):
        consultations.submit(
            store=p.clerk, consultation_id=c, how="meeting", meeting="x", votes_against=-1
        )
    assert snapshot(p.clerk) == before


# --- order -------------------------------------------------------------------------------


def test_answers_and_receipts_wait_for_what_they_need(make_store: MakeStore) -> None:
    p = _parish(make_store)
    c = p.consultation
    late_comer = make_store("late-comer")
    members.admit(store=p.organiser, group_id=p.group, device=late_comer.device_id)
    consultations.answer(store=p.clerk, consultation_id=c, question=1, value="Swings.")
    sent = consultations.submit(store=p.clerk, consultation_id=c, how="organiser")
    deliver(ops_of(p.clerk), p.hub)
    receive(p.hub, p.group, c, sent.id, _ms("2027-03-03"))
    deliver(ops_of(p.organiser), p.hub)
    # Newest first: the receipt, the submission and the answer arrive before the
    # consultation they belong to, and wait for it.
    log = ops_of(p.hub)
    deliver(list(reversed(log)), late_comer, batch=1)
    (listed,) = consultations.list_consultations(store=late_comer, group_id=p.group)
    assert listed.status == "Received by the council on 3 March 2027"
    assert dump(store=late_comer, group_id=p.group) == dump(store=p.hub, group_id=p.group)


# --- the rules the hub shares ---------------------------------------------------------


def test_a_consultation_closes_at_the_end_of_its_day_in_london() -> None:
    london = ZoneInfo("Europe/London")
    day = date(2026, 1, 1)
    while day < date(2029, 1, 1):
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=london)
        assert closes_at_ms(day.isoformat()) == int(end.timestamp() * 1000) - 1, day
        day += timedelta(days=1)
    summer = datetime(2027, 7, 1, 22, 59, 59, 999_000, tzinfo=UTC)  # 23:59:59.999 BST
    assert closes_at_ms("2027-07-01") == int(summer.timestamp() * 1000)


def test_questions_are_checked_as_the_hub_reads_them() -> None:
    assert check_questions(QUESTIONS)
    assert question_options(QUESTIONS[0]) == ()
    assert question_options(QUESTIONS[3]) == SCALE
    for bad in (
        [],
        [{"type": "text"}],
        [{"type": "essay", "text": "Why?"}],
        [{"type": "choice", "text": "Which?", "options": ["Only one"]}],
        [{"type": "choice", "text": "Which?", "options": ["Same", "Same"]}],
        [{"type": "scale", "text": "Agree?", "options": ["Yes", "No"]}],
        [{"type": "text", "text": "Why?", "colour": "red"}],
        [{"type": "text", "text": "x" * 2001}],
        [{"type": "text", "text": "Why?"}] * 51,
        "not a list",
    ):
        assert not check_questions(bad), bad


# --- convergence ------------------------------------------------------------------------

WORDS = ("swings", "slide", "benches", "shade", "fence", "bins", "path", "lights")


def _act(stores: list[Store], c: str, rnd: random.Random, who: int, action: int) -> str | None:
    """One random step; the words it wrote, if it wrote text."""
    store = stores[who]
    question = rnd.randint(1, len(QUESTIONS))
    if action <= 2:
        words = f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} #{rnd.randrange(10**6)}"
        current = read_consultation(store=store, consultation_id=c).answers[question - 1].text
        text = f"{words}\n{current}" if rnd.random() < 0.5 else f"{current}{words}\n"
        consultations.set_answer_text(store=store, consultation_id=c, question=question, text=text)
        return words
    if action <= 4:
        options = question_options(QUESTIONS[question - 1])
        if options:
            k = rnd.randint(0, 2 if QUESTIONS[question - 1]["type"] == "multi" else 1)
            choice = rnd.sample(list(options), k=k)
            consultations.set_answer_choice(
                store=store, consultation_id=c, question=question, choice=choice
            )
        return None
    consultations.submit(store=store, consultation_id=c, how="organiser")
    return None


@settings(
    max_examples=int(os.environ.get("MOOT_CONVERGENCE_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    steps=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 7), st.floats(0.0, 1.0)),
        min_size=3,
        max_size=25,
    ),
)
def test_answers_converge_whatever_the_order(
    seed: int, steps: list[tuple[int, int, float]]
) -> None:
    rnd = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        # Two who may answer (a clerk and an organiser) and the council's hub.
        stores = [open_store(Path(tmp) / f"r{i}", use_keyring=False) for i in range(3)]
        try:
            group = groups.create_group(store=stores[0], name="Ashby Residents")
            members.admit(store=stores[0], group_id=group, device=stores[1].device_id, role="clerk")
            members.admit(
                store=stores[0], group_id=group, device=stores[2].device_id, role="organiser"
            )
            deliver(ops_of(stores[0]), stores[2])
            c, _discussion = publish(stores[2], group)
            written: set[str] = set()
            for who, action, share in steps:
                if action >= 6:  # a partial, shuffled delivery between two laptops
                    other = stores[(who + action) % 3]
                    if other is not stores[who]:
                        deliver_shuffled(stores[who], other, rnd, share=share)
                    continue
                # A laptop that has not the consultation yet (or nothing to send) is refused.
                with contextlib.suppress(MootError):
                    if (words := _act(stores, c, rnd, who, action)) is not None:
                        written.add(words)
            sync_all(stores, rnd)
            dumps = {dump(store=s, group_id=group) for s in stores}
            assert len(dumps) == 1
            with stores[0].write() as db:
                rebuild_group(db, group, stores[0].sealer)
            assert dump(store=stores[0], group_id=group) in dumps
            texts = "\n".join(
                a.text for a in read_consultation(store=stores[1], consultation_id=c).answers
            )
            assert all(words in texts for words in written)
        finally:
            for store in stores:
                store.close()
