"""What the sample parish group says: its people, discussions, polls and notes.

Plain data, kept apart from ``app.demo`` (which turns it into signed ops) so the words
can be read and changed without reading the code that writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

YOU = "@you"  # stands for this profile's member wherever an author is named

GROUP = {
    "name": "Ashcombe Parish Forum",
    "description": (
        "Where Ashcombe talks things over between parish council meetings: roads and"
        " planning, events, the green spaces and anything else that matters to the"
        " village. Be kind, stay on topic, and say so if you can help."
    ),
    "colour": "#2f6f4f",
    "emblem": "🌳",
}
CATEGORIES = ("General", "Off-topic", "Planning & Roads", "Events", "Green Spaces")
FALLBACK_NAME = "Sam Carter"  # this profile's member, where the profile has no name yet


@dataclass(frozen=True)
class Person:
    name: str
    role: str = "member"
    bio: str = ""
    interests: tuple[str, ...] = ()


# The first is the clerk who founded the forum; the first 30 join in its first weeks.
PEOPLE = (
    Person("Margaret Ellison", "organiser", "Parish clerk since 2011. Ask me about the"
           " council's calendar, the precept and who to ring at the county.",
           ("Parish council", "Local history")),
    Person("Janet Whitfield", "clerk", "Deputy clerk; I take the minutes.",
           ("Minutes", "Allotments")),
    Person("David Okafor", "organiser", "Chair of the parish council. Retired civil engineer.",
           ("Highways", "Planning")),
    Person("Priya Raman", bio="GP at the Ashcombe surgery, two kids at the primary school.",
           interests=("School run", "Play park")),
    Person("Tom Hargreaves", bio="Runs the Plough with my wife Sue.",
           interests=("Events", "Quiz night")),
    Person("Siobhan Kelly", bio="Walker, birder, litter picker.",
           interests=("Green spaces", "Wildlife", "Footpaths")),
    Person("Gareth Pryce", interests=("Cricket club", "Village hall")),
    Person("Helen Marsh", bio="Chair of the village hall committee.",
           interests=("Village hall", "Bookings")),
    Person("Ahmed Siddiqui", bio="Pharmacist. Happy to help with anything techy.",
           interests=("Speedwatch", "IT help")),
    Person("Wendy Clarke", interests=("Gardening", "Best kept village")),
    Person("Raj Malhotra", interests=("Planning", "Housing")),
    Person("Linda Foster", bio="Church warden at St Michael's.",
           interests=("Church", "Bell ringing")),
    Person("Peter Nowak", interests=("Cycling", "Highways")),
    Person("Olu Adeyemi", bio="New to Ashcombe in the spring — hello!",
           interests=("Running", "Events")),
    Person("Beata Kowalska", interests=("Allotments", "Composting")),
    Person("Colin Baxter", bio="Lived on Mill Road for forty years.",
           interests=("Local history",)),
    Person("Fiona Grant", interests=("Playgroup", "Fun day")),
    Person("Stuart Reid", interests=("Flooding", "Drainage")),
    Person("Angela Moss"),
    Person("Nigel Potter", bio="Tree warden for the parish.",
           interests=("Trees", "Green spaces")),
    Person("Kerry Walsh"),
    Person("Dylan Hughes", interests=("Youth club", "Football")),
    Person("Rachel Bennett", interests=("Library", "Book club")),
    Person("Ian Cartwright"),
    Person("Maureen O'Connor", interests=("Lunch club", "Knitting")),
    Person("Sunita Patel", interests=("Events", "Food")),
    Person("Graham Lowe", interests=("Speedwatch",)),
    Person("Chloe Evans"),
    Person("Martin Dixon", interests=("Footpaths", "Dog walking")),
    Person("Joan Pickering", bio="Friends of Ashcombe Pond, founder member.",
           interests=("Pond", "Wildlife")),
    Person("Emma Sutton"),
    Person("Hassan Ali", interests=("Cricket club",)),
    Person("Lucy Turner"),
    Person("Robert Mills"),
    Person("Claire Donnelly", interests=("Play park",)),
    Person("Ben Fletcher"),
    Person("Aisha Bello"),
    Person("Keith Robson"),
    Person("Natalie Shaw"),
    Person("Owen Griffiths"),
    Person("Patricia Lane"),
)  # fmt: skip
EARLY_MEMBERS = 30

EMOJI = ("👍", "👍", "👍", "👍", "❤️", "🎉", "😄", "🙏")


@dataclass(frozen=True)
class Reply:
    author: str
    body: str
    to: int | None = None  # the index (0: the opening post) of the post this answers
    edited: str | None = None  # the body its author later changed it to


@dataclass(frozen=True)
class Poll:
    question: str
    options: tuple[str, ...]
    weights: tuple[float, ...]
    multiple: bool = False
    voters: int = 20


@dataclass(frozen=True)
class Topic:
    category: str
    title: str
    author: str
    days_ago: float
    body: str
    replies: tuple[Reply, ...] = ()
    extra: int = 0  # further short replies from whoever is about
    pinned: bool = False
    resolved: bool = False
    poll: Poll | None = None
    followers: tuple[str, ...] = field(default=())


TOPICS = (
    Topic("General", "Welcome to the Ashcombe Parish Forum — please read first",
          "Margaret Ellison", 112,
          "Hello everyone, and welcome!\n\nThis forum is for **everyone who lives or works"
          " in Ashcombe**. A few ground rules:\n\n- Be kind. We are neighbours.\n- Keep to"
          " the category that fits, so people can follow only what they care about.\n-"
          " Personal data stays out of posts — use the members list to get in touch.\n-"
          " Urgent council matters still go to the clerk by phone.\n\nThe parish council"
          " meets on the **second Tuesday of each month** at the village hall, 7.30pm.",
          (Reply("David Okafor", "Thanks Margaret. Delighted to see this up and running."),
           Reply("Olu Adeyemi", "Hello all — moved to Orchard Close in April, glad to"
                 " find you here.", 0),
           Reply(YOU, "Welcome Olu! Do come along to the fun day in June.", 2)),
          extra=6, pinned=True),
    Topic("Planning & Roads", "Speeding on the B3227 through the village", "Graham Lowe", 96,
          "Cars are regularly doing 50+ past the school in the morning. I counted **14 in"
          " twenty minutes** on Tuesday.\n\nCould we:\n\n1. ask the county for a speed"
          " survey,\n2. restart Community Speedwatch, and\n3. get the SID sign moved nearer"
          " the school gate?",
          (Reply("Priya Raman", "Yes please. Crossing with two children there is"
                 " frightening."),
           Reply("Ahmed Siddiqui", "I did the Speedwatch training in Kenbury — happy to"
                 " coordinate. We need at least six volunteers."),
           Reply("David Okafor", "I've written to the county highways officer asking for"
                 " a survey. Will report back.", 0),
           Reply("Peter Nowak", "Count me in for Speedwatch, weekday mornings work.", 2)),
          extra=9, poll=Poll("Which measure should we push for first?",
                             ("Speed survey", "Community Speedwatch", "Move the SID sign"),
                             (3, 5, 2), voters=24),
          followers=("Priya Raman", "Ahmed Siddiqui")),
    Topic("Green Spaces", "Spring litter pick — Saturday 22 March", "Siobhan Kelly", 88,
          "The spring litter pick is on **Saturday 22 March, 10am** from the village hall"
          " car park.\n\nWe'll provide grabbers, bags and hi-vis. Bring:\n\n- gloves\n-"
          " sturdy shoes\n- a flask!\n\nChildren welcome with an adult. See the *Litter"
          " pick kit list* note for what's in the store.",
          (Reply("Martin Dixon", "I'll do the lane down to the ford as usual."),
           Reply("Fiona Grant", "Bringing three from the Beavers group."),
           Reply("Siobhan Kelly", "Thank you all — **41 bags** collected, and a shopping"
                 " trolley from the stream. Photos on the noticeboard.")),
          extra=5, resolved=True),
    Topic("Events", "Summer fun day — ideas and helpers", "Fiona Grant", 80,
          "We've booked the recreation ground for **Saturday 14 June**. Ideas so far:\n\n"
          "- dog show\n- cake stall (WI)\n- tug of war, pub vs. cricket club\n- bouncy"
          " castle\n\nWhat else? And who can help set up from 9am?",
          (Reply("Tom Hargreaves", "The Plough will do a barbecue and a bar, as last"
                 " year. Tug of war challenge accepted."),
           Reply("Hassan Ali", "Cricket club will be there. You will lose, Tom.", 1),
           Reply("Sunita Patel", "Could we have a world food stall? I can organise it."),
           Reply(YOU, "Lovely idea Sunita. I can help set up and do the raffle.")),
          extra=11, poll=Poll("Which new attraction should we add?",
                              ("Dog show", "Duck race on the stream", "Classic cars",
                               "Face painting"),
                              (4, 5, 2, 3), multiple=True, voters=27),
          followers=(YOU, "Sunita Patel")),
    Topic("Planning & Roads", "Planning application: 12 homes on land off Mill Road",
          "Raj Malhotra", 74,
          "Application **24/01873/FUL** is on the district council's portal. Comments"
          " close on **3 May**.\n\nThe main points I can see:\n\n- access is from Mill"
          " Road, which floods by the bridge\n- 4 of the 12 are affordable\n- the hedge"
          " along the footpath would go\n\nThe parish council will discuss it on the 9th.",
          (Reply("Stuart Reid", "The flooding point is the big one. The culvert can't"
                 " cope now."),
           Reply("Colin Baxter", "That field has been under water three winters in"
                 " five."),
           Reply("Janet Whitfield", "It's item 5 on the agenda. Members of the public may"
                 " speak for three minutes each.", 0),
           Reply("Raj Malhotra", "Thanks Janet. I'll put my name down to speak.")),
          extra=8, followers=("Stuart Reid",)),
    Topic("General", "Village hall heating — quotes in", "Helen Marsh", 70,
          "We have three quotes to replace the hall's boiler:\n\n| Firm | Price |\n|---|---|"
          "\n| Kenbury Heating | £6,850 |\n| A. Lewis & Son | £7,420 |\n| Westshire Gas |"
          " £5,990 |\n\nThe committee favours **air-source** if the grant comes through.",
          (Reply("Gareth Pryce", "Westshire did the school and it was a saga. Worth"
                 " asking the head."),
           Reply("Helen Marsh", "Good tip, will do.", 1)),
          extra=4),
    Topic("Green Spaces", "Wildflower verge on Church Lane", "Wendy Clarke", 66,
          "Could we leave the verge on Church Lane uncut until August this year? The"
          " county has a **No Mow May** scheme and will put up signs.",
          (Reply("Nigel Potter", "Strongly support. Cowslips there last year."),
           Reply("Linda Foster", "As long as the sightline at the church gate stays"
                 " clear for cars pulling out."),
           Reply("Wendy Clarke", "Yes — we'd keep a metre strip mown at the edge.", 2)),
          extra=6, poll=Poll("Leave the Church Lane verge to grow until August?",
                             ("Yes", "No", "Only part of it"), (7, 1, 2), voters=22)),
    Topic("Off-topic", "Lost cat — ginger tom, Orchard Close", "Chloe Evans", 61,
          "Our cat **Marmalade** hasn't been home since Sunday night. Ginger, white"
          " chest, very friendly, chipped. Please check sheds and garages!",
          (Reply("Maureen O'Connor", "Will look in our garage this evening."),
           Reply("Chloe Evans", "He's home! Found shut in the cricket pavilion. Thank"
                 " you all so much ❤️")),
          extra=3, resolved=True),
    Topic("Planning & Roads", "Pothole outside the post office", "Peter Nowak", 58,
          "There's a deep pothole by the post office kerb. Nearly came off my bike."
          " I've reported it on the county's site (ref **HW-448120**).",
          (Reply("Kerry Walsh", "Reported it too. The more reports the better."),
           Reply("David Okafor", "Fixed this morning — thanks for reporting.")),
          extra=2, resolved=True),
    Topic("Events", "Quiz night at the Plough — Friday 25 April", "Tom Hargreaves", 55,
          "Teams of up to six, **£2 a head**, all proceeds to the village hall"
          " heating fund. Starts 8pm.",
          (Reply("Rachel Bennett", "Book club team entered. Again."),
           Reply("Dylan Hughes", "Youth club will bring a team if under-18s are ok?"),
           Reply("Tom Hargreaves", "Of course, until 9.30.", 2,
                 edited="Of course, until 9.30 — and there's a junior round this time!")),
          extra=7),
    Topic("General", "Defibrillator at the phone box — training session", "Priya Raman",
          52,
          "The defibrillator in the old phone box is registered and checked weekly. I'm"
          " running a **free 90-minute session** on using it and on CPR at the hall.",
          (Reply("Angela Moss", "Very important. Could it be an evening?"),
           Reply("Priya Raman", "Tuesday 6 May, 7pm. Twelve places.", 0),
           Reply("Ian Cartwright", "Please put me down."),
           Reply(YOU, "Me too — and thank you for doing this.")),
          extra=6, pinned=True),
    Topic("Green Spaces", "Allotment waiting list and water troughs", "Beata Kowalska", 49,
          "There are **9 people** on the waiting list. Could we split the two"
          " overgrown plots at the top? Also the trough by plot 14 leaks.",
          (Reply("Wendy Clarke", "Half plots would suit lots of people."),
           Reply("Janet Whitfield", "I'll add the trough to the maintenance list.")),
          extra=4),
    Topic("Off-topic", "Recommendations for a local electrician?", "Natalie Shaw", 46,
          "Need a few sockets moved. Anyone used someone local they'd recommend?",
          (Reply("Keith Robson", "Dan Moore in Kenbury. Reliable and tidy."),
           Reply("Lucy Turner", "Second Dan. Turned up when he said he would!")),
          extra=2),
    Topic("Planning & Roads", "Bus 41 timetable changes from June", "Maureen O'Connor", 43,
          "The 41 will no longer run after **6.15pm** on weekdays. That leaves people"
          " without cars stuck after work. Can the council object?",
          (Reply("David Okafor", "We have written to the operator and our county"
                 " councillor. Copy of the letter in the notes."),
           Reply("Rachel Bennett", "This will hit the library evening sessions too.")),
          extra=7, followers=("Maureen O'Connor",)),
    Topic("Events", "Remembrance Sunday — wreath and road closure", "Linda Foster", 40,
          "The service at the war memorial is at **10.50am**. We need two marshals for"
          " the road closure between 10.30 and 11.30.",
          (Reply("Stuart Reid", "I'll marshal."), Reply("Robert Mills", "Me too.")),
          extra=3),
    Topic("Green Spaces", "Pond clearance work party", "Joan Pickering", 37,
          "The pond needs its annual clear-out before the frogs arrive. Waders provided"
          " for the brave. **Sunday 10am.**",
          (Reply("Siobhan Kelly", "I'll bring tea and the big rake."),
           Reply("Joan Pickering", "Thank you — we pulled out a whole bike!")),
          extra=5, resolved=True),
    Topic("General", "Parish council minutes — April", "Janet Whitfield", 34,
          "The draft minutes of the April meeting are in the notes. Main decisions:\n\n"
          "- **£1,200** towards the hall boiler\n- support for Speedwatch\n- objection to"
          " the bus cuts\n\nComments before the next meeting, please.",
          (Reply("Raj Malhotra", "Could the planning item record the vote count?"),
           Reply("Janet Whitfield", "Yes, added: 6 for, 1 against.", 1)),
          extra=2),
    Topic("Events", "Christmas lights switch-on", "Sunita Patel", 31,
          "Starting early this year! We'd like a proper switch-on with carols and mulled"
          " wine on **Saturday 29 November**. Who's in?",
          (Reply("Tom Hargreaves", "The Plough can host the mulled wine."),
           Reply("Linda Foster", "The choir would love to sing."),
           Reply(YOU, "I'll ask the primary school about a lantern parade.")),
          extra=6, poll=Poll("Best time for the switch-on?", ("4pm", "5pm", "6pm"),
                             (2, 5, 3), voters=18)),
    Topic("Planning & Roads", "Parking on the pavement on School Lane", "Claire Donnelly", 28,
          "Buggies and wheelchairs have to go into the road at drop-off. Could we ask"
          " the school to remind parents, and the police to visit?",
          (Reply("Priya Raman", "The school newsletter could carry a reminder."),
           Reply("Graham Lowe", "PCSO is coming to the next Speedwatch session; I'll"
                 " ask.")),
          extra=5),
    Topic("Off-topic", "Best walk in the parish?", "Martin Dixon", 25,
          "Settle an argument: is the best walk the ridge path or the river loop?",
          (Reply("Siobhan Kelly", "River loop at dawn, for the kingfishers."),
           Reply("Owen Griffiths", "Ridge path. The view from the trig point!"),
           Reply("Colin Baxter", "The old drovers' road, which nobody walks any more.")),
          extra=8),
    Topic("Green Spaces", "Tree planting on the recreation ground", "Nigel Potter", 22,
          "The Woodland Trust has offered **105 free saplings**. Proposed mix:\n\n- 40"
          " hawthorn\n- 30 hazel\n- 20 field maple\n- 15 crab apple\n\nPlanting day in"
          " late November.",
          (Reply("Dylan Hughes", "Youth club will plant a row."),
           Reply("Gareth Pryce", "Please keep them away from the cricket square!"),
           Reply("Nigel Potter", "Along the north hedge only, promise.", 1)),
          extra=6, followers=(YOU,)),
    Topic("General", "Broadband upgrade — fibre coming to Ashcombe", "Ahmed Siddiqui", 19,
          "Openreach has confirmed fibre to the premises for most of the village by"
          " spring. Outlying farms may need the **voucher scheme**.",
          (Reply("Patricia Lane", "Will the farms on the ridge be included?"),
           Reply("Ahmed Siddiqui", "Not yet — I'll gather names for a voucher bid.", 0)),
          extra=4),
    Topic("Events", "Lunch club restarting in the hall", "Maureen O'Connor", 16,
          "Lunch club is back on **Wednesdays at 12.30**, £5 for two courses. Lifts"
          " available — ask me.",
          (Reply("Angela Moss", "Wonderful news. I can drive on the first Wednesday."),),
          extra=4),
    Topic("Planning & Roads", "Flooding at the ford — road closed again", "Stuart Reid", 13,
          "The ford road is closed after the weekend's rain. The county has put signs"
          " up but **sat-navs still send lorries through**.",
          (Reply("Colin Baxter", "Third time this year."),
           Reply("David Okafor", "I've asked the county to report it to the sat-nav"
                 " companies.")),
          extra=5),
    Topic("Green Spaces", "Dog bins on the river path", "Emma Sutton", 11,
          "The bin at the stile is overflowing every weekend. Could we ask for a second"
          " one, or more frequent emptying?",
          (Reply("Martin Dixon", "Agree. I've been carrying bags home."),),
          extra=4),
    Topic("Off-topic", "Anyone for a running group?", "Olu Adeyemi", 9,
          "Thinking of a **beginners' running group**, Tuesday evenings, from the hall."
          " Couch to 5k pace. Interested?",
          (Reply("Aisha Bello", "Yes!"), Reply("Ben Fletcher", "I'll come along."),
           Reply("Olu Adeyemi", "Great — first run next Tuesday, 6.30pm.")),
          extra=5),
    Topic("General", "Volunteers for the village newsletter", "Rachel Bennett", 7,
          "The newsletter needs a new editor and two people to help with delivery on"
          " the estate. It's about **two hours a month**.",
          (Reply("Lucy Turner", "I can help with delivery on Orchard Close."),),
          extra=3),
    Topic("Events", "Fun day debrief — what worked?", "Fiona Grant", 5,
          "Thanks to everyone who helped! We raised **£2,340**. What should we keep,"
          " drop or change next year?",
          (Reply("Sunita Patel", "The world food stall sold out by 2pm — bigger next"
                 " year."),
           Reply("Tom Hargreaves", "We lost the tug of war. Rematch in 2026."),
           Reply(YOU, "More shade and water for the dog show, please.")),
          extra=4),
    Topic("Planning & Roads", "Streetlight out on Orchard Close", "Ben Fletcher", 3,
          "The light by number 14 has been out for a week. Reported to the county, ref"
          " **SL-20977**.",
          (Reply("Kerry Walsh", "The one by the footpath is flickering too."),),
          extra=1),
    Topic("Green Spaces", "Hedgehog highway — holes in fences", "Joan Pickering", 2,
          "Could neighbours cut a **13cm hole** at the bottom of garden fences? It lets"
          " hedgehogs roam. We have signs to mark them.",
          (Reply("Wendy Clarke", "Done ours this morning!"),),
          extra=2),
)  # fmt: skip

# Short answers that fit any thread, from whoever happens to be about.
CHATTER = (
    "Thanks for organising this.",
    "Agreed — good idea.",
    "+1 from me.",
    "Thanks for the update.",
    "Really helpful, thank you.",
    "I'll mention it to my neighbours.",
    "Shared on the village Facebook page too.",
    "Could we talk about this at the next council meeting?",
    "Happy to help if needed — just shout.",
    "Is there anything people can do in the meantime?",
    "Great to see this moving.",
    "I wasn't aware of this, thanks for flagging it.",
    "Sounds sensible to me.",
    "Put me down as interested.",
    "Good point, I hadn't thought of that.",
    "Thank you for all your work on this.",
    "Let us know how it goes.",
    "Any idea of the timescale?",
    "Brilliant, well done all.",
    "Can we add this to the noticeboard as well?",
    "I'll bring it up at the WI meeting on Thursday.",
    "Seconded.",
    "Is there a deadline for this?",
    "Very glad someone raised this.",
)

THROWAWAY = Topic("General", "test - please ignore", "Kerry Walsh", 60, "Just checking this works!")


@dataclass(frozen=True)
class Note:
    title: str
    author: str
    days_ago: float
    text: str
    additions: tuple[tuple[str, str], ...] = ()  # (author, lines added later)


NOTES = (
    Note("Village hall booking rules", "Helen Marsh", 100,
         "# Village hall booking rules\n\n**Bookings** through Helen (committee chair).\n\n"
         "## Rates\n\n- Main hall: £14 an hour (£9 for local groups)\n- Small room: £8"
         " an hour\n- Kitchen: included\n\n## Please\n\n1. Stack chairs in sixes on the"
         " trolleys.\n2. Turn the heating down to 12°C.\n3. Take all rubbish home.\n4."
         " Lock both doors and return the key to the post office.\n",
         (("Janet Whitfield", "\n**Deposit:** £50, returned if the hall is left tidy.\n"),)),
    Note("Litter pick kit list", "Siobhan Kelly", 90,
         "# Litter pick kit\n\nIn the store behind the hall:\n\n- 24 grabbers\n- 30"
         " hi-vis vests (6 child sizes)\n- 2 boxes of gloves\n- 200 bags (black: general,"
         " clear: recycling)\n- sharps box and tongs — **adults only**\n- first aid kit\n",
         (("Martin Dixon", "- 2 bag hoops (new, donated by the hardware shop)\n"),)),
    Note("Useful numbers", "Margaret Ellison", 108,
         "# Useful numbers\n\n- County highways: 0300 555 0190\n- District planning:"
         " 01632 960 412\n- Non-emergency police: 101\n- Surgery: 01632 960 233\n- Clerk"
         " (office hours): 01632 960 871\n"),
    Note("Grant funding ideas", "David Okafor", 64,
         "# Grants we could apply for\n\n- **Community Energy Fund** — hall heating\n-"
         " Woodland Trust free trees — done, 105 saplings\n- County highways small"
         " schemes — SID sign\n- Lottery Awards for All — fun day kit\n",
         (("Helen Marsh", "- Westshire Community Foundation — up to £5,000 for halls\n"),
          (YOU, "- Tesco Stronger Starts — the youth club could apply\n"))),
    Note("Forum meeting notes — March", "Janet Whitfield", 84,
         "# Forum meeting, 11 March\n\nPresent: 14 members.\n\n## Actions\n\n- [ ]"
         " David: letter to highways on speeding\n- [x] Siobhan: book the litter pick\n-"
         " [ ] Helen: three boiler quotes\n- [ ] Ahmed: Speedwatch volunteers\n"),
)  # fmt: skip
