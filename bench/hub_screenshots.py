"""Pictures of the officers' pages on a real hub, taken in headless Chromium.

Run from the repository root:

    .venv/bin/python -m bench.hub_screenshots [--out resources/screenshots] [--size 1280x900]

It starts ``moot-hub serve`` on a new SQLite database, founds three groups, gives each
a few laptops (profiles in a temporary folder), makes an administrator with
``moot-hub officer add`` and publishes a consultation with ``moot-hub consultation``.
Two groups' clerks answer it on their laptops and sync. Then Chromium sets the
officer's password from the printed link, signs in and saves a PNG of each page; a
page taller than the window is taken whole.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.services import consultations, meetings
from app.services.groups import set_my_name
from app.store import Store, open_store
from sync import hubs
from sync.hub.local import create_group, hub_cli, make_invite, running_hub, sqlite_url

REPO_ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long and private passphrase"
EMAIL = "sam.patel@westshire.example"
GROUPS = (
    ("Ashby Parish Council", ("Jo Whitfield", "Ravi Shah", "Ellen Marsh", "Tom Price")),
    ("Mill Lane Residents", ("Priya Nair", "Owen Hughes", "Grace Lee")),
    ("Station Road Allotments", ("Bill Carter", "Ada Moss")),
)
QUESTIONS = [
    {
        "type": "scale",
        "text": "Should the county set a 20 mph limit on Station Road between the school "
        "and the green?",
    },
    {
        "type": "choice",
        "text": "Which would help most?",
        "options": ["A zebra crossing", "Speed cushions", "A vehicle-activated sign"],
    },
    {"type": "text", "text": "Where do people cross now, and what makes it hard?"},
]
BACKGROUND = (
    "The county council is reviewing speed limits on the A-road network. Station Road "
    "carries **6,200 vehicles a day** past the primary school.\n\n"
    "- Surveys in May measured an average of 31 mph outside the school.\n"
    "- The county can fund one measure in 2027/28."
)
ANSWERS = {
    "Ashby Parish Council": (
        "Agree",
        "A zebra crossing",
        "By the school gates at 8:40, where parked cars hide children from drivers.",
        ("27/014", 7, 2, 0),
    ),
    "Mill Lane Residents": (
        "Strongly agree",
        "Speed cushions",
        "At the bus stop by the green; the kerb is high and there is no dropped kerb.",
        None,
    ),
}


@dataclass(frozen=True)
class Council:
    base: str
    link: str  # the officer's set-password link, on this hub's address
    groups: dict[str, str]  # name -> id
    consultation: str


def _laptop(folder: Path, name: str) -> Store:
    store = open_store(folder / name.replace(" ", "-").lower(), use_keyring=False)
    set_my_name(store=store, name=name)
    return store


def _respond(store: Store, group: str, name: str) -> None:
    scale, choice, text, vote = ANSWERS[name]
    [listed] = consultations.list_consultations(store=store, group_id=group)
    consultation = listed.id  # its id in this group's log
    consultations.answer(store=store, consultation_id=consultation, question=1, value=scale)
    consultations.answer(store=store, consultation_id=consultation, question=2, value=choice)
    consultations.answer(store=store, consultation_id=consultation, question=3, value=text)
    if vote is None:
        consultations.submit(store=store, consultation_id=consultation, how="organiser")
        return
    minute, votes_for, against, abstain = vote
    meeting = meetings.create_meeting(
        store=store, group_id=group, title="Parish council", starts_at="2027-03-10T19:30"
    )
    consultations.submit(
        store=store,
        consultation_id=consultation,
        how="meeting",
        meeting=meeting,
        minute=minute,
        votes_for=votes_for,
        votes_against=against,
        votes_abstain=abstain,
    )


@contextmanager
def sample_council(folder: Path) -> Iterator[Council]:
    db = sqlite_url(folder)
    with running_hub(db, name="Westshire Council hub") as base:
        groups = {name: create_group(db, name) for name, _people in GROUPS}
        clerks: dict[str, Store] = {}
        for name, people in GROUPS:
            for i, person in enumerate(people):
                store = _laptop(folder, person)
                role = "organiser" if i == 0 else "member"
                hubs.join_hub(
                    store=store, hub_url=base, code=make_invite(db, groups[name], role=role)
                )
                if i == 0:
                    clerks[name] = store
                else:
                    store.close()
        link = str(hub_cli(db, "officer", "add", EMAIL, "--name", "Sam Patel", "--admin")["link"])
        questions = folder / "questions.json"
        questions.write_text(json.dumps(QUESTIONS), encoding="utf-8")
        background = folder / "background.md"
        background.write_text(BACKGROUND, encoding="utf-8")
        made = hub_cli(
            db,
            "consultation", "create",
            "--title", "Speed and crossings on Station Road",
            "--closes", "2099-03-31",
            "--groups", ",".join(groups.values()),
            "--questions", str(questions),
            "--background", str(background),
            "--contact", "Sam Patel, Highways liaison, 01632 960 123",
        )  # fmt: skip
        consultation = str(made["id"])
        hub_cli(db, "consultation", "publish", consultation)
        for name, store in clerks.items():
            hubs.sync_all(store=store)
            if name in ANSWERS:
                _respond(store, groups[name], name)
                hubs.sync_all(store=store)
            store.close()
        yield Council(base, base + link[link.index("/council/") :], groups, consultation)


def _whole_page(driver: Any, width: int, height: int, path: Path) -> None:
    full = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(width, max(height, min(full, 4000)))
    driver.save_screenshot(str(path))
    driver.set_window_size(width, height)


def take(out: Path, width: int, height: int) -> list[Path]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    from bench.chromium import chromium

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with (
        tempfile.TemporaryDirectory(prefix="moot-hub-shots-") as tmp,
        sample_council(Path(tmp)) as council,
        chromium() as driver,
    ):
        driver.set_window_size(width, height)

        def shot(name: str, path: str) -> None:
            driver.get(council.base + path)
            target = out / f"hub-{name}.png"
            _whole_page(driver, width, height, target)
            saved.append(target)

        driver.get(council.link)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.ID, "again").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        WebDriverWait(driver, 30).until(lambda d: "set-password" not in d.current_url)
        shot("sign-in", "/council/sign-in")
        driver.find_element(By.ID, "email").send_keys(EMAIL)
        driver.find_element(By.ID, "password").send_keys(PASSWORD + "\n")
        WebDriverWait(driver, 30).until(lambda d: "sign-in" not in d.current_url)
        ashby = council.groups["Ashby Parish Council"]
        shot("groups", "/council/")
        shot("group", f"/council/groups/{ashby}")
        shot("consultation-form", "/council/consultations/new")
        shot("consultation", f"/council/consultations/{council.consultation}")
        shot("responses", f"/council/consultations/{council.consultation}/responses")
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "resources" / "screenshots")
    parser.add_argument("--size", default="1280x900", help="the window, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.split("x"))
    for path in take(args.out, width, height):
        print(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
