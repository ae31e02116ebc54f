"""A group's welcome and code of conduct reach each newcomer once, on every laptop they
join from, and never the organiser who wrote them or members of long standing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.clock import DAY_MS, HybridClock, wall_ms
from app.services import groups, members
from app.store import Store
from tests.moot_cli import run_moot
from tests.support import deliver, ops_of
from ui.context import AppContext
from ui.welcome_dialog import WelcomeDialog
from ui.window import MainWindow

MakeStore = Callable[[str], Store]
WELCOME = "Hello and welcome! We meet on the **first Tuesday** of the month."
CONDUCT = "Be kind. Disagree with ideas, not people."


def test_a_newcomer_reads_the_welcome_once_and_an_old_hand_not_at_all(
    make_store: MakeStore,
) -> None:
    ann, old, new = make_store("ann"), make_store("old"), make_store("new")
    long_ago = wall_ms() - 90 * DAY_MS
    ann.clock = HybridClock(now_ms=lambda: long_ago)  # the group began three months ago
    group = groups.create_group(store=ann, name="Friends of the Park")
    members.admit(store=ann, group_id=group, device=old.device_id, display_name="Old Hand")
    ann.clock = HybridClock(ann.clock.last)
    groups.set_welcome(store=ann, group_id=group, welcome=WELCOME, conduct=CONDUCT)
    members.admit(store=ann, group_id=group, device=new.device_id, display_name="New Face")
    for laptop in (old, new):
        deliver(ops_of(ann), laptop)

    assert groups.welcome_to_show(store=ann, group_id=group) is None  # she wrote it
    assert groups.welcome_to_show(store=old, group_id=group) is None  # a member for months
    shown = groups.welcome_to_show(store=new, group_id=group)
    assert shown is not None
    assert (shown.welcome, shown.conduct) == (WELCOME, CONDUCT)
    groups.mark_welcomed(store=new, group_id=group)
    assert groups.welcome_to_show(store=new, group_id=group) is None


def test_the_newcomers_window_shows_the_welcome_once(qtbot: QtBot, make_store: MakeStore) -> None:
    ann, new = make_store("ann"), make_store("new")
    group = groups.create_group(store=ann, name="Friends of the Park")
    groups.set_welcome(store=ann, group_id=group, welcome=WELCOME, conduct=CONDUCT)
    members.admit(store=ann, group_id=group, device=new.device_id, display_name="New Face")
    deliver(ops_of(ann), new)

    window = MainWindow(AppContext(new))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.welcome_dialog is not None)
    dialog = window.welcome_dialog
    assert isinstance(dialog, WelcomeDialog)
    assert dialog.windowTitle() == "Welcome to Friends of the Park"
    shown = dialog.text.toPlainText()
    assert "first Tuesday" in shown
    assert "How we talk to each other" in shown
    assert "**" not in shown  # read as Markdown
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: groups.welcome_to_show(store=new, group_id=group) is None)
    window.ctx.tasks.wait()
    window.close()

    again = MainWindow(AppContext(new))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.ctx.group_id == group)
    again.ctx.tasks.wait()
    assert again.welcome_dialog is None
    again.ctx.tasks.wait()


def test_moot_welcome_set_and_show(make_store: MakeStore, tmp_path: Path) -> None:
    ann = make_store("ann")
    group = groups.create_group(store=ann, name="Friends of the Park")
    folder = ann.settings.data_dir
    ann.close()
    conduct = tmp_path / "conduct.md"
    conduct.write_text(CONDUCT, encoding="utf-8")
    done = run_moot(folder, "welcome", "set", group, WELCOME, "--code-of-conduct", conduct)
    assert done.returncode == 0, done.stderr
    assert "Newcomers will read the welcome and the code of conduct" in done.stdout
    shown = json.loads(run_moot(folder, "--json", "welcome", "show", group).stdout)
    assert shown == {"welcome": WELCOME, "conduct": CONDUCT}
    missing = run_moot(folder, "welcome", "set", group, "Hi", "--code-of-conduct", tmp_path / "x")
    assert missing.returncode == 1
    assert "No such file" in missing.stderr
    shown = json.loads(run_moot(folder, "--json", "welcome", "show", group).stdout)
    assert shown["welcome"] == WELCOME  # the refusal changed nothing
