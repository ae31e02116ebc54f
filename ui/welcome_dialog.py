"""The group's welcome, shown once to a newcomer when they first open the group: the
organisers' own words and the code of conduct, as Markdown made safe."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.groups import GroupSummary
from ui.i18n import tr
from ui.markdown import to_html


class WelcomeDialog(QDialog):
    def __init__(self, group: GroupSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Welcome to {group}").format(group=group.name))
        self.setMinimumSize(520, 420)
        heading = QLabel(tr("Welcome to {group}").format(group=group.name))
        heading.setObjectName("dialogTitle")
        heading.setWordWrap(True)
        parts = [to_html(group.welcome)] if group.welcome else []
        if group.conduct:
            parts.append(f"<h3>{tr('How we talk to each other')}</h3>{to_html(group.conduct)}")
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setAccessibleName(tr("The group's welcome and code of conduct"))
        self.text.setHtml("".join(parts))
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(
            tr("&Thanks, let's go"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
