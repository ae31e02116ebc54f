"""A parish council's January meeting, as ``read_meeting`` would hand it to the papers.

For the papers benchmark and the pictures of the papers in ``resources/screenshots``;
``large_meeting`` scales the same kind of business up to a long agenda.
"""

from __future__ import annotations

from dataclasses import replace

from app.meeting_view import (
    Action,
    Approval,
    Attendee,
    Declaration,
    Item,
    MeetingView,
    Paper,
    Resolution,
    Signature,
    Vote,
)

CHAIR = "Cllr Helen Marsh"
CLERK = "Janet Whitfield"
PRESENT = (CHAIR, "Cllr Peter Hall", "Cllr Anita Desai", "Cllr George Whitlock",
           "Cllr Sarah Lin", "Cllr Mark O'Connor")  # fmt: skip


def _people() -> tuple[Attendee, ...]:
    return (
        *(Attendee(f"dev-{i}", name, "present") for i, name in enumerate(PRESENT)),
        Attendee("dev-6", "Cllr Jo Fenwick", "remote"),
        Attendee("dev-7", "Cllr Ruth Okafor", "apologies", apologies_accepted=True),
        Attendee("dev-8", "Cllr Tom Baines", "apologies", apologies_accepted=True),
        Attendee("dev-9", "Cllr Ian Ross", "absent"),
    )


def _items() -> tuple[Item, ...]:
    return (
        Item("i1", 1, "Apologies for absence", "27/001", standard="apologies",
             minutes="Apologies were received from Cllr Ruth Okafor (work) and Cllr Tom Baines"
             " (illness).",
             resolutions=(Resolution("r1", "that the apologies be accepted", True,
                                     Vote(unanimous=True), CHAIR, "Cllr Anita Desai"),)),
        Item("i2", 2, "Declarations of interest and requests for dispensation", "27/002",
             standard="declarations",
             minutes="Declarations are recorded under the items to which they relate. No"
             " requests for dispensation had been received."),
        Item("i3", 3, "Minutes of the meeting held on 10 December 2026", "27/003",
             standard="minutes",
             papers=(Paper("p1", "Minutes 2026-12-10 (draft).pdf", 96_412),),
             resolutions=(
                 Resolution("r2", "that minute 26/104 be corrected to record that Cllr"
                            " Whitlock, not Cllr Hall, seconded the motion on the allotments"
                            " lease", True, Vote(unanimous=True), "Cllr George Whitlock",
                            "Cllr Peter Hall", corrects="26/104"),
                 Resolution("r3", "that the minutes of the meeting held on 10 December 2026,"
                            " as corrected, be approved as a true record and signed by the"
                            " Chair", True, Vote(for_=5, abstain=1), "Cllr Sarah Lin",
                            "Cllr Mark O'Connor"),
             )),
        Item("i4", 4, "Public participation", "27/004",
             minutes="The meeting was adjourned for public participation.\n\nTwo residents of"
             " Church Lane spoke about speeding traffic near the school at the start and end"
             " of the day, and asked for a speed indicator device (item 8).\n\nPCSO Reilly"
             " reported two thefts from sheds on Mill Road allotments and urged plot"
             " holders to mark their tools.\n\nThe meeting was reconvened."),
        Item("i5", 5, "Planning applications", "27/005",
             papers=(Paper("p2", "26-01234-FUL site plan.pdf", 1_845_120),
                     Paper("p3", "26-01234-FUL design statement.pdf", 412_330)),
             declarations=(Declaration("d1", "dev-1", "Cllr Peter Hall", "pecuniary",
                                       "owns the field adjoining the application site",
                                       left_room=True),
                           Declaration("d2", "dev-3", "Cllr George Whitlock",
                                       "non_registrable",
                                       "his daughter rents one of the cottages at Mill Farm"),),
             minutes="26/01234/FUL: Land at Mill Farm, Mill Road. Erection of four dwellings"
             " with access from Mill Road.\n\nMembers noted the concerns of residents about"
             " the width of Mill Road at the proposed access, and that the site lies outside"
             " the settlement boundary in the Neighbourhood Plan.",
             resolutions=(Resolution("r4", "that the council objects to application"
                                     " 26/01234/FUL on the grounds of highway safety and"
                                     " conflict with policy H2 of the Ashcombe Neighbourhood"
                                     " Plan", True, Vote(for_=4, against=0, abstain=1),
                                     "Cllr Anita Desai", "Cllr Sarah Lin"),),
             actions=(Action("a1", "i5", "Send the council's objection to Westshire"
                             " District Council planning", CLERK, "2027-01-21"),)),
        Item("i6", 6, "Budget and precept for 2027/28", "27/006",
             papers=(Paper("p4", "Budget 2027-28.pdf", 86_016),
                     Paper("p5", "Precept options.xlsx", 23_552)),
             minutes="The Clerk presented the draft budget, with three options for the"
             " precept. Members discussed the cost of the play area inspection and repairs,"
             " and the reserve held for the village hall roof.",
             resolutions=(Resolution("r5", "that the budget for 2027/28 be approved and the"
                                     " precept be set at £24,500", True,
                                     Vote(for_=4, against=1, abstain=1), "Cllr Helen Marsh",
                                     "Cllr Mark O'Connor"),),
             actions=(Action("a2", "i6", "Submit the precept request to Westshire District"
                             " Council", CLERK, "2027-01-31"),)),
        Item("i7", 7, "Motion: a second dog waste bin on the recreation ground", "27/007",
             minutes="Cllr Lin moved the motion standing in her name. Members noted the cost"
             " of a bin and of emptying it weekly (£412 a year).",
             resolutions=(Resolution("r6", "that the council buys and installs a second dog"
                                     " waste bin at the Mill Road entrance to the recreation"
                                     " ground", False, Vote(for_=2, against=3, abstain=1),
                                     "Cllr Sarah Lin", "Cllr Anita Desai"),)),
        Item("i8", 8, "Church Lane: speed indicator device", "27/008",
             minutes="A recorded vote was requested by Cllr Whitlock.",
             resolutions=(Resolution("r7", "that the council buys a speed indicator device"
                                     " for Church Lane at a cost of up to £3,200", True,
                                     Vote(recorded=((CHAIR, "for"), ("Cllr Anita Desai", "for"),
                                                    ("Cllr Sarah Lin", "for"),
                                                    ("Cllr Peter Hall", "against"),
                                                    ("Cllr George Whitlock", "against"),
                                                    ("Cllr Mark O'Connor", "against")),
                                          casting="for"),
                                     "Cllr Anita Desai", "Cllr Sarah Lin"),),
             actions=(Action("a3", "i8", "Obtain quotes and ask the county for permission"
                             " to mount it", "Cllr Anita Desai", "2027-02-11"),)),
        Item("i9", 9, "Clerk's report and correspondence", "27/009",
             minutes="The Clerk reported that the bus shelter on the Green has been repaired"
             " under warranty, and that the county will resurface Back Lane in March.",
             actions=(Action("a4", "i9", "Put the Back Lane closure dates on the noticeboard",
                             CLERK, "2027-02-01"),)),
        Item("i10", 10, "Staffing matter: the Clerk's annual review", "27/010", exempt=True,
             minutes="The press and public were excluded. The Clerk left the meeting.",
             resolutions=(Resolution("r8", "that the Clerk's salary be moved to SCP 24 from 1"
                                     " April 2027, as the staffing committee recommends", True,
                                     Vote(unanimous=True), CHAIR, "Cllr George Whitlock"),)),
    )  # fmt: skip


def parish_meeting(stage: str = "approved") -> MeetingView:
    """The January meeting; approved and signed at February's, unless ``stage`` is a draft."""
    meeting = MeetingView(
        id="m-2027-01", group_id="g-ashcombe", group_name="Ashcombe Parish Council",
        title="Ordinary meeting of the council", starts_at="2027-01-14T19:30",
        summons_by="2027-01-08", body="Full council",
        place="Ashcombe Village Hall, Church Lane", mode="in_person", chair=CHAIR,
        clerk=CLERK, stage=stage,
        public="4 members of the public; PCSO Dan Reilly; Cllr Beth Moore (Westshire County"
        " Council)",
        attendees=_people(), items=_items(),
    )  # fmt: skip
    if stage in ("draft", "circulated"):
        return meeting
    return replace(
        meeting,
        approval=Approval(
            "m-2027-02", "the ordinary meeting of the council", "2027-02-11", CLERK,
            "dev-clerk", "5b0e6f1c9a2d4e8b7c3f1a0d9e8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c",
        ),
        signature=Signature(CHAIR, "2027-02-11T21:05", "dev-0"),
    )  # fmt: skip


FILLER = tuple(
    str.split(
        "Members discussed the matter at some length, noting the views of residents, the"
        " advice of the Clerk and the cost to the council over the coming year"
    )
)


def large_meeting(items: int = 40, words: int = 2000) -> MeetingView:
    """A long agenda: ``items`` items sharing ``words`` words of minutes, each resolved."""
    base = parish_meeting()
    per_item = max(words // items, 1)
    made = []
    for n in range(1, items + 1):
        text = " ".join(FILLER[(n + i) % len(FILLER)] for i in range(per_item))
        made.append(
            Item(
                f"i{n}", n, f"Item of business number {n}", f"27/{n:03d}",
                minutes=f"{text[:1].upper()}{text[1:]}.",
                papers=(Paper(f"p{n}", f"Report {n}.pdf", 40_000 + n),),
                resolutions=(Resolution(f"r{n}", f"that recommendation {n} be adopted",
                                        n % 5 != 0, Vote(for_=4, against=1, abstain=1),
                                        CHAIR, "Cllr Sarah Lin"),),
                actions=(Action(f"a{n}", f"i{n}", f"Carry out recommendation {n}", CLERK,
                                "2027-02-28"),) if n % 3 == 0 else (),
            )
        )  # fmt: skip
    return replace(base, items=tuple(made))
