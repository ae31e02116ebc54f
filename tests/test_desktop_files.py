"""What a Linux desktop, a software centre and a scheduler read of Moot is right.

The desktop entry and the AppStream metadata pass the tools distributions check them
with; the icon they name is installed at every size, each PNG showing what the SVG
draws today; the metadata's release is this one and its screenshots are real files;
the scheduled syncs (systemd, Windows Task Scheduler) run ``moot sync`` every 15
minutes, and ``moot sync`` is a command ``moot`` knows.
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import shlex
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from urllib.parse import urlparse

import pytest
from PySide6.QtGui import QImage

from ui.main import _window_args

REPO = Path(__file__).resolve().parents[1]
LINUX = REPO / "packaging" / "linux"
DESKTOP = LINUX / "org.moot.Moot.desktop"
METAINFO = LINUX / "org.moot.Moot.metainfo.xml"
SERVICE = LINUX / "moot-sync.service"
TIMER = LINUX / "moot-sync.timer"
WINDOWS_TASK = REPO / "packaging" / "windows" / "moot-sync.xml"
SCREENSHOTS = REPO / "resources" / "screenshots"
TASK_NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}

# A pixel counts as changed when a channel is off by more than this (of 255): another
# build of Qt may round an anti-aliased edge differently, a changed drawing moves more.
CHANNEL_TOLERANCE = 6
CHANGED_SHARE = 0.002  # of the pixels, at most


def _load_make_icons() -> ModuleType:
    # Loaded from its path: ``packaging`` as a package name is the PyPI library's.
    spec = importlib.util.spec_from_file_location("make_icons", LINUX / "make_icons.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_icons = _load_make_icons()


def _run(
    command: list[str], *, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian package {package})")
    return path


def _unit(path: Path) -> configparser.ConfigParser:
    # Unit files repeat some keys and use % for their own specifiers.
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read(path, encoding="utf-8")
    return parser


def _release() -> str:
    version: str = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    return version


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header, without decoding it."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def _changed_pixels(a: QImage, b: QImage) -> int:
    """How many pixels of two same-sized images differ by more than the tolerance."""
    assert a.size() == b.size()
    fmt = QImage.Format.Format_RGBA8888_Premultiplied
    left = bytes(a.convertToFormat(fmt).constBits())
    right = bytes(b.convertToFormat(fmt).constBits())
    if left == right:
        return 0
    changed = 0
    for start in range(0, len(left), 4):
        pa, pb = left[start : start + 4], right[start : start + 4]
        if pa != pb and max(abs(x - y) for x, y in zip(pa, pb, strict=True)) > CHANNEL_TOLERANCE:
            changed += 1
    return changed


# --- the desktop entry ------------------------------------------------------------------


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_entry_passes_desktop_file_validate() -> None:
    tool = _tool("desktop-file-validate", "desktop-file-utils")
    done = _run([tool, str(DESKTOP)])
    complaints = [
        line for line in done.stdout.splitlines() if "error:" in line or "warning:" in line
    ]
    assert (done.returncode, complaints) == (0, []), done.stdout + done.stderr


def test_the_desktop_entry_opens_the_window_and_matches_it() -> None:
    entry = _desktop_entry()
    command, *args = shlex.split(entry["Exec"])
    assert command in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert _window_args(args) is not None, "the menu entry would run a subcommand, not the app"
    assert entry["Terminal"] == "false"
    # A shell matches a window to its entry by the desktop file name Qt is given and, on
    # X11, by WM_CLASS, whose class Qt takes from the application name.
    gui = (REPO / "ui" / "gui.py").read_text()
    assert f'setDesktopFileName("{DESKTOP.stem}")' in gui
    assert f'setApplicationName("{entry["StartupWMClass"]}")' in gui
    assert entry["Name"] == "Moot"


def test_the_icon_the_desktop_entry_names_is_installed_at_every_size() -> None:
    name = _desktop_entry()["Icon"]
    assert name == make_icons.ICON_NAME
    hicolor = make_icons.HICOLOR
    assert (hicolor / "scalable" / "apps" / f"{name}.svg").is_file()
    installed = sorted(hicolor.glob(f"*/apps/{name}.png"), key=lambda p: _png_size(p)[0])
    sizes = [int(p.parts[-3].split("x")[0]) for p in installed]
    assert sizes == list(make_icons.SIZES)


# --- the icons --------------------------------------------------------------------------


def test_the_scalable_icon_is_moot_svg_made_standalone() -> None:
    scalable = make_icons.scalable_path()
    root = ET.parse(scalable).getroot()
    assert (root.get("width"), root.get("height")) == ("64", "64")
    assert root.findtext(f"{{{make_icons.SVG_NS}}}title") == "Moot"
    # The window's icon and the installed one draw the same picture.
    for size in (16, 256):
        drawn = make_icons.render(scalable, size)
        source = make_icons.render(make_icons.SOURCE, size)
        assert _changed_pixels(drawn, source) == 0, (
            "resources/icons/moot.svg changed: run packaging/linux/make_icons.py"
        )


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_each_png_is_its_size_and_shows_the_svg_as_drawn_now(size: int) -> None:
    path = make_icons.png_path(size)
    assert path.parent.parent.name == f"{size}x{size}"
    assert _png_size(path) == (size, size)
    png = QImage(str(path))
    assert not png.isNull()
    assert png.hasAlphaChannel()
    assert png.pixelColor(0, 0).alpha() == 0, "the rounded corners should be see-through"
    drawn = make_icons.render(make_icons.scalable_path(), size)
    changed = _changed_pixels(png, drawn)
    assert changed <= CHANGED_SHARE * size * size, (
        f"{changed} pixels of the {size}px PNG differ from the SVG: "
        "run packaging/linux/make_icons.py"
    )


# --- the AppStream metadata -------------------------------------------------------------


def test_the_metainfo_passes_appstreamcli_as_installed(tmp_path: Path) -> None:
    tool = _tool("appstreamcli", "appstream")
    # Laid out as installed, so the check also finds the desktop entry it launches.
    share = tmp_path / "usr" / "share"
    for folder, source in (("metainfo", METAINFO), ("applications", DESKTOP)):
        (share / folder).mkdir(parents=True)
        shutil.copy(source, share / folder / source.name)
    done = _run([tool, "validate-tree", "--no-net", str(tmp_path)])
    complaints = [
        line.strip() for line in done.stdout.splitlines() if line.strip()[:2] in ("E:", "W:")
    ]
    assert (done.returncode, complaints) == (0, []), done.stdout + done.stderr


def test_the_newest_release_is_the_version_in_pyproject() -> None:
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases, "no <release> in the metainfo"
    dates = [r.get("date", "") for r in releases]
    assert dates == sorted(dates, reverse=True), "releases go newest first"
    newest = releases[0]
    assert newest.get("version") == _release()
    assert newest.find("description/ul/li") is not None, "the release has no notes"


def test_every_screenshot_the_metainfo_names_is_in_the_repository() -> None:
    screenshots = ET.parse(METAINFO).getroot().findall("screenshots/screenshot")
    assert [s.get("type") for s in screenshots].count("default") == 1
    named = []
    for screenshot in screenshots:
        assert (screenshot.findtext("caption") or "").strip(), "a screenshot has no caption"
        image = screenshot.find("image")
        assert image is not None
        assert image.text
        url = urlparse(image.text.strip())
        assert url.scheme == "https"
        # The address ends with the image's path in this repository.
        _, found, rest = url.path.partition("/resources/screenshots/")
        assert found, f"{image.text} is not under resources/screenshots/"
        path = SCREENSHOTS / rest
        assert path.is_file(), f"{image.text} names {path.relative_to(REPO)}, which is missing"
        assert (int(image.get("width", 0)), int(image.get("height", 0))) == _png_size(path)
        named.append((screenshot.get("type"), path.name))
    assert named[0] == ("default", "discussions.png")


# --- syncing on a schedule --------------------------------------------------------------


def _scheduled_args() -> dict[str, list[str]]:
    """What each scheduler runs: the program, then its arguments."""
    command, *args = shlex.split(_unit(SERVICE)["Service"]["ExecStart"])
    exec_ = ET.parse(WINDOWS_TASK).getroot().find("t:Actions/t:Exec", TASK_NS)
    assert exec_ is not None
    return {
        "systemd": [command, *args],
        "windows": [
            exec_.findtext("t:Command", "", TASK_NS),
            *shlex.split(exec_.findtext("t:Arguments", "", TASK_NS)),
        ],
    }


def test_the_systemd_service_runs_moot_sync_once_each_time() -> None:
    service = _unit(SERVICE)["Service"]
    assert service["Type"] == "oneshot"
    assert _scheduled_args()["systemd"] == ["%h/.local/bin/moot", "sync"]
    assert "TimeoutStartSec" in service, "a hung sync would hold back every later one"


def test_the_systemd_timer_fires_every_15_minutes_and_catches_up() -> None:
    timer = _unit(TIMER)
    assert timer["Timer"]["OnUnitActiveSec"] == "15min"
    assert "OnBootSec" in timer["Timer"]
    assert timer["Timer"]["Persistent"] == "true"
    assert "RandomizedDelaySec" in timer["Timer"]
    assert timer["Timer"].get("Unit", SERVICE.name) == SERVICE.name
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_the_sync_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    tool = _tool("systemd-analyze", "systemd")
    # As a user manager sees them, in a home where %h/.local/bin/moot is a program.
    home, runtime = tmp_path / "home", tmp_path / "run"
    program = home / ".local" / "bin" / "moot"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}
    done = _run([tool, "--user", "verify", str(SERVICE), str(TIMER)], env=env)
    if "Failed to initialize manager" in done.stderr:
        pytest.skip(f"systemd-analyze cannot run a user manager here: {done.stderr.strip()}")
    # It exits 0 even for an unknown key; what it says on stderr is what is wrong.
    assert (done.returncode, done.stderr) == (0, ""), done.stdout + done.stderr


def test_the_windows_task_runs_moot_sync_every_15_minutes() -> None:
    raw = WINDOWS_TASK.read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    raw.decode("utf-8")
    task = ET.fromstring(raw)
    assert _scheduled_args()["windows"] == [r"%LOCALAPPDATA%\Programs\Moot\moot.exe", "sync"]
    triggers = task.findall("t:Triggers/*", TASK_NS)
    assert len(triggers) == 1
    trigger = triggers[0]
    assert trigger.findtext("t:Enabled", "true", TASK_NS) == "true"
    assert trigger.findtext("t:StartBoundary", None, TASK_NS), "a time trigger needs a start"
    repetition = trigger.find("t:Repetition", TASK_NS)
    assert repetition is not None
    assert repetition.findtext("t:Interval", None, TASK_NS) == "PT15M"
    assert repetition.find("t:Duration", TASK_NS) is None, "it should repeat with no end"
    settings = task.find("t:Settings", TASK_NS)
    assert settings is not None
    assert settings.findtext("t:StartWhenAvailable", None, TASK_NS) == "true"
    assert settings.findtext("t:MultipleInstancesPolicy", None, TASK_NS) == "IgnoreNew"


@pytest.mark.parametrize("scheduler", ["systemd", "windows"])
def test_what_the_scheduler_runs_is_a_moot_command(scheduler: str) -> None:
    program, *args = _scheduled_args()[scheduler]
    assert Path(program.replace("\\", "/")).stem == "moot"
    done = _run([sys.executable, "-m", "ui.main", *args, "--help"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: moot {' '.join(args)} ")
