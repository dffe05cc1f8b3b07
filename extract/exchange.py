"""One HTTP exchange as it happened on the wire: what ``extract/fetch.py`` records of every fetch
so that it can be archived as WARC (``extract/warc.py``). No parsing here."""

from __future__ import annotations

from dataclasses import dataclass

#: request headers whose values are never written down (a URL's credentials become one)
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
REDACTED = "[redacted]"

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True, kw_only=True)
class Exchange:
    """A request sent and the response received, in order and spelling as on the wire (values
    read as ISO-8859-1, the bytes HTTP allows); ``body`` is the entity as received (any
    content coding kept, any transfer coding removed), empty for a 304. ``date``: when the
    response's headers arrived (ISO 8601, UTC). A secret request header's value is replaced
    by ``[redacted]``: the record must never publish a credential."""

    url: str  # without credentials
    date: str
    method: str
    target: str  # the request target as sent: path and query
    request_headers: Headers
    http_version: str  # "HTTP/1.1"
    status: int
    reason: str
    response_headers: Headers
    body: bytes = b""
    truncated: bool = False  # the body was not read to its end (an error's, beyond a cap)
    ip: str | None = None  # the address of the server that answered, when known

    def header(self, name: str) -> str | None:
        """The response's first header of that name (any case), or None."""
        return next((v for k, v in self.response_headers if k.lower() == name.lower()), None)


def sent(headers: Headers) -> Headers:
    """Request headers as they may be written down: every secret value redacted."""
    return tuple((k, REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers)
