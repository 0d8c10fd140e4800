"""Which addresses Byline may connect to.

Anyone can ask us to fetch a URL (that is what a pingback or webmention
is), and an editor can type any address into a webhook endpoint, so a URL
must never make this server talk to itself or to the private network it
sits in. Before every connection the host is resolved once,
*every* address it resolves to is checked, and the fetcher then connects to
the checked address (not the name again), so a DNS answer that changes
between check and connect (DNS rebinding) cannot slip past.

Each caller names the kinds it allows (`Limits.allowed_addresses`, from a
setting such as `BYLINE_MENTIONS_ALLOWED_ADDRESSES`): "global" (default)
and "loopback" (tests, local development). Private, link-local, multicast,
reserved, shared and unspecified addresses are always refused. When
"global" is not allowed, names are not even looked up in the DNS unless
they are loopback names (localhost, *.localhost), so a test run sends no
query off the machine.
"""

import ipaddress
import socket

NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):
    """The URL's host is, or resolves to, an address we must not connect to."""


def address_kind(address):
    """'global', 'loopback', 'private', 'link-local', 'multicast', 'unspecified' or 'reserved'."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        # IPv6 forms that carry an IPv4 address are judged by that address.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_kind(embedded)
        if ip.scope_id:
            return "link-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if ip.is_global:
        return "global"
    return "reserved"


def is_loopback_name(host):
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


def _literal(host):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def resolve(host, port, allowed, setting=""):
    """Every address `host` resolves to, in resolver order (no check yet).

    `allowed` is the set of address kinds allowed; without "global" only
    literal addresses and loopback names are resolved. `setting` names the
    setting that allows more, for the message.
    """
    literal = _literal(host)
    if literal is not None:
        return [str(literal)]
    if "global" not in allowed and not is_loopback_name(host):
        where = f" ({setting})" if setting else ""
        raise AddressRefused(
            f"{host} was not looked up: only loopback addresses are allowed{where}"
        )
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise LookupError(f"{host} could not be resolved: {exc}") from exc
    addresses = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    if not addresses:
        raise LookupError(f"{host} resolves to no address")
    return addresses


def checked_address(host, port, allowed, setting=""):
    """The address to connect to for `host`, after checking all it resolves to.

    `allowed`: the address kinds allowed ("global", "loopback"). Raises
    AddressRefused if any address is of another kind (a name that resolves
    to a public and a private address is refused: the resolver's order must
    not decide), LookupError if the name does not resolve.
    """
    addresses = resolve(host, port, allowed, setting)
    for address in addresses:
        kind = address_kind(address)
        if kind not in allowed:
            shown = host if _literal(host) is not None else f"{host} resolves to {address}, which"
            article = "an" if kind[0] in "aeiou" else "a"
            raise AddressRefused(f"{shown} is {article} {kind} address; refused")
    return addresses[0]
