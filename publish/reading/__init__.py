"""A published package read back: ``load`` (as plain rows), ``verify`` (frictionless, a report as
data; ``keys``: its validation with each resource read once), ``integrity`` (``SHA256SUMS``),
``remote`` (downloaded from a URL) and ``untrusted`` (a descriptor checked before any path it
names is read)."""
