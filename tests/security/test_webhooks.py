"""Attacks through `call_webhook`: reaching loopback, private or cloud-metadata addresses (directly, by a name
that resolves there, or by DNS rebinding), plain http, redirects, and reading delivery errors without being
an admin."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crn.automation import outbox, store
from crn.automation.actions import ActionFailed, Services, call_webhook
from crn.automation.worker import Worker
from crn.config import get_settings
from crn.crm.events import Event
from tests.automation.conftest import automation, publish  # noqa: F401 - fixtures


class Receiver:
    """A real HTTP server on a loopback address recording the requests it gets."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, status: int = 200,
                 headers: dict[str, str] | None = None) -> None:
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"path": self.path, "host": self.headers["Host"]})
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def _call(url: str) -> dict:
    return call_webhook({"url": url}, {"rule": {"id": "r"}}, "r:k:0", Services(settings=get_settings()))


def _refused(url: str) -> str:
    with pytest.raises(ActionFailed) as caught:
        _call(url)
    assert caught.value.retryable is False
    return str(caught.value)


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("127.9.9.9", "loopback"), ("[::1]", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "cloud metadata"), ("169.254.1.1", "link-local"), ("[fe80::1]", "link-local"),
    ("[fd00:ec2::254]", "cloud metadata"), ("[fd12:3456::1]", "unique-local"),
    ("224.0.0.1", "multicast"), ("[ff02::1]", "multicast"), ("0.0.0.0", "unspecified"), ("[::]", "unspecified"),
    ("[::ffff:127.0.0.1]", "loopback"), ("[::ffff:169.254.169.254]", "cloud metadata"),
    ("100.100.100.200", "cloud metadata"), ("168.63.129.16", "cloud metadata"), ("100.64.0.1", "not public"),
])
def test_non_public_addresses_are_refused(monkeypatch, address, kind):
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")
    message = _refused(f"http://{address}:9/hook")
    assert kind in message and "CRN_WEBHOOK_ALLOW_NETWORKS" in message


def test_a_name_is_checked_after_it_resolves(monkeypatch, receiver):
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")
    message = _refused(f"http://localhost:{receiver.port}/hook")  # /etc/hosts: localhost is 127.0.0.1
    assert "localhost" in message and "127.0.0.1" in message and "loopback" in message
    assert receiver.requests == []


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "127.1", "LOCALHOST.", "[64:ff9b::7f00:1]",
                                  "[2002:7f00:1::]", "[fe80::1%25eth0]"])
def test_other_spellings_of_loopback_are_refused(monkeypatch, host):
    """Integer, hex and short IPv4 forms (resolved by the system), a trailing dot, IPv4 inside NAT64 and 6to4
    addresses, and a zone id."""
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")
    message = _refused(f"http://{host}:9/hook")
    assert "loopback" in message or "link-local" in message


def test_metadata_names_are_refused_before_any_lookup(monkeypatch):
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")
    for host in ("metadata.google.internal", "METADATA.GOOGLE.INTERNAL.", "metadata"):
        assert "cloud metadata" in _refused(f"http://{host}/computeMetadata/v1/")


def test_every_resolved_address_is_checked(monkeypatch, receiver):
    """A name resolving to an allowed and a refused address is refused (a client may try either)."""
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_NETWORKS", "127.0.0.1/32")
    real = socket.getaddrinfo

    def two_addresses(host, *args, **kwargs):
        if host == "twice.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", args[0] if args else 0)),
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", args[0] if args else 0))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", two_addresses)
    assert "10.0.0.7" in _refused(f"http://twice.test:{receiver.port}/hook")
    assert receiver.requests == []


def test_the_checked_address_is_the_one_connected_to_whatever_dns_answers_next(monkeypatch):
    """DNS rebinding: the name answers a different address on every lookup. Whatever the first answer, the
    connection goes to the address that was checked: an allowed first answer is delivered there (never to the
    rebound one), a refused first answer is refused (never delivered to the later, allowed one)."""
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_NETWORKS", "127.0.0.1/32")
    good = Receiver("127.0.0.1")
    evil = Receiver("127.0.0.2", good.port)  # same port, another loopback address (not allow-listed)
    real = socket.getaddrinfo
    answers: list[str] = []

    def rebinding(host, *args, **kwargs):
        if host == "rebind.test":
            address = answers.pop(0) if len(answers) > 1 else answers[0]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, args[0] if args else 0))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    try:
        answers[:] = ["127.0.0.2", "127.0.0.1"]  # refused first, allowed afterwards
        assert "127.0.0.2" in _refused(f"http://rebind.test:{good.port}/hook")
        answers[:] = ["127.0.0.1", "127.0.0.2"]  # allowed first, rebound to a refused address afterwards
        assert _call(f"http://rebind.test:{good.port}/hook") == {"status": 200}
    finally:
        good.close()
        evil.close()
    assert evil.requests == []
    assert good.requests == [{"path": "/hook", "host": f"rebind.test:{good.port}"}]  # the Host header is kept


def test_http_is_refused_unless_allowed(monkeypatch, receiver):
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_NETWORKS", "127.0.0.1/32")
    message = _refused(f"http://127.0.0.1:{receiver.port}/hook")
    assert "https" in message and "CRN_WEBHOOK_ALLOW_HTTP" in message
    for url in ("ftp://example.com/x", "file:///etc/passwd", "hook", "https:///nohost"):
        _refused(url)
    assert receiver.requests == []
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")
    assert _call(f"http://127.0.0.1:{receiver.port}/hook") == {"status": 200}


def test_an_allow_listed_network_or_host_is_reached_and_nothing_wider(monkeypatch, receiver):
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_NETWORKS", "127.0.0.2/32, 10.0.0.0/8")
    assert "loopback" in _refused(f"http://127.0.0.1:{receiver.port}/hook")  # just outside the list
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_NETWORKS", "127.0.0.0/31")
    assert _call(f"http://127.0.0.1:{receiver.port}/hook") == {"status": 200}  # just inside
    monkeypatch.delenv("CRN_WEBHOOK_ALLOW_NETWORKS")
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HOSTS", "localhost")
    assert _call(f"http://localhost:{receiver.port}/hook") == {"status": 200}
    assert "loopback" in _refused(f"http://127.0.0.1:{receiver.port}/hook")  # the name, not its address
    assert len(receiver.requests) == 2


def test_a_wide_allow_listed_network_does_not_open_the_metadata_address(monkeypatch):
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_NETWORKS", "169.254.0.0/16")
    assert "cloud metadata" in _refused("http://169.254.169.254/latest/meta-data/")


def test_a_bad_allow_list_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_NETWORKS", "10.0.0.0/33")
    with pytest.raises(SystemExit, match="CRN_WEBHOOK_ALLOW_NETWORKS"):
        get_settings()


def test_redirects_are_not_followed(monkeypatch):
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_NETWORKS", "127.0.0.1/32")
    target = Receiver()
    redirector = Receiver(status=307, headers={"Location": f"http://127.0.0.1:{target.port}/stolen"})
    try:
        message = _refused(f"http://127.0.0.1:{redirector.port}/hook")
    finally:
        redirector.close()
        target.close()
    assert "307" in message and "redirect" in message
    assert target.requests == [] and len(redirector.requests) == 1


# --- who sees delivery errors ----------------------------------------------------------------------------

RUNS = '{ ruleRuns(ruleId: "hook") { outcome action attempt error worker } }'


def test_delivery_errors_are_shown_to_admins_only(automation, admin_api, manager_api, viewer_api, monkeypatch):
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")
    _, errors = store.save_rule({"id": "hook", "name": "hook", "trigger": {"kind": "created", "label": "Company"},
                                 "actions": [{"type": "call_webhook",
                                              "params": {"url": "http://10.20.30.40:8080/secret-path"}}]})
    assert errors == []
    publish("CREATE (:Company {uid: 'c1', name: 'Acme'})", {}, [Event("created", "Company", "c1")])
    assert Worker(clock=automation).run_once()["dead"] == 1
    [admin_run] = admin_api.data(RUNS)["ruleRuns"]
    assert admin_run["outcome"] == "dead" and "10.20.30.40" in admin_run["error"] and admin_run["worker"]
    # issue 13: runs are visible to the rule's author and to admins; an author who is not an admin (here the
    # manager, as an admin demoted to manager would be) sees the run without the error
    from crn import auth as _auth
    from crn.graph import db as _db

    _db.write("MATCH (r:Rule {id: 'hook'}) SET r.author = $uid", uid=_auth.get_user("manager@test.io").uid)
    assert manager_api.data(RUNS)["ruleRuns"] == [{"outcome": "dead", "action": "call_webhook", "attempt": 1,
                                                   "error": None, "worker": None}]
    assert viewer_api.data(RUNS)["ruleRuns"] == []
    assert "10.20.30.40" in outbox.rule_runs("hook")[0]["error"]  # stored for admins
