"""A hub's address has one spelling in what laptops sign, whatever way it was typed."""

from __future__ import annotations

import pytest

from sync.client import HubClient
from sync.errors import SyncError
from sync.hub.settings import public_urls
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
        ("https://Hüb.example", "https://xn--hb-xka.example"),  # dialled in ASCII
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


@pytest.mark.parametrize(
    "typed",
    [
        "hub.example",
        "ftp://hub.example",
        "https://",
        "",
        # Read as one host when signed and as another when dialled, or carrying more
        # than an address: none of these is signed.
        "https://lure.example\\@hub.example",
        "https://someone@hub.example",
        "https://hub.example/?to=lure.example",
        "https://hub.example/#lure",
        "https://hub.example/a b",
        "https://hub.example\tlure",
    ],
)
def test_something_that_is_not_a_hub_address_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a hub address"):
        hub_address(typed)


@pytest.mark.parametrize(
    ("typed", "words"),
    [("https://hub.example:99999", "port"), ("https://a..b", "host name")],
)
def test_a_port_or_host_name_that_cannot_be_used_is_named(typed: str, words: str) -> None:
    with pytest.raises(ValueError, match=f"has a {words} that cannot be used"):
        hub_address(typed)


def test_a_hub_reads_its_public_addresses_from_its_command_line_else_its_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MOOT_HUB_PUBLIC_URL", "https://Hub.Example/, http://10.0.0.5:8470")
    assert public_urls(None) == ("https://hub.example", "http://10.0.0.5:8470")
    assert public_urls(["https://hub.example:443"]) == ("https://hub.example",)
    monkeypatch.setenv("MOOT_HUB_PUBLIC_URL", "hub.example")
    with pytest.raises(ValueError, match="is not a hub address"):
        public_urls(None)


def test_a_code_cannot_move_part_of_itself_into_the_address() -> None:
    hub = "ab" * 32
    assert join_message(hub, "http://a", "b:c", 1) != join_message(hub, "http://a:b", "c", 1)


def test_a_laptop_dials_no_address_that_it_would_sign_differently() -> None:
    with pytest.raises(SyncError, match="is not a hub address"):
        HubClient("https://lure.example\\@hub.example")
    assert HubClient("HTTPS://Hub.Example:443/").base_url == "https://hub.example"
