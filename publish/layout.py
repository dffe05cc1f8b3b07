"""Where everything is: the name of every file and folder of the output folder and of a release,
each said once, here (``tests/publish/formats/test_layout.py`` fails when a package writes one
as a literal).

The output folder (``OUTPUT/``)::

    releases/<version>/    a release, immutable (below)
    latest, latest.json    the newest release: a link (or a copy) and its file list
    releases.json          the catalog of releases, oldest first
    state.json             the last source read and the reader that read it
    attempts.json          every run, a failed one included
    snapshots/             every source ever read, under its SHA-256
    warc/                  every read of the source as a WARC file, kept forever
    site/                  the website, its Atom feeds and its calendars
    .site-spare/           a large site a run replaced, whose files the next build rewrites
    history.sqlite         every release in one database (and its Datasette metadata)
    catalog.jsonld         the DCAT-AP catalogue
    .lock                  held by the publisher while it writes

A release (``releases/<version>/``)::

    datapackage.json, changes.json, CHANGES.md, DATA_DICTIONARY.md, evidence.json, SHA256SUMS,
    SHA256SUMS.sig (when signed),
    data/<resource>.<csv|json|parquet>, data/rdv-isere.xlsx, schemas/<resource>.json,
    and per other language (``core/locales/<language>``): CHANGES.<language>.md and
    data/rdv-isere.<language>.xlsx (the site's pages, feeds and calendars: site/<language>/)

The suffixes and media types of the published formats are in ``publish.formats.table``.
"""

from __future__ import annotations

# --- the output folder -------------------------------------------------------------------------

RELEASES_DIR = "releases"
LATEST = "latest"
LATEST_JSON = "latest.json"
CATALOG_FILE = "releases.json"
STATE_FILE = "state.json"
ATTEMPTS_FILE = "attempts.json"
LOCK_FILE = ".lock"
#: a run's outputs are built in ``STAGING_PREFIX<random>/`` beside their places, audited, then
#: switched in: this journal, written at once, is the commit (``publish/release/switch.py``)
STAGING_PREFIX = ".staging-"
SWITCH_FILE = ".switch.json"
#: what a run made garbage, too large to delete before the run ends: deleted by a process of its
#: own (``publish/release/reclaim.py``), or by the next run's ``recover``
TRASH_PREFIX = ".trash-"
SNAPSHOTS_DIR = "snapshots"
#: a snapshot's metadata: ``snapshots/<sha256><suffix>`` + this
SNAPSHOT_META_SUFFIX = ".json"
#: every read of the source, a WARC file each (``extract/warc.py`` names them)
WARC_DIR = "warc"
SITE_DIR = "site"
#: the site a run replaced, kept until the next build rewrites its files in place of creating
#: as many new ones (``publish/release/spare.py``): then deleted, what of it was not reused
SITE_SPARE = ".site-spare"
#: Datasette names a database after its file: the metadata and the canned queries' addresses
#: (``/history/<name>``) use this name
HISTORY_DATABASE = "history"
HISTORY_FILE = f"{HISTORY_DATABASE}.sqlite"
HISTORY_METADATA_FILE = f"{HISTORY_DATABASE}.metadata.json"
DCAT_FILE = "catalog.jsonld"
#: what a run switches in together, in this order: the catalog (the truth) first, the state
#: and the record of attempts last
SWITCHED = (
    CATALOG_FILE,
    LATEST,
    LATEST_JSON,
    HISTORY_FILE,
    HISTORY_METADATA_FILE,
    DCAT_FILE,
    SITE_DIR,
    STATE_FILE,
    ATTEMPTS_FILE,
)

# --- the website (in SITE_DIR) -----------------------------------------------------------------

#: inside SITE_DIR: the catalog version the site shows (a site that lags is rebuilt), the
#: time of the failed run its banner shows (empty: no banner), and the freshness it shows (the
#: last check, the last change, stale or fresh: a site showing an older check is rebuilt)
SITE_VERSION_FILE = ".version"
SITE_BANNER_FILE = ".banner"
SITE_FRESHNESS_FILE = ".freshness"
SITE_INDEX = "index.html"
SITE_HOME = f"{SITE_DIR}/{SITE_INDEX}"
SITE_HISTORY = "history.html"
SITE_STYLE = "style.css"
SITE_RELEASES_DIR = "releases"
MAIN_FEED = "feed.xml"
TYPE_FEEDS_DIR = "feeds"
#: the iCalendar feeds: every type's events, and one calendar per type (beside the Atom feeds,
#: and named like them: no type id can clash with the calendar of every type)
MAIN_CALENDAR = "calendar.ics"
TYPE_CALENDARS_DIR = "calendars"

# --- a release ---------------------------------------------------------------------------------

DESCRIPTOR_FILE = "datapackage.json"
CHANGES_FILE = "changes.json"
SUMMARY_FILE = "CHANGES.md"
DICTIONARY_FILE = "DATA_DICTIONARY.md"
SUMS_FILE = "SHA256SUMS"
#: the release's link in the chain: the previous release's SHA256SUMS digest, the source's WARC
EVIDENCE_FILE = "evidence.json"
#: an ed25519 signature of SHA256SUMS (``--sign-key``); not listed in SHA256SUMS
SIGNATURE_FILE = f"{SUMS_FILE}.sig"
DATA_DIR = "data"
SCHEMAS_DIR = "schemas"
WORKBOOK_FILE = f"{DATA_DIR}/rdv-isere.xlsx"


def warc_file(name: str) -> str:
    """A WARC file, relative to the output folder."""
    return f"{WARC_DIR}/{name}"


def release_dir(version: str) -> str:
    """A release's folder, relative to the output folder."""
    return f"{RELEASES_DIR}/{version}"


def data_file(resource: str, suffix: str) -> str:
    """A resource's file in one format (``suffix`` from the format table), in its release."""
    return f"{DATA_DIR}/{resource}{suffix}"


def schema_file(resource: str) -> str:
    """A resource's standalone Table Schema, in its release."""
    return f"{SCHEMAS_DIR}/{resource}.json"


def site_release_page(version: str) -> str:
    """A release's page, relative to the site's folder."""
    return f"{SITE_RELEASES_DIR}/{version}.html"


def type_feed(type_id: str) -> str:
    """A type's Atom feed, relative to the site's folder."""
    return f"{TYPE_FEEDS_DIR}/{type_id}.xml"


def type_calendar(type_id: str) -> str:
    """A type's iCalendar feed, relative to the site's folder."""
    return f"{TYPE_CALENDARS_DIR}/{type_id}.ics"


# --- the other languages -----------------------------------------------------------------------
# The default language (``core.i18n.DEFAULT``) keeps the names above; every other language's site,
# feeds and calendars are the same names in ``SITE_DIR/<language>/``, and its change summary and
# workbook sit beside the default one's, with the language before the suffix.


def site_language_dir(language: str, default: str) -> str:
    """A language's folder inside SITE_DIR, with its slash: none for the default language."""
    return "" if language == default else f"{language}/"


def summary_file(language: str, default: str) -> str:
    """A release's change summary in ``language``: ``CHANGES.md``, ``CHANGES.en.md``."""
    return SUMMARY_FILE if language == default else _with_language(SUMMARY_FILE, language)


def workbook_file(language: str, default: str) -> str:
    """A release's workbook in ``language``: ``data/rdv-isere.xlsx``, ``data/rdv-isere.en.xlsx``."""
    return WORKBOOK_FILE if language == default else _with_language(WORKBOOK_FILE, language)


def _with_language(name: str, language: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{language}{dot}{suffix}"
