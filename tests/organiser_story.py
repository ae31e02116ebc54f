"""A group's history with known facts for the organiser's overview: four months told on
laptops that share one clock the story moves on (two unanswered discussions, a silent
newcomer, a regular gone quiet, an open poll, an overdue action)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from app.clock import DAY_MS, HybridClock, wall_ms
from app.services import discussions, groups, meetings, members, polls
from app.store import Store
from tests.support import deliver, ops_of

MakeStore = Callable[[str], Store]
STORY_DAYS = 120  # the story ends now: day 120


@dataclass
class Story:
    """Laptops sharing one clock that starts 120 days ago and that the story moves on."""

    make_store: MakeStore
    start_ms: int = field(default_factory=lambda: wall_ms() - STORY_DAYS * DAY_MS)
    day: float = 0
    laptops: dict[str, Store] = field(default_factory=dict)

    def now_ms(self) -> int:
        return self.start_ms + int(self.day * DAY_MS)

    def laptop(self, name: str) -> Store:
        store = self.make_store(name)
        store.clock = HybridClock(now_ms=self.now_ms)
        self.laptops[name] = store
        return store

    def on(self, day: float) -> None:
        assert day >= self.day, "the story runs forwards"
        self.day = day

    def share(self) -> None:
        """Every laptop gets every op (as a sync would), each at the story's time."""
        everything = [op for store in self.laptops.values() for op in ops_of(store)]
        for store in self.laptops.values():
            deliver(everything, store)


@dataclass
class Facts:
    store: Store
    group: str
    names: dict[str, str]  # laptop name -> device
    unanswered: list[str]  # discussion ids, oldest first
    poll: str
    off_topic_posts: int
    posts: int
    first_replies_s: list[float]
    overdue_action: str


def tell(make_store: MakeStore) -> Facts:
    story = Story(make_store)
    ann = story.laptop("ann")  # the organiser
    group = groups.create_group(store=ann, name="Millbrook Residents")
    groups.rename_me(store=ann, name="Ann")
    people = {name: story.laptop(name) for name in ("bob", "cat", "frank")}
    for name, store in people.items():
        members.admit(store=ann, group_id=group, device=store.device_id, display_name=name.title())
    story.share()

    # Day 10: a discussion Bob answers on day 30, 20 days on.
    story.on(10)
    allotments, _ = discussions.start_discussion(
        store=ann, group_id=group, title="Allotment waiting list", body="Who is on it?"
    )
    story.share()
    story.on(30)
    discussions.reply(store=people["bob"], discussion_id=allotments, body="I am, since May")

    # A pinned notice and a locked discussion ask for no replies; neither is "unanswered".
    story.on(50)
    notice, _ = discussions.start_discussion(
        store=ann, group_id=group, title="Bin days over Christmas", body="See the leaflet"
    )
    discussions.update_discussion(store=ann, discussion_id=notice, pinned=True)
    closed, _ = discussions.start_discussion(
        store=ann, group_id=group, title="Old fete planning", body="Done, thanks all"
    )
    discussions.update_discussion(store=ann, discussion_id=closed, locked=True)

    # Bob keeps coming until day 80, then goes quiet.
    for day in (60, 70, 80):
        story.on(day)
        discussions.reply(store=people["bob"], discussion_id=allotments, body=f"Day {day} news")
    story.share()

    # Two discussions nobody has answered: Ann's, and Cat's, where only Cat wrote again.
    story.on(100)
    speed, _ = discussions.start_discussion(
        store=ann, group_id=group, title="Speed watch volunteers?", body="Two needed"
    )
    story.share()
    story.on(105)
    bench, _ = discussions.start_discussion(
        store=people["cat"], group_id=group, title="A bench on the green", body="Anyone?"
    )
    story.on(106)
    discussions.reply(store=people["cat"], discussion_id=bench, body="Or two benches")
    story.share()

    # Day 110 Dan joins and names himself, but never posts.
    story.on(110)
    people["dan"] = dan = story.laptop("dan")
    members.admit(store=ann, group_id=group, device=dan.device_id)
    story.share()
    story.on(111)
    groups.rename_me(store=dan, name="Dan")

    # Day 115 Ann asks about the hall; Cat answers four days later, and votes. Erin joins
    # on day 117.
    story.on(115)
    hall, _ = discussions.start_discussion(
        store=ann, group_id=group, title="Hall hire prices", body="Up or not?"
    )
    poll = polls.create_poll(
        store=ann, discussion_id=hall, question="Raise the hall price?", options=["Yes", "No"]
    )
    story.share()
    story.on(117)
    people["erin"] = erin = story.laptop("erin")
    members.admit(store=ann, group_id=group, device=erin.device_id, display_name="Erin")
    story.share()
    story.on(119)
    discussions.reply(store=people["cat"], discussion_id=hall, body="Keep them as they are")
    polls.vote(store=people["cat"], poll_id=poll, choices=["No"])
    lost_cat, _ = discussions.start_discussion(
        store=people["cat"],
        group_id=group,
        title="Lost cat, ginger",
        body="Seen him?",
        category="Off-topic",
    )
    story.share()
    discussions.reply(store=ann, discussion_id=lost_cat, body="Not yet, will look")

    # An action from a meeting, due a week ago and still open.
    meeting = meetings.create_meeting(
        store=ann,
        group_id=group,
        title="Residents' meeting",
        starts_at="2026-01-10T19:00",
    )
    item = meetings.add_item(store=ann, meeting_id=meeting, title="Hedges")
    due = story.start_ms + (STORY_DAYS - 7) * DAY_MS
    action = meetings.add_action(
        store=ann, item_id=item, text="Write to the landlord", owner="Bob", due=_iso_day(due)
    )
    meetings.add_action(store=ann, item_id=item, text="Thank the volunteers", due="2999-01-01")
    story.share()
    story.on(STORY_DAYS)

    devices = {name: store.device_id for name, store in story.laptops.items()}
    return Facts(
        store=ann,
        group=group,
        names=devices,
        unanswered=[speed, bench],
        poll=poll,
        off_topic_posts=2,
        # Allotments 5, notice 1, locked 1, speed 1, bench 2, hall 2, lost cat 2.
        posts=14,
        first_replies_s=[20 * DAY_MS / 1000, 4 * DAY_MS / 1000, 0.0],
        overdue_action=action,
    )


def _iso_day(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).date().isoformat()
