"""The release website in ``DIR/site/``, in French, and in every other language of
``core.i18n`` in ``DIR/site/<language>/`` (the same pages, feeds and calendars), regenerated at
each publish from the same releases, read once.

Jinja2 with autoescape on; no JavaScript, no external script or font; a responsive layout. The
home page answers « comment obtenir un rendez-vous pour … ? » from the latest release; a page per
release gives its change summary and every file with size and SHA-256; the history page lists
the releases and charts the visibility weeks per appointment type over the days they were
observed. Every French page's text gets French typography (``typeset``); the published files keep
theirs. The prefecture's own words keep their French, marked ``lang="fr"`` on the other languages'
pages (the ``fr`` filter); every page names its other languages (``hreflang``), the French one
canonical.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment
from markupsafe import Markup

from core import i18n, parallel
from core.collector import collector_paused
from core.errors import PublishError
from extract.read import now_utc
from publish import layout
from publish.changes import french, home, unread
from publish.changes.french import short_date
from publish.changes.records import CatalogEntry
from publish.changes.summary import (
    BUMP_WORDS,
    change_totals,
    first_publication,
    release_lines,
    unread_lines,
)
from publish.reading.load import PackageData
from publish.release import spare
from publish.release.atomic import crash_point, replace_path
from publish.release.reclaim import reclaim
from publish.release.store import BUILDING_PREFIX, ReleaseStore
from website import freshness_words as words
from website.calendars import subscriptions, write_calendars
from website.chart import Series, step_chart
from website.feeds import write_feeds
from website.files import recycling, write_file
from website.freshness import Freshness
from website.freshness import freshness as facts_age
from website.languages import environment, language_links
from website.observed import day as _day
from website.observed import observed_day
from website.releases import SiteRelease, SiteReleases, read_releases

HERE = Path(__file__).parent


#: the text between two tags of a rendered page (autoescape keeps ``<`` and ``>`` out of values)
#: that holds a sign French typography spaces (``french.typography``: « » : ; ! ?), after the
#: ``>`` that opens it (a literal first: the search skips from one to the next, where a
#: look-behind was tried at every character of a page of megabytes); the others, most of a
#: large page, are left as they are without a call
_TEXT = re.compile(r">([^<>]*[«»:;!?][^<>]*)(?=<)")


def typeset(html: str) -> str:
    """French typography (``french.typography``) on the text of a rendered page, never on its
    tags or attributes: templates and values alike, one rule for the whole site."""
    if i18n.current() != i18n.DEFAULT:
        return html
    said: dict[str, str] = {}  # a large page says the same few texts once per type

    def spaced(match: re.Match[str]) -> str:
        text = match.group(1)
        found = said.get(text)
        if found is None:
            found = said[text] = ">" + french.typography(text)
        return found

    return _TEXT.sub(spaced, html)


def freshness(entry: CatalogEntry, package: PackageData) -> dict[str, Any]:
    """When the facts shown were observed on the prefecture's site, and the page they were read
    from when it was fetched (a link), else None (a copy of the page kept in a file)."""
    sources = package.descriptor.get("sources") or [{}]
    source = sources[0] if isinstance(sources[0], dict) else {}
    observed = _day(entry.get("source_observed")) or _day(source.get("observed"))
    path = str(source.get("path") or "")
    parts = urlsplit(path)
    return {
        "observed_fr": short_date(observed) if observed else None,
        "url": path if parts.scheme in ("http", "https") and parts.hostname else None,
    }


def home_types(package: PackageData, published: str) -> list[dict[str, Any]]:
    """The home page's appointment types, in order, each with its channels and the sentences of
    it that could not be read (``publish.changes.home``: the workbook's « Synthèse » says the
    same)."""
    return home.home_types(package.rows, published)


def unread_notice(types: list[dict[str, Any]]) -> dict[str, Any] | None:
    """For the home page: how many sentences could not be read, and the types they are in."""
    count = sum(len(t["unread"]) for t in types)
    if not count:
        return None
    return {"said": unread.count_line(count), "types": [t for t in types if t["unread"]]}


def release_files(store: ReleaseStore, version: str) -> list[dict[str, Any]]:
    """Every file of a release as its ``SHA256SUMS`` lists it, with its size in bytes, then that
    file."""
    folder = store.release_path(version)
    files = []
    for digest, name in store.sums(version):
        size = (folder / name).stat().st_size
        files.append({"path": name, "sha256": digest, "size": size})
    sums = folder / layout.SUMS_FILE
    files.append({"path": layout.SUMS_FILE, "sha256": "—", "size": sums.stat().st_size})
    return files


def _size(size: int) -> str:
    """« 12\u202f345 octets »."""
    return i18n.ngettext("{size} octet", "{size} octets", size).format(
        size=f"{size:,}".replace(",", "\u202f")
    )


def _visibility_series(packages: list[PackageData]) -> list[Series]:
    series: dict[str, Series] = {}
    for index, package in enumerate(packages):
        labels = {t["type_id"]: t["label"] for t in package.rows["appointment_types"]}
        types = {c["channel_id"]: labels[c["type_id"]] for c in package.rows["channels"]}
        for rule in package.rows["slot_rules"]:
            if rule["visibility_weeks"] is None:
                continue
            label = types[rule["channel_id"]]
            if rule["applies_to"]:
                label += f" — {rule['applies_to']}"
            series.setdefault(label, Series(label, {})).points[index] = rule["visibility_weeks"]
    return list(series.values())


def site_version(store: ReleaseStore) -> str | None:
    return _marker(store, layout.SITE_VERSION_FILE)


def _banner_key(store: ReleaseStore) -> str:
    """What the site's banner shows: the time of the run whose changed page could not be read,
    or nothing."""
    unread = store.unread_change()
    return str(unread["time"]) if unread else ""


def _marker(store: ReleaseStore, name: str) -> str | None:
    marker = store.site / name
    try:
        return marker.read_text(encoding="utf-8").strip() if marker.is_file() else None
    except OSError:
        return None


def site_freshness(store: ReleaseStore, latest: CatalogEntry) -> Freshness:
    """How old the latest release's facts are at the run's time (``now_utc``): its descriptor
    is enough, so an unchanged run reads none of its tables."""
    descriptor = store.descriptor(latest["version"])
    return facts_age(store.attempts(), latest, descriptor, now_utc(), store.stale_after_days)


def ensure_site(store: ReleaseStore) -> Path | None:
    """Rebuild the site when it does not show the catalog's latest release (a build that failed
    or was killed after the release was committed), the right banner, or the right freshness
    (a newer check, or a warning now due); None when current."""
    latest = store.latest_entry()
    if latest is None or (
        site_version(store) == latest["version"]
        and _marker(store, layout.SITE_BANNER_FILE) == _banner_key(store)
        and _marker(store, layout.SITE_FRESHNESS_FILE) == site_freshness(store, latest).key
        and (store.site / layout.SITE_INDEX).is_file()
    ):
        return None
    return build_site(store)


def banner(store: ReleaseStore, latest: CatalogEntry) -> dict[str, str] | None:
    """When the page changed but could not be read, or was held back for a person to check
    (``held``): the day of that run and the day the facts shown were observed, for the banner
    on every page."""
    unread = store.unread_change()
    if unread is None:
        return None
    return {
        "held": "held" if unread.get("outcome") == "refused" else "",
        "changed_fr": short_date(unread["time"]) or i18n.gettext("une date inconnue"),
        "observed_fr": short_date(latest.get("source_observed"))
        or i18n.gettext("une date inconnue"),
    }


def age(fresh: Freshness) -> dict[str, Any]:
    """What every page says of how old its facts are: the demonstration's notice and the
    warning (None when not due), then the line with both dates."""
    return {
        "demo": words.demo(fresh.changed) if fresh.demo else None,
        "stale": words.stale(fresh.checked) if fresh.stale else None,
        "dates": words.dates(fresh.checked, fresh.changed),
    }


def build_site(store: ReleaseStore) -> Path:
    """Render every page into a temporary folder, then put it in place of ``site/``."""
    try:
        return _build_site(store)
    except OSError as exc:
        raise PublishError(
            f"cannot build the site in {store.root / layout.SITE_DIR}: {exc.strerror or exc}"
        ) from None


def _build_site(store: ReleaseStore) -> Path:
    crash_point("site-building")
    catalog = store.catalog()
    if not catalog:
        raise PublishError("cannot build the site: no release to show")
    building = Path(tempfile.mkdtemp(prefix=f"{BUILDING_PREFIX}site-", dir=store.root))
    spare.claim(store.root, building)  # the site a run replaced: its files are rewritten
    try:
        building.chmod(0o755)
        fresh = _build_languages(store, building, catalog)
        with recycling(building):
            write_file(building / layout.SITE_STYLE, (HERE / layout.SITE_STYLE).read_bytes())
            for name, text in (
                (layout.SITE_VERSION_FILE, catalog[-1]["version"]),
                (layout.SITE_BANNER_FILE, _banner_key(store)),
                (layout.SITE_FRESHNESS_FILE, fresh.key),
            ):
                write_file(building / name, text.encode("utf-8"))
        target = store.target(layout.SITE_DIR)  # in the staging folder of a staged view
        # served while rebuilt: never missing; the site replaced here (not staged) is the spare
        replace_path(building, target, step="site-built", keep_old=True)
        if os.path.lexists(building) and not spare.retire(building, store.root):
            reclaim(building)
    finally:
        shutil.rmtree(building, ignore_errors=True)
        spare.release_spare(building)
    return target


def _build_languages(store: ReleaseStore, building: Path, catalog: list[CatalogEntry]) -> Freshness:
    """Every language of the site into ``building``; returns the facts' freshness. For a large
    table (``ReleaseStore.large``), the languages other than the default one are built by a
    second process meanwhile (``core.parallel``), which reads the releases again."""
    others = [lang for lang in i18n.languages() if lang != i18n.DEFAULT]
    if not others or not store.large(store.latest_rows()):
        return build_languages(store, building, catalog, i18n.languages())
    what = "the site in " + ", ".join(others)
    sent = store.sendable()
    with parallel.started(what, build_languages, sent, building, catalog, others) as pending:
        fresh = build_languages(store, building, catalog, [i18n.DEFAULT])
        pending.result()
    return fresh


def build_languages(
    store: ReleaseStore, building: Path, catalog: list[CatalogEntry], languages: Sequence[str]
) -> Freshness:
    """The site's pages, feeds and calendars in each of ``languages`` into ``building``, from
    the releases of ``catalog``, each read once for them all; returns the facts' freshness."""
    with recycling(building):
        return _build_languages_in(store, building, catalog, languages)


def _build_languages_in(
    store: ReleaseStore, building: Path, catalog: list[CatalogEntry], languages: Sequence[str]
) -> Freshness:
    site = read_releases(store, catalog, "cannot build the site")
    files = [release_files(store, e["version"]) for e in catalog]
    env = environment()  # its templates compiled once; gettext says the language of the moment
    fresh = None
    for lang in languages:
        with i18n.language(lang):
            folder = building / layout.site_language_dir(lang, i18n.DEFAULT)
            fresh = _build_language(store, folder, site, files, env)
    assert fresh is not None
    return fresh


def _summary(release: SiteRelease) -> list[str]:
    """A release's change lines: said in the current language from the two releases' rows,
    except in French, where ``changes.json`` keeps them (a first publication's are said again:
    older releases named resources)."""
    entry, changes, package = release.entry, release.changes, release.package
    if i18n.current() != i18n.DEFAULT:
        return release_lines(changes, release.old, package, release.lines)
    if changes.get("from_version") is None:
        titles = {
            r["name"]: r.get("title") or r["name"] for r in package.descriptor.get("resources", [])
        }
        added = {n: c["added"] for n, c in entry["changes"].items()}
        return [*unread_lines(package), first_publication(added, titles)]
    return list(changes.get("summary", []))


def _releases(
    store: ReleaseStore, site: SiteReleases, files: list[list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Every release as the pages show it, in the current language."""
    workbook = layout.workbook_file(i18n.current(), i18n.DEFAULT)
    releases: list[dict[str, Any]] = []
    for release, listed in zip(site.releases, files, strict=True):
        entry, changed = release.entry, release.changes
        folder = store.release_path(entry["version"])
        totals = change_totals(entry["changes"])
        spreadsheet = (folder / workbook).is_file() and workbook
        releases.append(
            {
                **entry,
                **totals,
                "published_fr": short_date(entry["published"]),
                "observed": observed_day(entry),
                "observed_fr": short_date(observed_day(entry)),
                "observed_known": _day(entry.get("source_observed")) is not None,
                "bump_fr": french.said(BUMP_WORDS, entry["bump"]),
                "from_version": changed.get("from_version"),
                "summary": _summary(release),
                "files": [{**f, "size": _size(f["size"])} for f in listed],
                "spreadsheet": spreadsheet,
                "spreadsheet_name": spreadsheet and spreadsheet.rsplit("/", 1)[-1],
            }
        )
    return releases


@collector_paused()
def _build_language(
    store: ReleaseStore,
    building: Path,
    site: SiteReleases,
    files: list[list[dict[str, Any]]],
    env: Environment,
) -> Freshness:
    """Every page, feed and calendar in the current language, into ``building``. The collector
    is paused meanwhile (``core.collector``): at 10,000 types the pages, lines and events are
    hundreds of thousands of objects kept to the end, with no cycle among them, and each of its
    collections walked the releases' rows again (a quarter of the site's CPU)."""
    lang = i18n.current()
    (building / layout.SITE_RELEASES_DIR).mkdir(parents=True)
    catalog = site.catalog
    packages = [r.package for r in site.releases]
    releases = _releases(store, site, files)
    latest = releases[-1]
    series = _visibility_series(packages)
    chart = step_chart(series, [r["observed"] for r in releases])
    fresh = site_freshness(store, catalog[-1])
    top = "../" if lang != i18n.DEFAULT else ""

    def common(page: str, depth: int) -> dict[str, Any]:
        return {
            "lang": lang,
            "root": top + "../" * depth,
            "home": "../" * depth,
            "languages": language_links(store.base_url, lang, page, depth),
            "latest": latest,
            "banner": banner(store, catalog[-1]),
            "age": age(fresh),
        }

    types = home_types(packages[-1], latest["published"])
    pages = {
        layout.SITE_INDEX: env.get_template("index.html").render(
            types=types,
            calendars=subscriptions(store.base_url, [t["type_id"] for t in types]),
            unread=unread_notice(types),
            fresh=freshness(catalog[-1], packages[-1]),
            **common(layout.SITE_INDEX, 0),
        ),
        layout.SITE_HISTORY: env.get_template("history.html").render(
            releases=releases,
            chart_svg=Markup(chart),
            chart_series=series,
            **common(layout.SITE_HISTORY, 0),
        ),
    }
    for release in releases:
        page = layout.site_release_page(release["version"])
        pages[page] = env.get_template("release.html").render(
            release=release, **common(page, page.count("/"))
        )
    for name, html in pages.items():
        write_file(building / name, typeset(html).encode("utf-8"))
    # feed.xml and feeds/<type_id>.xml, calendar.ics and calendars/<type>.ics
    said = {} if lang == i18n.DEFAULT else {r["version"]: r["summary"] for r in releases}
    write_feeds(store, building, fresh.lines(), site, said)
    write_calendars(store, building, fresh.lines())
    return fresh
