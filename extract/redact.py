"""URLs as they may be recorded: no user name or password, no secret-looking query value.

A source URL given with credentials (``http://user:password@host/…?token=…``) is fetched as
given, but every place that records it (datapackage.json ``sources``, state.json, the snapshot's
metadata, messages) gets this form instead.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: query parameters whose value is a secret (names compared in lower case)
SECRET_PARAMETER = re.compile(
    r"(?:^|[_-])(?:token|key|apikey|secret|password|passwd|pwd|pass|auth|authorization|"
    r"signature|sig|session|sid|credential|credentials|access|code)(?:$|[_-])"
)
REDACTED = "REDACTED"


def redact_url(url: str) -> str:
    """``url`` without userinfo and with secret-looking query values replaced by REDACTED."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https"):
        return url
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if _port(parts) else "")
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(SECRET_PARAMETER.search(name.lower()) for name, _ in pairs):
            query = urlencode(
                [(n, REDACTED if SECRET_PARAMETER.search(n.lower()) else v) for n, v in pairs],
                safe="/:",
            )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _port(parts) -> int | None:  # type: ignore[no-untyped-def]
    try:
        return parts.port
    except ValueError:
        return None
