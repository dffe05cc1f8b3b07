"""A published package read back: ``load`` (as plain rows), ``verify`` (frictionless, a report as
data; ``keys``: its validation with each resource read once), ``integrity`` (``SHA256SUMS``),
``remote`` (downloaded from a URL), ``untrusted`` (a descriptor checked before any path it
names is read), ``chain`` (``evidence.json`` and ``rdv-opendata verify``: the release chain
walked from the first release) and ``signature`` (ed25519 signatures of ``SHA256SUMS``)."""
