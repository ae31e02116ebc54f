"""The page's look: quiet greys, white cards, room to breathe, the group's colour as accent.

The colours are set outright rather than taken from the system palette, so the
cards read the same on an old council laptop's theme and on a new Mac.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

DEFAULT_ACCENT = "#2f6f73"


def accent_of(colour: str) -> QColor:
    """The group's colour if it is one Qt understands, else a calm teal."""
    found = QColor(colour) if colour else QColor()
    return found if found.isValid() else QColor(DEFAULT_ACCENT)


def page_style(accent: QColor) -> str:
    a = accent.name()
    tint = QColor(accent)
    tint.setAlpha(28)
    bar = QColor(accent)
    bar.setAlpha(90)
    b = f"rgba({bar.red()}, {bar.green()}, {bar.blue()}, {bar.alpha()})"
    t = f"rgba({tint.red()}, {tint.green()}, {tint.blue()}, {tint.alpha()})"
    return f"""
#discussionsPage {{ background: #f6f6f3; color: #1f2328; }}
#listPane {{ background: #ffffff; border-right: 1px solid #e2e2dc; }}
#listPane QListView {{ background: #ffffff; border: none; outline: none; }}
#listTitle {{ font-size: 15pt; font-weight: 600; padding: 16px 14px 2px 14px; }}
#listHint {{ color: #6a6a66; padding: 0 14px 10px 14px; }}
#empty, #placeholder {{ color: #6a6a66; font-size: 11pt; padding: 24px; }}
#threadTitle {{ font-size: 16pt; font-weight: 600; }}
#muted {{ color: #6a6a66; }}
#author {{ font-weight: 600; }}
#error {{ color: #a1302b; }}
#notice {{ background: #fbf3dc; color: #4a3b10; border-radius: 6px; padding: 8px 12px; }}
#posts {{ background: #f6f6f3; }}
#deleted, #deletedBox {{ background: #ffffff; }}
#threadScroll {{ background: #f6f6f3; }}
#deletedRow {{ background: #fafaf7; border: 1px solid #e2e2dc; border-radius: 8px; }}
#post, #poll, #pollForm {{
    background: #ffffff; border: 1px solid #e2e2dc; border-radius: 8px;
}}
#post[target="true"] {{ border: 2px solid {a}; }}
#post QLabel, #poll QLabel, #deletedRow QLabel {{ background: transparent; border: none; }}
#body {{ font-size: 10.5pt; }}
#pollQuestion, #formTitle {{ font-weight: 600; }}
#composer {{ background: #ffffff; border-top: 1px solid #e2e2dc; }}
#composerText, #newForm QPlainTextEdit, #newForm QLineEdit, #pollForm QLineEdit,
#pollForm QPlainTextEdit, #post QPlainTextEdit {{
    background: #ffffff; border: 1px solid #cfcfc8; border-radius: 6px; padding: 6px;
}}
#composerText:focus, #newForm QPlainTextEdit:focus, #newForm QLineEdit:focus,
#pollForm QLineEdit:focus, #pollForm QPlainTextEdit:focus {{ border: 1px solid {a}; }}
QPushButton#primary {{
    background: {a}; color: white; border: none; border-radius: 6px; padding: 6px 16px;
    font-weight: 600;
}}
QPushButton#primary:disabled {{ background: #b9c4c4; }}
QPushButton#primary:focus {{ outline: 2px solid #1f2328; }}
QPushButton#quiet {{ color: #55554f; border: none; padding: 2px 6px; background: transparent; }}
QPushButton#quiet:hover, QPushButton#quiet:focus {{ color: {a}; text-decoration: underline; }}
QPushButton#reaction {{
    border: 1px solid #e2e2dc; border-radius: 11px; padding: 2px 9px; background: #ffffff;
    color: #8a8a84;
}}
QPushButton#reaction[used="true"] {{ color: #1f2328; background: #f3f3ef; }}
QPushButton#reaction:checked {{ border: 1px solid {a}; background: {t}; color: #1f2328; }}
QPushButton#reaction:focus {{ border: 1px solid #1f2328; }}
QPushButton#option {{
    text-align: left; border: 1px solid #cfcfc8; border-radius: 6px; padding: 5px 12px;
    background: #ffffff; min-width: 120px;
}}
QPushButton#option:checked {{ border: 2px solid {a}; background: {t}; font-weight: 600; }}
QPushButton#option:focus {{ border: 1px solid #1f2328; }}
QProgressBar#result {{
    border: none; background: #efefea; border-radius: 5px; height: 18px; text-align: center;
    color: #33332f;
}}
QProgressBar#result::chunk {{ background: {b}; border-radius: 5px; }}
QToolButton {{
    border: 1px solid #d8d8d2; border-radius: 6px; padding: 4px 12px; background: #fff;
}}
QToolButton::menu-indicator {{ image: none; width: 0; }}
QToolButton:checked {{ border: 1px solid {a}; background: {t}; }}
QToolButton:focus {{ border: 1px solid #1f2328; }}
"""
