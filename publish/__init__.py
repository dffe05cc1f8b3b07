"""Releases and everything made from them, in six rooms; imports only go down this list:

- ``publish.layout``: the name of every file of a release and of the output folder, once.
- ``formats/``: the format table (suffix, media type, EU file type, writer, reader of each
  published format) and the writers that need more than a line (the workbook, the standalone
  Table Schemas).
- ``reading/``: a published package read back: loaded, verified by frictionless, its
  ``SHA256SUMS`` checked, downloaded from a URL, its descriptor checked as untrusted; the
  release chain of an output folder verified (``chain.py``) and signatures (``signature.py``).
- ``changes/``: what changed between two packages (rows, schemas, metadata), the types of
  ``changes.json`` and ``releases.json``, and how a change is said in French.
- ``release/``: writing a release: the package, the version bump, the guards, the store (the
  output folder: releases, ``latest``, catalog, snapshots, lock, recovery, staged views),
  atomic file steps, and the switch that puts a run's outputs in place together.
- ``history/``: every release as one SQLite database for Datasette.
- ``derived/``: the files made from the whole output folder (the DCAT catalogue, the history),
  refreshed after a publish, and the audit of a run's outputs before they are switched in.
"""
