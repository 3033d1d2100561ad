"""Where automation may send HTTP: public addresses only (unless allow-listed), checked after DNS and pinned.

A webhook URL comes from a rule and may be rendered from record data, so it is untrusted. Before a call the
host is resolved once, every address it resolves to is checked, and the request is sent to a checked address
with the original ``Host`` header and TLS server name: a second DNS answer (rebinding) cannot move the call to
an address that was not checked. Redirects are never followed, and environment proxies are not used (a proxy
would resolve the name again).

Refused unless allow-listed: loopback, private (RFC 1918), shared (100.64/10), link-local, unique-local
(fc00::/7), multicast, unspecified, reserved and documentation ranges, IPv4 embedded in IPv6 (mapped, NAT64,
6to4, Teredo) when the embedded address is refused, and cloud metadata services by address or by name. An
allow-listed network (``CRN_WEBHOOK_ALLOW_NETWORKS``) opens its addresses, but a metadata address only when
the network is exactly that one address; an allow-listed host name (``CRN_WEBHOOK_ALLOW_HOSTS``) opens
whatever it resolves to.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from crn.config import Settings

__all__ = ["EgressRefused", "EgressUnresolved", "Target", "METADATA_ADDRESSES", "METADATA_HOSTS",
           "refusal_reason", "resolve_target", "post"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Instance metadata services (AWS, GCP, Azure, Alibaba, Oracle, ECS tasks); some sit on public addresses.
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "169.254.169.253", "fd00:ec2::254", "fd00:ec2::23",
    "100.100.100.200", "168.63.129.16", "192.0.0.192",
))
METADATA_HOSTS = frozenset({
    "metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.com", "instance-data",
    "instance-data.ec2.internal", "metadata.tencentyun.com", "metadata.packet.net",
})
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class EgressRefused(ValueError):
    """The URL or an address it resolves to may not be called; the message names why and the setting to change."""


class EgressUnresolved(OSError):
    """The host did not resolve (may be temporary: the worker retries)."""


@dataclass(frozen=True)
class Target:
    """A checked call: the URL as written, its host and port, and the checked addresses to connect to."""

    url: str
    host: str
    port: int
    addresses: tuple[IPAddress, ...]


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def refusal_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address a webhook may reach by default (None when it is)."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_v4(ip)
        if embedded is not None:
            inner = refusal_reason(embedded)
            if inner is not None:
                return inner
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv6Address) and ip in _UNIQUE_LOCAL:
        return "a unique-local address"
    if ip.is_private:
        return "a private address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "a shared (carrier-grade NAT) address, not public"
    if ip.is_reserved or not ip.is_global:
        return "a reserved address, not public"
    return None


def _allowed(ip: IPAddress, host: str, settings: Settings) -> bool:
    if host in settings.webhook_allow_hosts:
        return True
    for network in settings.webhook_allow_networks:
        if ip in network and (ip not in METADATA_ADDRESSES or network.num_addresses == 1):
            return True
    return False


def _resolve(host: str, port: int) -> tuple[IPAddress, ...]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise EgressUnresolved(f"webhook host {host!r} did not resolve: {exc}") from exc
    found: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if ip not in found:
            found.append(ip)
    if not found:
        raise EgressUnresolved(f"webhook host {host!r} resolved to no address")
    return tuple(found)


def resolve_target(url: str, settings: Settings) -> Target:
    """Check ``url`` (scheme, host, every resolved address) against the egress policy; raises
    :class:`EgressRefused` (do not retry) or :class:`EgressUnresolved` (retry later)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise EgressRefused(f"webhook URL {url!r} is not a valid URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise EgressRefused(f"webhook URL {url!r} must start with https:// (scheme {scheme or 'missing'!r})")
    if scheme == "http" and not settings.webhook_allow_http:
        raise EgressRefused(f"webhook URL {url!r} uses plain http; use https, or set CRN_WEBHOOK_ALLOW_HTTP=1 "
                            "to allow unencrypted webhooks")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise EgressRefused(f"webhook URL {url!r} has no host")
    port = port or (443 if scheme == "https" else 80)
    fix = ("allow-list it with CRN_WEBHOOK_ALLOW_NETWORKS (CIDRs) or CRN_WEBHOOK_ALLOW_HOSTS (names) "
           "if it is meant to be reached")
    if host in METADATA_HOSTS and host not in settings.webhook_allow_hosts:
        raise EgressRefused(f"webhook host {host!r} is a cloud metadata service; {fix}")
    try:
        literal: IPAddress | None = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        literal = None
    addresses = (literal,) if literal is not None else _resolve(host, port)
    for ip in addresses:
        reason = refusal_reason(ip)
        if reason is not None and not _allowed(ip, host, settings):
            shown = host if literal is not None else f"{host!r} resolves to {ip}, which"
            raise EgressRefused(f"webhook host {shown} is {reason}; {fix}")
    return Target(url=url.strip(), host=host, port=port, addresses=addresses)


def post(target: Target, content: bytes, headers: dict[str, str], timeout: float) -> httpx.Response:
    """POST to a checked target, connecting to its checked addresses in turn (never resolving the name again),
    with the original Host header and TLS server name; redirects are returned, not followed."""
    url = httpx.URL(target.url)
    host_header = url.netloc.decode("ascii").rsplit("@", 1)[-1]
    extensions = {"sni_hostname": target.host} if url.scheme == "https" else {}
    last: httpx.TransportError | None = None
    with httpx.Client(follow_redirects=False, trust_env=False, timeout=timeout) as client:
        for ip in target.addresses:
            try:
                return client.post(url.copy_with(host=str(ip)), content=content,
                                   headers={**headers, "Host": host_header}, extensions=extensions)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                last = exc  # try the next checked address
    assert last is not None, "a target always has at least one address"
    raise last
