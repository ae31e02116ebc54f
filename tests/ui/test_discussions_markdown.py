"""Posts come from other laptops: their Markdown is shown without HTML or images."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from ui.markdown import open_link, to_html


def test_raw_html_is_shown_as_text_not_run(qtbot: QtBot) -> None:
    html = to_html("Hello <script>alert(1)</script> <b>bold?</b> **bold**")
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html
    assert "font-weight" in html  # the Markdown emphasis still works


def test_images_become_links_and_nothing_is_fetched(qtbot: QtBot) -> None:
    html = to_html("![tracker](https://example.org/pixel.png) ![x](/etc/passwd)")
    assert "<img" not in html
    assert "[image: tracker]" in html
    assert 'href="https://example.org/pixel.png"' in html
    assert "[image: x]" in html
    assert 'href="/etc/passwd"' not in html


def test_only_web_and_mail_links_open(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "ui.markdown.QDesktopServices.openUrl", lambda url: opened.append(url.toString()) or True
    )
    assert open_link("https://example.org/a")
    assert not open_link("file:///etc/passwd")
    assert not open_link("javascript:alert(1)")
    assert opened == ["https://example.org/a"]
