"""The visitor's address for throttles and the audit log, behind a proxy or not."""

from django.test import RequestFactory, override_settings

from coproduce.core.audit import client_ip


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_with_no_proxy_it_is_the_connecting_address_whatever_the_header_says():
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=1)
def test_behind_one_proxy_it_is_the_address_the_proxy_saw():
    assert client_ip(_request("10.0.0.2", "203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=1)
def test_a_forged_header_cannot_choose_the_address():
    # The visitor sent "X-Forwarded-For: 198.51.100.1"; the proxy appended what it saw.
    assert client_ip(_request("10.0.0.2", "198.51.100.1, 203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=2)
def test_behind_two_proxies_it_is_the_second_from_the_right():
    request = _request("10.0.0.3", "198.51.100.1, 203.0.113.9, 10.0.0.2")
    assert client_ip(request) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_proxy_with_no_header_it_falls_back_to_the_connecting_address():
    assert client_ip(_request("10.0.0.2")) == "10.0.0.2"
