"""Transport: `crn serve` speaks HTTPS from CRN_TLS_CERT/CRN_TLS_KEY, cookies are then Secure, HSTS is sent,
and proxy headers are believed only from the proxies CRN_FORWARDED_ALLOW_IPS lists.

The HTTPS tests run the real `crn serve` (uvicorn) in a subprocess on 127.0.0.1 with a self-signed
certificate made by the openssl command for the test, and talk to it with httpx verifying that certificate.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from crn import auth
from crn.app import create_app
from crn.config import Settings
from crn.graph.server import free_port
from crn.transport import ServeError, plain_http_warning, tls_files, uvicorn_options

ROOT = Path(__file__).resolve().parents[2]
EMAIL, PASSWORD = "tls@x.io", "longenough-password"
ONE_YEAR = "max-age=31536000"


def _openssl(*args: str) -> None:
    if not shutil.which("openssl"):
        pytest.fail("the transport tests make their certificates with the openssl command; install openssl")
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


def _self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its unencrypted key."""
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(key), "-out", str(cert))
    return cert, key


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = _self_signed(folder, "crn")
    other_cert, other_key = _self_signed(folder, "other")
    encrypted = folder / "encrypted.key"
    _openssl("pkey", "-in", str(key), "-aes256", "-passout", "pass:secret", "-out", str(encrypted))
    garbage = folder / "garbage.pem"
    garbage.write_text("not a certificate\n")
    return {"cert": cert, "key": key, "other_cert": other_cert, "other_key": other_key,
            "encrypted_key": encrypted, "garbage": garbage, "folder": folder}


@contextlib.contextmanager
def crn_serve(env_extra: dict[str, str]):
    """Run `crn serve` on a free port of 127.0.0.1 with extra settings; yield the port once it listens."""
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CRN_TLS_", "CRN_FORWARDED_", "CRN_HSTS_", "FORWARDED_ALLOW_IPS"))}
    env.update({"CRN_HOST": "127.0.0.1", "CRN_PORT": str(port), **env_extra})
    proc = subprocess.Popen([sys.executable, "-m", "crn.cli", "serve"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"crn serve exited with {proc.returncode}:\n{proc.stdout.read()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            if time.monotonic() > deadline:
                pytest.fail("crn serve did not listen within 60 s")
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def tls_port(graph, certs):
    with crn_serve({"CRN_TLS_CERT": str(certs["cert"]), "CRN_TLS_KEY": str(certs["key"])}) as port:
        yield port


def _trusting(cert: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


def test_https_login_sets_a_secure_cookie_and_hsts(clean_db, certs, tls_port):
    auth.create_user(EMAIL, "TLS", PASSWORD)
    with httpx.Client(verify=_trusting(certs["cert"]), timeout=30) as client:
        health = client.get(f"https://127.0.0.1:{tls_port}/healthz")
        assert health.status_code == 200 and health.headers["strict-transport-security"] == ONE_YEAR
        answer = client.post(f"https://127.0.0.1:{tls_port}/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("crn_session=") and "; Secure" in cookie and "HttpOnly" in cookie
    assert answer.headers["strict-transport-security"] == ONE_YEAR


def test_the_certificate_served_is_the_configured_one(certs, tls_port):
    # A client trusting a different certificate must refuse the server: crn serves CRN_TLS_CERT, nothing else.
    with httpx.Client(verify=_trusting(certs["other_cert"]), timeout=30) as client, \
            pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        client.get(f"https://127.0.0.1:{tls_port}/healthz")


def test_plain_http_to_the_tls_port_fails(tls_port):
    with httpx.Client(timeout=30) as client, pytest.raises(httpx.TransportError):
        client.get(f"http://127.0.0.1:{tls_port}/healthz")


def test_a_trusted_proxy_saying_https_makes_the_cookie_secure(clean_db):
    auth.create_user(EMAIL, "TLS", PASSWORD)
    with crn_serve({"CRN_FORWARDED_ALLOW_IPS": "127.0.0.1"}) as port, httpx.Client(timeout=30) as client:
        behind = client.post(f"http://127.0.0.1:{port}/auth/login", json={"email": EMAIL, "password": PASSWORD},
                             headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
        direct = client.post(f"http://127.0.0.1:{port}/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert behind.status_code == 200 and "; Secure" in behind.headers["set-cookie"]
    assert behind.headers["strict-transport-security"] == ONE_YEAR
    assert "Secure" not in direct.headers["set-cookie"] and "strict-transport-security" not in direct.headers


def test_proxy_headers_are_ignored_unless_the_proxy_is_listed(clean_db):
    # uvicorn alone believes X-Forwarded-* from 127.0.0.1: any local process could claim https (or an address).
    auth.create_user(EMAIL, "TLS", PASSWORD)
    with crn_serve({}) as port, httpx.Client(timeout=30) as client:
        spoofed = client.post(f"http://127.0.0.1:{port}/auth/login", json={"email": EMAIL, "password": PASSWORD},
                              headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert spoofed.status_code == 200
    assert "Secure" not in spoofed.headers["set-cookie"] and "strict-transport-security" not in spoofed.headers


def test_hsts_follows_its_setting_and_only_on_https(clean_db):
    auth.create_user(EMAIL, "TLS", PASSWORD)
    login = {"email": EMAIL, "password": PASSWORD}
    https = TestClient(create_app(Settings(hsts_seconds=60)), base_url="https://testserver")
    assert https.post("/auth/login", json=login).headers["strict-transport-security"] == "max-age=60"
    assert https.get("/no-such-page").headers["strict-transport-security"] == "max-age=60"
    off = TestClient(create_app(Settings(hsts_seconds=0)), base_url="https://testserver")
    answer = off.post("/auth/login", json=login)
    assert "; Secure" in answer.headers["set-cookie"] and "strict-transport-security" not in answer.headers
    plain = TestClient(create_app(Settings()))
    assert "strict-transport-security" not in plain.get("/healthz").headers


# -- refusing to start -------------------------------------------------------------------------------------

def test_default_is_plain_http_trusting_no_proxy():
    options = uvicorn_options(Settings(tls_cert=None, tls_key=None, forwarded_allow_ips=None, host="127.0.0.1",
                                       port=8123))
    assert options["proxy_headers"] is False and "forwarded_allow_ips" not in options
    assert "ssl_certfile" not in options and "ssl_keyfile" not in options
    assert (options["host"], options["port"], options["app"], options["factory"]) == (
        "127.0.0.1", 8123, "crn.app:create_app", True)


def test_options_with_tls_and_a_proxy(certs):
    options = uvicorn_options(Settings(tls_cert=str(certs["cert"]), tls_key=str(certs["key"]),
                                       forwarded_allow_ips="127.0.0.1, 10.0.0.0/8"), host="0.0.0.0", port=9443)
    assert options["ssl_certfile"] == str(certs["cert"]) and options["ssl_keyfile"] == str(certs["key"])
    assert options["proxy_headers"] is True and options["forwarded_allow_ips"] == "127.0.0.1,10.0.0.0/8"
    assert (options["host"], options["port"]) == ("0.0.0.0", 9443)


@pytest.mark.parametrize("given,missing", [("tls_cert", "CRN_TLS_KEY"), ("tls_key", "CRN_TLS_CERT")])
def test_one_of_cert_and_key_alone_is_refused(certs, given, missing):
    path = str(certs["cert"] if given == "tls_cert" else certs["key"])
    settings = Settings(**{"tls_cert": None, "tls_key": None, given: path})
    with pytest.raises(ServeError, match=f"but {missing} is not"):
        uvicorn_options(settings)


@pytest.mark.parametrize("which", ["missing", "directory"])
def test_an_unreadable_file_is_refused(certs, which):
    bad = str(certs["folder"] / "nope.pem") if which == "missing" else str(certs["folder"])
    with pytest.raises(ServeError, match="CRN_TLS_KEY=.* cannot be read"):
        tls_files(Settings(tls_cert=str(certs["cert"]), tls_key=bad))
    with pytest.raises(ServeError, match="CRN_TLS_CERT=.* cannot be read"):
        tls_files(Settings(tls_cert=bad, tls_key=str(certs["key"])))


@pytest.mark.parametrize("cert,key", [("cert", "other_key"), ("cert", "encrypted_key"), ("garbage", "key"),
                                      ("cert", "garbage")])
def test_an_unusable_pair_is_refused(certs, cert, key):
    with pytest.raises(ServeError, match="are not a usable pair"):
        tls_files(Settings(tls_cert=str(certs[cert]), tls_key=str(certs[key])))


def test_a_bad_proxy_list_is_refused():
    with pytest.raises(ServeError, match="'nginx' is not an IP address"):
        uvicorn_options(Settings(forwarded_allow_ips="127.0.0.1,nginx"))


def test_crn_serve_refuses_to_start_with_a_clear_message(certs):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRN_TLS_", "CRN_FORWARDED_"))}
    env.update({"CRN_TLS_CERT": str(certs["cert"]), "CRN_PORT": str(free_port())})
    result = subprocess.run([sys.executable, "-m", "crn.cli", "serve"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert "CRN_TLS_CERT is set but CRN_TLS_KEY is not" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_plain_http_on_a_public_interface_is_warned_about(certs):
    assert plain_http_warning(uvicorn_options(Settings(), host="0.0.0.0")).startswith("serving plain HTTP on 0.0.0.0")
    assert plain_http_warning(uvicorn_options(Settings(), host="127.0.0.1")) is None
    assert plain_http_warning(uvicorn_options(Settings(), host="localhost")) is None
    tls = Settings(tls_cert=str(certs["cert"]), tls_key=str(certs["key"]))
    assert plain_http_warning(uvicorn_options(tls, host="0.0.0.0")) is None
