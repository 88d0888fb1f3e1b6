"""The outbound gate: only hosts on the administrator's list, only http(s)."""

import pytest

from workflow_app.config import Config, _hosts
from workflow_app.outbound import HostNotAllowed, check, is_allowed

ALLOWED = ("hooks.example.vn", "127.0.0.1:8089")


def test_a_host_without_port_allows_every_port_of_it():
    assert check("https://hooks.example.vn/x", ALLOWED) == "hooks.example.vn:443"
    assert check("http://HOOKS.example.vn:8080/x", ALLOWED) == "hooks.example.vn:8080"


def test_a_host_with_port_allows_only_that_port():
    assert check("http://127.0.0.1:8089/ocsp", ALLOWED) == "127.0.0.1:8089"
    assert not is_allowed("http://127.0.0.1:8090/ocsp", ALLOWED)
    assert not is_allowed("http://127.0.0.1/ocsp", ALLOWED)


@pytest.mark.parametrize("url", [
    "ftp://hooks.example.vn/x", "file:///etc/passwd", "https://evil.example/x",
    "https://hooks.example.vn.evil.example/", "http://[::1", "not a url", "",
    "http://hooks.example.vn:99999/",
])
def test_everything_else_is_refused_with_a_reason(url):
    with pytest.raises(HostNotAllowed) as refused:
        check(url, ALLOWED)
    assert refused.value.reason


def test_nothing_is_allowed_by_default():
    assert Config(secret_key="x", database_url="sqlite://").outbound_allowed_hosts == ()
    assert not is_allowed("https://hooks.example.vn/", ())
    assert _hosts(" A.vn , 127.0.0.1:80,, ") == ("a.vn", "127.0.0.1:80")
