"""The look: light or dark, the text size, Moot's accent, and where the group's colour shows.

Moot uses Qt's Fusion style everywhere, with its own palette and stylesheet, so an old
Windows laptop, a Linux desktop and a new Mac show the same calm window and the dark
look works on each (the native Windows styles ignore a dark palette).
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from ui.emblems import accent_of
from ui.icons import resource


@dataclass(frozen=True)
class Scheme:
    window: str
    side: str
    surface: str
    text: str
    muted: str
    border: str
    border_strong: str
    hover: str
    problem: str
    dark: bool


LIGHT = Scheme(
    window="#f7f6f3",
    side="#efede8",
    surface="#ffffff",
    text="#1f2328",
    muted="#5d646d",
    border="#dedad2",
    border_strong="#c5c0b6",
    hover="#e6e3dc",
    problem="#a3341f",
    dark=False,
)
DARK = Scheme(
    window="#1e2024",
    side="#25282d",
    surface="#2b2e34",
    text="#e8e7e3",
    muted="#a4a9b1",
    border="#383c43",
    border_strong="#4a4f57",
    hover="#32363d",
    problem="#f08a6c",
    dark=True,
)

_base_point_size: float | None = None


def mix(a: QColor, b: QColor, share_of_b: float) -> QColor:
    t = max(0.0, min(1.0, share_of_b))
    return QColor.fromRgbF(
        a.redF() * (1 - t) + b.redF() * t,
        a.greenF() * (1 - t) + b.greenF() * t,
        a.blueF() * (1 - t) + b.blueF() * t,
    )


def wants_dark(theme: str) -> bool:
    if theme in ("light", "dark"):
        return theme == "dark"
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def scheme_for(theme: str) -> Scheme:
    return DARK if wants_dark(theme) else LIGHT


# Headings as multiples of the body text, so they follow the chosen text size.
HEADING_SCALES = {"size_title": 1.9, "size_heading": 1.35, "size_group": 1.2, "size_choice": 1.12}


def _accent_values(scheme: Scheme, colour: str) -> dict[str, str]:
    accent = accent_of(colour)
    surface, text = QColor(scheme.surface), QColor(scheme.text)
    if scheme.dark:
        soft = mix(surface, accent, 0.45)
        faint = mix(surface, accent, 0.15)
        accent_text = QColor("#ffffff")
    else:
        soft = mix(surface, accent, 0.16)
        faint = mix(surface, accent, 0.05)
        accent_text = mix(accent, text, 0.35)
    return {
        "accent": accent.name(),
        "accent_hover": accent.darker(115).name(),
        "accent_soft": soft.name(),
        "accent_faint": faint.name(),
        "accent_text": accent_text.name(),
        "on_accent": "#ffffff",
    }


def stylesheet(scheme: Scheme, point_size: float = 10.0) -> str:
    """The application's stylesheet: the scheme, the text size and Moot's own accent."""
    values = {
        **{k: v for k, v in vars(scheme).items() if isinstance(v, str)},
        **_accent_values(scheme, ""),
        **{k: f"{point_size * v:.1f}pt" for k, v in HEADING_SCALES.items()},
        "chevron": resource(
            "icons", "chevron-dark.svg" if scheme.dark else "chevron-light.svg"
        ).as_posix(),
    }
    template = Template(resource("moot.qss").read_text(encoding="utf-8"))
    return template.safe_substitute(values)


def group_stylesheet(scheme: Scheme, colour: str) -> str:
    """The rules that show the group's colour, for the few widgets that carry it."""
    template = Template(resource("group.qss").read_text(encoding="utf-8"))
    return template.safe_substitute(_accent_values(scheme, colour))


def palette(scheme: Scheme, colour: str) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    accent = accent_of(colour)
    for r, value in (
        (role.Window, scheme.window),
        (role.WindowText, scheme.text),
        (role.Base, scheme.surface),
        (role.AlternateBase, scheme.side),
        (role.Text, scheme.text),
        (role.Button, scheme.surface),
        (role.ButtonText, scheme.text),
        (role.ToolTipBase, scheme.surface),
        (role.ToolTipText, scheme.text),
        (role.PlaceholderText, scheme.muted),
        (role.Mid, scheme.border_strong),
        (role.Midlight, scheme.border),
        (role.BrightText, "#ffffff"),
        (role.HighlightedText, "#ffffff"),
    ):
        p.setColor(r, QColor(value))
    p.setColor(role.Highlight, accent)
    p.setColor(role.Link, accent.lighter(160) if scheme.dark else accent)
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor(scheme.muted))
    return p


def apply(*, theme: str, text_size: int, colour: str) -> Scheme:
    """Apply the look to the whole application; returns the scheme in use."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return LIGHT
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8 and later
        hints.setColorScheme(
            {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(
                theme, Qt.ColorScheme.Unknown
            )
        )
    scheme = scheme_for(theme)
    new_palette = palette(scheme, colour)
    if new_palette != app.palette():
        app.setPalette(new_palette)
    font = scaled_font(text_size)
    if font != app.font():
        app.setFont(font)
    # Each of these re-polishes every widget (over 100 ms in a full window): skip the
    # ones that would change nothing. The group's colour is not in it for that reason.
    sheet = stylesheet(scheme, font.pointSizeF())
    if sheet != app.styleSheet():
        app.setStyleSheet(sheet)
    return scheme


def scaled_font(text_size: int) -> QFont:
    """The system's normal font at ``text_size`` per cent."""
    global _base_point_size
    font = QFont(QApplication.font())
    if _base_point_size is None:
        _base_point_size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(round(_base_point_size * text_size / 100, 1))
    return font
