"""Detached ed25519 signatures of a release's ``SHA256SUMS`` (``cryptography``).

Keys are PEM files, as OpenSSL writes them::

    openssl genpkey -algorithm ed25519 -out release-key.pem
    openssl pkey -in release-key.pem -pubout -out release-key.pub.pem

A signature is the 64 raw bytes of ed25519 over the exact bytes of ``SHA256SUMS``, so OpenSSL
checks it too: ``openssl pkeyutl -verify -pubin -inkey release-key.pub.pem -rawin
-in SHA256SUMS -sigfile SHA256SUMS.sig``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from core.errors import PublishError


def _key_bytes(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise PublishError(f"cannot read the {what} {path}: {exc.strerror or exc}") from None


def load_private_key(path: Path) -> Any:
    """The ed25519 private key of a PEM file (unencrypted); a ``PublishError`` naming the file
    when it is not one."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(_key_bytes(path, "signing key"), password=None)
    except (ValueError, TypeError) as exc:
        raise PublishError(f"{path} is not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise PublishError(f"{path} is not an ed25519 key (openssl genpkey -algorithm ed25519)")
    return key


def load_public_key(path: Path) -> Any:
    """The ed25519 public key of a PEM file; a ``PublishError`` naming the file when it is not
    one."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        key = load_pem_public_key(_key_bytes(path, "public key"))
    except (ValueError, TypeError) as exc:
        raise PublishError(f"{path} is not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise PublishError(f"{path} is not an ed25519 public key")
    return key


def fingerprint(key: Any) -> str:
    """The SHA-256 of a key's raw public bytes (a private key: of its public half), which
    ``evidence.json`` records so that a removed signature or another key is named."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = key.public_key() if hasattr(key, "public_key") else key
    return hashlib.sha256(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()


def sign(private_key: Any, data: bytes) -> bytes:
    return bytes(private_key.sign(data))


def signed_by(public_key: Any, data: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
