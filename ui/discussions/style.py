"""The page's look: quiet greys, white cards, room to breathe, the group's colour as accent.

The colours come from the window's own light or dark scheme (ui.theme) rather than
the system palette, so the cards read the same on an old council laptop and a new Mac.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from ui.theme import DARK, LIGHT, Scheme


def current_scheme() -> Scheme:
    """The scheme the application's palette is in now (ui.theme sets it)."""
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return DARK if window.lightness() < 128 else LIGHT


def page_style(accent: QColor, s: Scheme = LIGHT) -> str:
    """The page's stylesheet in the light or dark scheme of the whole window."""
    notice_bg, notice_fg = ("#3a3320", "#f0e2b0") if s.dark else ("#fbf3dc", "#4a3b10")
    a = accent.name()
    tint = QColor(accent)
    tint.setAlpha(28)
    bar = QColor(accent)
    bar.setAlpha(90)
    b = f"rgba({bar.red()}, {bar.green()}, {bar.blue()}, {bar.alpha()})"
    t = f"rgba({tint.red()}, {tint.green()}, {tint.blue()}, {tint.alpha()})"
    return f"""
#discussionsPage {{ background: {s.window}; color: {s.text}; }}
#listPane {{ background: {s.surface}; border-right: 1px solid {s.border}; }}
#listPane QListView {{ background: {s.surface}; border: none; outline: none; }}
#listTitle {{ font-size: 15pt; font-weight: 600; padding: 16px 14px 2px 14px; }}
#listHint {{ color: {s.muted}; padding: 0 14px 10px 14px; }}
#empty, #placeholder {{ color: {s.muted}; font-size: 11pt; padding: 24px; }}
#threadTitle {{ font-size: 16pt; font-weight: 600; }}
#muted {{ color: {s.muted}; }}
#author {{ font-weight: 600; }}
#error {{ color: {s.problem}; }}
#notice {{ background: {notice_bg}; color: {notice_fg}; border-radius: 6px; padding: 8px 12px; }}
#posts {{ background: {s.window}; }}
#deleted, #deletedBox {{ background: {s.surface}; }}
#threadScroll {{ background: {s.window}; }}
#deletedRow {{ background: {s.hover}; border: 1px solid {s.border}; border-radius: 8px; }}
#post, #poll, #pollForm, #consultation {{
    background: {s.surface}; border: 1px solid {s.border}; border-radius: 8px;
}}
#post[target="true"] {{ border: 2px solid {a}; }}
#post QLabel, #poll QLabel, #deletedRow QLabel,
#consultation QLabel {{ background: transparent; border: none; }}
#body {{ font-size: 10.5pt; }}
#pollQuestion, #formTitle {{ font-weight: 600; }}
#composer {{ background: {s.surface}; border-top: 1px solid {s.border}; }}
#composerText, #newForm QPlainTextEdit, #newForm QLineEdit, #pollForm QLineEdit,
#pollForm QPlainTextEdit, #post QPlainTextEdit {{
    background: {s.surface}; border: 1px solid {s.border_strong}; border-radius: 6px; padding: 6px;
}}
#composerText:focus, #newForm QPlainTextEdit:focus, #newForm QLineEdit:focus,
#pollForm QLineEdit:focus, #pollForm QPlainTextEdit:focus {{ border: 1px solid {a}; }}
QPushButton#primary {{
    background: {a}; color: white; border: none; border-radius: 6px; padding: 6px 16px;
    font-weight: 600;
}}
QPushButton#primary:disabled {{ background: {s.border_strong}; }}
QPushButton#primary:focus {{ outline: 2px solid {s.text}; }}
QPushButton#quiet {{ color: {s.muted}; border: none; padding: 2px 6px; background: transparent; }}
QPushButton#quiet:hover, QPushButton#quiet:focus {{ color: {a}; text-decoration: underline; }}
QPushButton#reaction {{
    border: 1px solid {s.border}; border-radius: 11px; padding: 2px 9px; background: {s.surface};
    color: {s.muted};
}}
QPushButton#reaction[used="true"] {{ color: {s.text}; background: {s.hover}; }}
QPushButton#reaction:checked {{ border: 1px solid {a}; background: {t}; color: {s.text}; }}
QPushButton#reaction:focus {{ border: 1px solid {s.text}; }}
QPushButton#option {{
    text-align: left; border: 1px solid {s.border_strong}; border-radius: 6px; padding: 5px 12px;
    background: {s.surface}; min-width: 120px;
}}
QPushButton#option:checked {{ border: 2px solid {a}; background: {t}; font-weight: 600; }}
QPushButton#option:focus {{ border: 1px solid {s.text}; }}
QProgressBar#result {{
    border: none; background: {s.hover}; border-radius: 5px; height: 18px; text-align: center;
    color: {s.text};
}}
QProgressBar#result::chunk {{ background: {b}; border-radius: 5px; }}
QToolButton {{
    border: 1px solid {s.border}; border-radius: 6px; padding: 4px 12px; background: {s.surface};
}}
QToolButton::menu-indicator {{ image: none; width: 0; }}
QToolButton:checked {{ border: 1px solid {a}; background: {t}; }}
QToolButton:focus {{ border: 1px solid {s.text}; }}
"""
