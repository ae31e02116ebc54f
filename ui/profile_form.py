"""This member's own profile and contact details, and who may see them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.kinds.members import CONSENTS
from app.services.members import MyProfile


def _short_text_box(name: str, lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 16)
    return box


class ProfileForm(QWidget):
    """Emits what the user asked for; the page runs it and reports back.

    ``save_wanted(changes)`` carries only the fields that differ from the profile shown
    (``interests`` as typed, comma separated).
    """

    save_wanted = Signal(dict)
    contact_wanted = Signal(str, str)  # contact, consent
    erase_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile: MyProfile | None = None
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Your name"))
        self.bio = _short_text_box(self.tr("About you"), 4)
        self.interests = QLineEdit()
        self.interests.setAccessibleName(self.tr("Your interests"))
        self.interests.setPlaceholderText(self.tr("e.g. planning, footpaths, the allotments"))
        self.save_button = QPushButton(self.tr("&Save profile"))
        self.save_button.setAccessibleName(self.tr("Save profile"))
        self.save_button.clicked.connect(self._save)

        self.contact = _short_text_box(self.tr("Your contact details"), 3)
        self.contact.setPlaceholderText(self.tr("Phone, email or address"))
        self.consent = QComboBox()
        self.consent.setAccessibleName(self.tr("Who may see your contact details"))
        labels = {
            "nobody": self.tr("Nobody"),
            "organisers": self.tr("Organisers only"),
            "members": self.tr("Everyone in the group"),
        }
        for consent in CONSENTS:
            self.consent.addItem(labels[consent], consent)
        self.share_button = QPushButton(self.tr("S&hare contact details"))
        self.share_button.setAccessibleName(self.tr("Share contact details"))
        self.share_button.clicked.connect(self._share)
        self.erase_button = QPushButton(self.tr("E&rase contact details…"))
        self.erase_button.setAccessibleName(self.tr("Erase contact details"))
        self.erase_button.clicked.connect(self.erase_wanted.emit)

        about = QGroupBox(self.tr("Your profile"))
        form = QFormLayout(about)
        form.setVerticalSpacing(8)
        form.addRow(self._label(self.tr("&Name:"), self.name), self.name)
        form.addRow(self._label(self.tr("&About you:"), self.bio), self.bio)
        form.addRow(self._label(self.tr("&Interests:"), self.interests), self.interests)
        form.addRow("", self._buttons(self.save_button))

        contact = QGroupBox(self.tr("Your contact details"))
        contact_form = QFormLayout(contact)
        contact_form.setVerticalSpacing(8)
        hint = QLabel(
            self.tr(
                "Kept encrypted on each laptop and shown only to the people you choose. "
                "Erasing removes them from every copy of the group."
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("formHint")
        contact_form.addRow(hint)
        contact_form.addRow(self._label(self.tr("Con&tact:"), self.contact), self.contact)
        contact_form.addRow(self._label(self.tr("&Who may see them:"), self.consent), self.consent)
        contact_form.addRow(self._buttons(self.share_button, self.erase_button))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(about)
        layout.addWidget(contact)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    @staticmethod
    def _buttons(*buttons: QPushButton) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in buttons:
            layout.addWidget(button)
        layout.addStretch(1)
        return row

    def show_profile(self, profile: MyProfile) -> None:
        self.profile = profile
        self.name.setText(profile.display_name)
        self.bio.setPlainText(profile.bio)
        self.interests.setText(", ".join(profile.interests))
        self.contact.setPlainText(profile.contact)
        self.consent.setCurrentIndex(max(self.consent.findData(profile.consent), 0))
        self.erase_button.setEnabled(bool(profile.contact))

    def _save(self) -> None:
        if self.profile is None:
            return
        changes: dict[str, str] = {}
        if self.name.text().strip() != self.profile.display_name:
            changes["display_name"] = self.name.text()
        if self.bio.toPlainText().strip() != self.profile.bio:
            changes["bio"] = self.bio.toPlainText().strip()
        if self.interests.text().strip() != ", ".join(self.profile.interests):
            changes["interests"] = self.interests.text()
        self.save_wanted.emit(changes)

    def _share(self) -> None:
        self.contact_wanted.emit(self.contact.toPlainText(), str(self.consent.currentData()))
