"""Which network addresses the fetcher may talk to.

A fact-checker attaches addresses found in articles, tips and social media:
untrusted input.  Fetched text lands in the snapshot and in the memo, so a
page that points (directly, or by redirecting) at the user's own machine or
office network could make the workbench read a router's admin page, a
printer, a cloud metadata service or a local development server and quote
it back.  The policy, stated in docs/GUARANTEES.md:

* Addresses that are not globally routable are refused: loopback
  (127.0.0.0/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7),
  link-local (169.254/16, fe80::/10, which includes cloud metadata
  services), shared (100.64/10), unspecified, multicast, reserved and
  documentation ranges, and IPv6 forms that embed such an IPv4 address
  (IPv4-mapped, 6to4, Teredo, NAT64).
* A host *name* counts by the addresses it resolves to; the fetcher connects
  only to an address it has checked, and checks the connected peer again,
  so a DNS answer that changes between check and connect (rebinding) gains
  nothing.
* Every redirect hop is checked the same way, so a public page cannot
  redirect into the local network.
* The user can allow local addresses for one source (a confirmed,
  per-source override: :data:`ANY`).  ``WORKBENCH_ALLOW_LOCAL_FETCH=1`` in
  the environment allows loopback and private addresses for every fetch
  (tests and outside checkers serve pages on 127.0.0.1:
  :data:`LOCAL_NETWORK`), but not link-local ones: 169.254.169.254 is the
  cloud metadata service, the classic target, and no test needs it.
"""

from __future__ import annotations

import ipaddress
import os

ALLOW_LOCAL_ENV = "WORKBENCH_ALLOW_LOCAL_FETCH"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


PUBLIC_ONLY = "public"
LOCAL_NETWORK = "local"
ANY = "any"


def refuses(address: IPAddress, policy: str) -> bool:
    """Whether ``policy`` forbids connecting to ``address``."""
    if policy == ANY or not is_local(address):
        return False
    if policy == LOCAL_NETWORK:
        return _unwrap(address).is_link_local
    return True


def env_allows_local() -> bool:
    """Whether ``WORKBENCH_ALLOW_LOCAL_FETCH`` is set to 1 (or true/yes)."""
    return os.environ.get(ALLOW_LOCAL_ENV, "").strip().lower() in {"1", "true", "yes"}


def parse_address(text: str) -> IPAddress | None:
    """The IP address ``text`` spells (brackets and zone ids allowed), else None."""
    candidate = text.strip().strip("[]")
    try:
        return ipaddress.ip_address(candidate)
    except ValueError:
        return None


def is_local(address: IPAddress) -> bool:
    """True for any address that is not a public, globally routable unicast address."""
    for embedded in _embedded_ipv4(address):
        if is_local(embedded):
            return True
    if address.is_multicast or address.is_unspecified:
        return True
    return not address.is_global


def describe(address: IPAddress) -> str:
    """A few words for messages: "127.0.0.1 (this computer)"."""
    plain = _unwrap(address)
    if plain.is_loopback or plain.is_unspecified:  # 0.0.0.0 reaches this computer too
        where = "this computer"
    elif plain.is_link_local:
        where = "a link-local address, such as a router or cloud metadata service"
    elif plain.is_private:
        where = "the local network"
    else:
        where = "an address that is not on the public internet"
    return f"{address} ({where})"


def _unwrap(address: IPAddress) -> IPAddress:
    embedded = _embedded_ipv4(address)
    return embedded[0] if embedded else address


def _embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.append(address.teredo[1])
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found
