"""A source's capture as a WARC/1.1 file (ISO 28500), written and read with ``warcio``.

One file per read of the source, gzip-compressed record by record (``.warc.gz``), opening with a
``warcinfo`` record:

- a page fetched: a ``request`` and a ``response`` record per exchange (redirects first), the
  status line and the headers written byte for byte as they went on the wire (``Exchange``);
- a 304 Not Modified: its ``request``, then a ``revisit`` record (profile
  ``server-not-modified``) that refers to the earlier response (``WARC-Refers-To``);
- a file: a ``resource`` record whose ``WARC-Date`` is the day its content was seen on the site
  (its observed date), the time it was read in ``RDV-Read-Date``, how the date was established
  in ``RDV-Observed-From``.

Digests are SHA-256 (warcio writes SHA-1 unless told), labelled and in base32 as warcio writes
them: ``sha256:<base32>``; ``sha256_hex`` turns one into the hexadecimal SHA-256 that
``sha256sum`` prints and the snapshots are named after. Record ids are derived from what they
record (a UUID v5), so that the same capture gives the same bytes (``SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from core.imports import without
from core.version import own_version
from extract.exchange import Exchange
from extract.read import BUNDLED_PREFIX, Source, is_url

WARC_VERSION = "1.1"
WARC_SUFFIX = ".warc.gz"
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
#: the types of record that hold a source's bytes (a revisit holds none: it refers to one)
PAYLOAD_TYPES = ("response", "resource")
_NAMESPACE = uuid.UUID("5b7c2f4e-3a57-4f4c-9a55-7264762d7761")


@dataclass(frozen=True, kw_only=True)
class Earlier:
    """The response a 304 says is still current: what its ``revisit`` record refers to."""

    record_id: str
    target: str
    date: str
    payload_sha256: str  # hexadecimal


@dataclass(frozen=True, kw_only=True)
class Capture:
    """A WARC file's bytes and name, and the record that holds (or, for a 304, refers to) the
    source."""

    data: bytes
    name: str
    record_id: str
    record_type: str  # "response", "resource" or "revisit"
    target: str
    date: str
    payload_digest: str  # sha256:<base32> of the source's bytes


def labelled(hex_sha256: str) -> str:
    """A hexadecimal SHA-256 as a WARC digest: ``sha256:<base32>``."""
    return "sha256:" + base64.b32encode(bytes.fromhex(hex_sha256)).decode("ascii")


def sha256_hex(digest: str) -> str | None:
    """The hexadecimal SHA-256 of a WARC digest (``sha256:`` base32 or base16), else None."""
    label, _, value = digest.strip().partition(":")
    if label.lower() != "sha256":
        return None
    try:
        raw = bytes.fromhex(value) if len(value) == 64 else base64.b32decode(value.upper())
    except ValueError:
        return None
    return raw.hex() if len(raw) == 32 else None


def warc_date(moment: str) -> str:
    """A time (``…Z``) or a day (``YYYY-MM-DD``, its first second) as a WARC-Date."""
    return moment if "T" in moment else f"{moment}T00:00:00Z"


def target_of(source: Source) -> str:
    """What a record names as its target: a page's URL (without credentials), a file's name
    (never its local folder), the bundled snapshot's own name."""
    if is_url(source.location) or source.location.startswith(BUNDLED_PREFIX):
        return source.location
    return "file:" + quote(Path(source.location).name)


def _record_id(*parts: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(_NAMESPACE, chr(10).join(parts))}>"


def refused_answer(answered: tuple[Exchange, ...], retrieved: str) -> Capture:
    """The WARC file of a fetch the server answered with an error (a 4xx, a 5xx given up on):
    what the page was that day is that answer."""
    last = answered[-1]
    return capture(
        Source(data=b"", location=last.url, retrieved=retrieved, exchanges=tuple(answered))
    )


def capture(source: Source, earlier: Earlier | None = None) -> Capture:
    """The WARC file of one read of ``source`` (``earlier``: what a 304 refers to)."""
    digest = labelled(hashlib.sha256(source.data).hexdigest())
    target = target_of(source)
    if source.exchanges:
        date = source.exchanges[-1].date
        records, main = _http_records(source.exchanges, earlier, source.not_modified)
    else:
        date = warc_date(source.observed or source.retrieved)
        main = _resource(source, target, date, digest)
        records = [main]
    main_id = main.rec_headers.get_header("WARC-Record-ID")
    body = _write(records)
    # named by its time and its records' digest: two different reads never share a name
    stamp = date.replace("-", "").replace(":", "")
    name = f"rdv-{stamp}-{hashlib.sha256(body).hexdigest()[:12]}{WARC_SUFFIX}"
    data = _write([_warcinfo(name, date)]) + body
    if source.not_modified and earlier is not None:
        digest = labelled(earlier.payload_sha256)
    return Capture(
        data=data,
        name=name,
        record_id=main_id,
        record_type=main.rec_type,
        target=main.rec_headers.get_header("WARC-Target-URI"),
        date=date,
        payload_digest=digest,
    )


@functools.cache
def _warcio() -> None:
    """Import warcio without fsspec, which it imports when it can to open files by name in its
    command-line tools (never used here) and which reads every installed distribution's entry
    points as it loads: 10 ms of a publish. Called before each use of warcio."""
    with without("fsspec"):
        import warcio.utils  # noqa: F401


def _writer() -> Any:
    _warcio()
    from warcio.utils import Digester
    from warcio.warcwriter import BufferWARCWriter

    class Writer(BufferWARCWriter):  # type: ignore[misc]
        """warcio's writer with SHA-256 digests."""

        @staticmethod
        def _create_digester() -> Digester:
            return Digester("sha256")

    return Writer(gzip=True, warc_version=WARC_VERSION)


def _write(records: list[Any]) -> bytes:
    writer = _writer()
    for record in records:
        writer.write_record(record)
    return bytes(writer.get_contents())


def _warcinfo(name: str, date: str) -> Any:
    fields = (
        f"software: rdv-opendata {own_version()} (warcio)\r\n"
        "format: WARC File Format 1.1\r\n"
        "description: one read of the source of rdv-opendata; digests are SHA-256 in base32\r\n"
    ).encode()
    return _writer().create_warc_record(
        "",
        "warcinfo",
        payload=io.BytesIO(fields),
        length=len(fields),
        warc_content_type="application/warc-fields",
        warc_headers_dict={
            "WARC-Record-ID": _record_id("warcinfo", name),
            "WARC-Date": date,
            "WARC-Filename": name,
        },
    )


def _resource(source: Source, target: str, date: str, digest: str) -> Any:
    kind = "text/html" if source.suffix in (".html", ".htm") else "text/plain"
    headers = {
        "WARC-Record-ID": _record_id(
            "resource", target, date, digest, source.retrieved, source.observed_from or ""
        ),
        "WARC-Date": date,
        "WARC-Payload-Digest": digest,
        "RDV-Read-Date": source.retrieved,
        "RDV-Observed-From": source.observed_from or "",
    }
    return _writer().create_warc_record(
        target,
        "resource",
        payload=io.BytesIO(source.data),
        length=len(source.data),
        warc_content_type=kind,
        warc_headers_dict={k: v for k, v in headers.items() if v},
    )


class _Received:
    """A status line and headers written byte for byte as on the wire: warcio's own
    ``StatusAndHeaders`` would re-encode them (percent-encoding what is not ASCII)."""

    @staticmethod
    def make(first_line: str, headers: tuple[tuple[str, str], ...], request: bool) -> Any:
        _warcio()
        from warcio.statusandheaders import StatusAndHeaders

        class Received(StatusAndHeaders):  # type: ignore[misc]
            def compute_headers_buffer(self, header_filter: Any = None) -> None:
                pass  # kept as received

        raw = "".join(f"{k}: {v}\r\n" for k, v in headers)
        protocol, _, status = first_line.partition(" ")
        if request:
            made = Received(first_line, list(headers), is_http_request=True)
        else:
            made = Received(status, list(headers), protocol=protocol)
        made.headers_buff = f"{first_line}\r\n{raw}\r\n".encode("latin-1")
        return made


def _http_records(
    exchanges: tuple[Exchange, ...], earlier: Earlier | None, not_modified: bool
) -> tuple[list[Any], Any]:
    records, main = [], None
    for number, exchange in enumerate(exchanges):
        last = number == len(exchanges) - 1
        answer = (
            _revisit(exchange, earlier, number)
            if last and not_modified
            else _response(exchange, number)
        )
        records += [answer, _request(exchange, answer, number)]
        main = answer
    return records, main


def _body(exchange: Exchange) -> bytes:
    """The body as a WARC reader expects it: a chunked response's entity framed again as one
    chunk (the library removed the transfer coding), so that the headers stay as received."""
    if (exchange.header("transfer-encoding") or "").lower() != "chunked":
        return exchange.body
    size = f"{len(exchange.body):x}\r\n".encode("ascii")
    return size + exchange.body + b"\r\n0\r\n\r\n" if exchange.body else b"0\r\n\r\n"


def _response(exchange: Exchange, number: int) -> Any:
    line = f"{exchange.http_version} {exchange.status} {exchange.reason}".rstrip()
    body = _body(exchange)
    entity = labelled(hashlib.sha256(exchange.body).hexdigest())
    return _writer().create_warc_record(
        exchange.url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=_Received.make(line, exchange.response_headers, request=False),
        warc_headers_dict={
            "WARC-Record-ID": _record_id(
                "response",
                exchange.url,
                exchange.date,
                str(number),
                entity,
                exchange.reason,
                repr(exchange.response_headers),
            ),
            "WARC-Date": exchange.date,
            "WARC-Payload-Digest": entity,
            **({"WARC-IP-Address": exchange.ip} if exchange.ip else {}),
            **({"WARC-Truncated": "length"} if exchange.truncated else {}),
        },
    )


def _revisit(exchange: Exchange, earlier: Earlier | None, number: int) -> Any:
    line = f"{exchange.http_version} {exchange.status} {exchange.reason}".rstrip()
    headers = {
        "WARC-Record-ID": _record_id(
            "revisit",
            exchange.url,
            exchange.date,
            str(number),
            repr(exchange.response_headers),
            earlier.record_id if earlier else "",
        ),
        "WARC-Date": exchange.date,
        "WARC-Profile": NOT_MODIFIED_PROFILE,
    }
    if earlier is not None:
        headers |= {
            "WARC-Refers-To": earlier.record_id,
            "WARC-Refers-To-Target-URI": earlier.target,
            "WARC-Refers-To-Date": earlier.date,
            "WARC-Payload-Digest": labelled(earlier.payload_sha256),
        }
    return _writer().create_warc_record(
        exchange.url,
        "revisit",
        http_headers=_Received.make(line, exchange.response_headers, request=False),
        warc_headers_dict=headers,
    )


def _request(exchange: Exchange, answer: Any, number: int) -> Any:
    line = f"{exchange.method} {exchange.target} {exchange.http_version}"
    return _writer().create_warc_record(
        exchange.url,
        "request",
        http_headers=_Received.make(line, exchange.request_headers, request=True),
        warc_headers_dict={
            "WARC-Record-ID": _record_id(
                "request",
                answer.rec_headers.get_header("WARC-Record-ID"),
                str(number),
                repr(exchange.request_headers),
            ),
            "WARC-Date": exchange.date,
            "WARC-Concurrent-To": answer.rec_headers.get_header("WARC-Record-ID"),
        },
    )


# --- reading back --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Found:
    """A record read back: its type, its headers and, for a response or a resource, its payload
    as a reader replays it (any content coding decoded)."""

    record_type: str
    headers: dict[str, str]
    payload: bytes
    content_coded: bool = False  # a response whose server compressed it (Content-Encoding)


def find_record(path: Path, record_id: str) -> Found | None:
    """The record of that id in the WARC file at ``path``, or None; a ``ValueError`` when the
    file cannot be read as WARC (truncated, edited)."""
    _warcio()
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_headers.get_header("WARC-Record-ID") != record_id:
                    continue
                payload = (
                    record.content_stream().read() if record.rec_type in PAYLOAD_TYPES else b""
                )
                http = record.http_headers
                return Found(
                    record_type=record.rec_type,
                    headers=dict(record.rec_headers.headers),
                    payload=payload,
                    content_coded=bool(http and http.get_header("content-encoding")),
                )
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        raise ValueError(f"not a readable WARC file ({type(exc).__name__}: {exc})") from None
    return None
