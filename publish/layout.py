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
    site/                  the website, its Atom feeds and its calendars
    history.sqlite         every release in one database (and its Datasette metadata)
    catalog.jsonld         the DCAT-AP catalogue
    .lock                  held by the publisher while it writes

A release (``releases/<version>/``)::

    datapackage.json, changes.json, CHANGES.md, DATA_DICTIONARY.md, SHA256SUMS,
    data/<resource>.<csv|json|parquet>, data/rdv-isere.xlsx, schemas/<resource>.json

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
SNAPSHOTS_DIR = "snapshots"
#: a snapshot's metadata: ``snapshots/<sha256><suffix>`` + this
SNAPSHOT_META_SUFFIX = ".json"
SITE_DIR = "site"
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
DATA_DIR = "data"
SCHEMAS_DIR = "schemas"
WORKBOOK_FILE = f"{DATA_DIR}/rdv-isere.xlsx"


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
