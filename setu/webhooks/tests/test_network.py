"""Only public internet addresses receive webhooks, checked at saving and at every try."""

from __future__ import annotations

import pytest
from django.utils import translation

from setu.webhooks import network


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://127.1.2.3:8080/hook",
        "http://[::1]/hook",
        "http://10.0.0.5/hook",
        "http://172.16.3.4/hook",
        "http://192.168.1.20/hook",
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://100.64.0.1/hook",  # carrier-grade NAT
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",  # loopback in IPv6 clothing
        "http://[fd00::1]/hook",
        "http://224.0.0.1/hook",
        "http://localhost:8000/hook",
    ],
)
def test_private_and_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(network.Refused, match="private or local"):
        network.check_url(url)


def test_a_name_that_resolves_to_loopback_is_refused(_names: dict[str, list[str]]) -> None:
    _names["rebind.example.net"] = ["203.0.113.7", "127.0.0.1"]
    with pytest.raises(network.Refused, match=r"127\.0\.0\.1"):
        network.check_url("https://rebind.example.net/hook")


def test_a_public_address_is_allowed_and_pinned() -> None:
    target = network.check_url("https://hooks.example.org:8443/in?x=1")
    assert (target.host, target.port, target.path) == ("hooks.example.org", 8443, "/in?x=1")
    assert target.address == "203.0.113.10"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://hooks.example.org/", "must start with https://"),
        ("https://user:pw@hooks.example.org/", "no user name or password"),
        ("https:///nohost", "no host name"),
    ],
)
def test_other_bad_addresses_say_why(url: str, message: str) -> None:
    with pytest.raises(network.Refused, match=message):
        network.check_url(url)


def test_the_reason_is_in_the_readers_language() -> None:
    with translation.override("ja"), pytest.raises(network.Refused) as refused:
        network.check_url("http://127.0.0.1/")
    assert "127.0.0.1" in str(refused.value)
    assert "private or local" not in str(refused.value)


def test_a_closed_network_may_allow_private_receivers(settings: object) -> None:
    settings.SETU_WEBHOOKS_ALLOW_PRIVATE = True  # type: ignore[attr-defined]
    assert network.check_url("http://127.0.0.1:9000/hook").address == "127.0.0.1"


def test_https_only_refuses_plain_http(settings: object) -> None:
    settings.SETU_WEBHOOKS_HTTPS_ONLY = True  # type: ignore[attr-defined]
    with pytest.raises(network.Refused, match="https://"):
        network.check_url("http://hooks.example.org/")
