"""A hub's address has one spelling in what laptops sign, whatever way it was typed."""

from __future__ import annotations

import pytest

from sync.proofs import hub_address, join_message


@pytest.mark.parametrize(
    ("typed", "signed"),
    [
        ("HTTPS://Hub.Example.gov.uk/", "https://hub.example.gov.uk"),
        ("https://hub.example:443", "https://hub.example"),
        ("http://hub.example:80/", "http://hub.example"),
        ("http://127.0.0.1:8470", "http://127.0.0.1:8470"),
        ("  https://hub.example/moot/  ", "https://hub.example/moot"),
        ("http://[::1]:8470/", "http://[::1]:8470"),
    ],
)
def test_ways_of_typing_one_hub_sign_the_same_address(typed: str, signed: str) -> None:
    assert hub_address(typed) == signed


def test_another_port_scheme_or_path_is_another_hub() -> None:
    spelt = {
        hub_address(url)
        for url in (
            "https://hub.example",
            "http://hub.example",
            "https://hub.example:8443",
            "https://hub.example/other",
            "https://lure.example",
        )
    }
    assert len(spelt) == 5


@pytest.mark.parametrize("typed", ["hub.example", "ftp://hub.example", "https://", ""])
def test_something_that_is_not_a_hub_address_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a hub address"):
        hub_address(typed)


def test_a_code_cannot_move_part_of_itself_into_the_address() -> None:
    hub = "ab" * 32
    assert join_message(hub, "http://a", "b:c", 1) != join_message(hub, "http://a:b", "c", 1)
