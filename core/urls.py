"""Web addresses read as a browser reads them: the one place where a link's host is judged.

A link is followed by a browser, so its host is the one the WHATWG URL standard gives (parsed by
ada, the parser of Node.js): percent-decoded, mapped by IDNA (full-width digits, upper case),
and an IPv4 address in any of the forms browsers accept (``0177.0.0.1``, ``0x7f.1``, ``127.1``,
``2130706433``) written as four decimal numbers. Judging the text as written instead lets
``http://0177.0.0.1/`` pass for a name while the browser opens the loopback address.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from ada_url import URL

#: the French State's domain: a host under it is the State's; a host that borrows its words
#: without being under it (``www.isere.gouv.fr.evil.example``, ``isere-gouv.fr``) is a look-alike
STATE_DOMAIN = "gouv.fr"


@dataclass(frozen=True)
class WebUrl:
    """An absolute http(s) URL as a browser reads it."""

    href: str  # serialised by the standard
    scheme: str  # "http" or "https"
    host: str  # lower case, punycode, IPv4 in decimal, no trailing dot; an IPv6 in brackets
    userinfo: bool  # a user name or password before the host
    query: bool
    fragment: bool


def web_url(text: str) -> WebUrl | None:
    """``text`` read as a browser reads it, when it is an absolute http(s) URL with a host; else
    None (not a URL, another scheme, no host)."""
    try:
        parsed = URL(text)
    except ValueError:
        return None
    scheme = parsed.protocol.rstrip(":")
    host = parsed.hostname.rstrip(".")
    if scheme not in ("http", "https") or not host:
        return None
    return WebUrl(
        href=parsed.href,
        scheme=scheme,
        host=host,
        userinfo=bool(parsed.username or parsed.password),
        query=bool(parsed.search),
        fragment=bool(parsed.hash),
    )


def public_host(host: str) -> bool:
    """False for localhost, a name of one label, and private, loopback, link-local or reserved
    addresses; ``host`` as ``web_url`` gives it."""
    name = host.strip("[]")
    if name == "localhost" or name.endswith(".localhost") or "." not in name and ":" not in name:
        return False
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return True  # a name: where it resolves is not ours to check here
    return address.is_global


def state_lookalike(host: str) -> bool:
    """A host that borrows the word « gouv » of the State's domain without being under it."""
    if host == STATE_DOMAIN or host.endswith("." + STATE_DOMAIN):
        return False
    words = host.replace("-", ".").split(".")
    return "gouv" in words


#: characters a base URL may not hold as written: every published address is built on it, in
#: JSON, JSON-LD, HTML attributes and Atom (a browser's parser would silently drop a newline)
_NOT_IN_BASE_URL = frozenset(" \"'<>`\\{}|^")


def base_url_problem(text: str) -> str | None:
    """Why ``text`` cannot be the address the output folder is served at, or None: it must be an
    absolute http(s) URL with a host, and no space, quote, control character, user name, query
    or fragment."""
    if any(c in _NOT_IN_BASE_URL or not c.isprintable() for c in text):
        return "holds a space, a quote, an angle bracket or a control character"
    url = web_url(text)
    if url is None or not urlsplit(text).netloc:  # « https:///x »: a browser takes x for host
        return "is not an absolute http(s) URL with a host"
    if url.userinfo or "@" in text:
        return "carries a user name or password"
    if url.query or url.fragment or "?" in text or "#" in text:
        return "has a query or a fragment"
    return None
