"""Bytes to text: BOM, else the declared charset, else UTF-8, else windows-1252 — never a guess."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from core.errors import DecodeError
from core.settings import FALLBACK_ENCODINGS

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">,
# looked for in the first bytes as the HTML standard's prescan does
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_PRESCAN_BYTES = 4096


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # canonical codec name, e.g. "utf-8", "cp1252"
    how: str  # "bom", "declared" or "fallback"


def _canonical(name: str) -> str:
    return codecs.lookup(name).name


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag, or None."""
    match = _DECLARED.search(data[:_PRESCAN_BYTES])
    return match.group(1).decode("ascii").strip().lower() if match else None


def _text_codec(name: str) -> str:
    """The canonical name of a declared charset, refused unless it is a text encoding (rot13,
    base64, hex, zlib or uu are codecs of Python's, but not charsets)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise DecodeError(f"the source declares an unknown charset {name!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise DecodeError(f"the page declares charset {name!r}, which is not a text encoding")
    return info.name


def _strict(data: bytes, encoding: str, how: str) -> Decoded:
    try:
        return Decoded(data.decode(encoding), _canonical(encoding), how)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"the source is not valid {encoding} ({how}): byte 0x{data[exc.start]:02x} "
            f"at offset {exc.start} cannot be decoded"
        ) from None
    except UnicodeError as exc:  # a codec that fails without an offset (punycode, undefined)
        raise DecodeError(f"the source cannot be decoded as {encoding} ({how}): {exc}") from None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, "bom")
    if b"\x00" in data:
        raise DecodeError(f"the source is binary, not text: NUL byte at offset {data.index(0)}")
    declared = declared_charset(data)
    if declared:
        canonical = _text_codec(declared)
        if canonical not in ("utf-8", "ascii") and not data.isascii() and _is_utf8(data):
            # multi-byte UTF-8 sequences are all but impossible in real single-byte text: read
            # as declared, every accented letter would be garbled without any error
            raise DecodeError(
                f"the source declares charset {declared!r} but its bytes are UTF-8; "
                "its accented characters would be garbled"
            )
        return _strict(data, declared, "declared")
    last: DecodeError | None = None
    for encoding in FALLBACK_ENCODINGS:
        try:
            return _strict(data, encoding, "fallback")
        except DecodeError as exc:
            last = exc
    assert last is not None
    raise DecodeError(
        f"the source is neither UTF-8 nor windows-1252 and declares no charset ({last})"
    )
