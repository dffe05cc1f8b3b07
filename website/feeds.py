"""Atom feeds (RFC 4287) of the site: ``feed.xml`` and one ``feeds/<type_id>.xml`` per type.

An entry per release (its French change lines) and an entry per run whose changed source page
could not be read. A type's feed holds, for each release, only the lines about that type (its
row, its channels, their procedures, rules and contacts, the places and closures they use), and
leaves out releases with none; the unread-page entries are in every feed. A release with unread
sentences (Contract 3) says them first, in the main feed's entry and in the entry of each type
they belong to, and counts them in the title.

Ids are tag URIs (RFC 4151) that never change for the same release, type or attempt; dates are
RFC 3339 in UTC. Links are relative to the feed's own place in ``site/``. ``write_feeds`` reads
the store (``website.releases``, once per site build); which changes are about which type is
``website.by_type``'s; everything else here works on plain data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from core.errors import PublishError
from core.i18n import DEFAULT, _, catalogue, current, ngettext
from core.settings import PACKAGE_TITLE
from publish import layout
from publish.changes.french import N_, said, short_date
from publish.changes.records import CatalogEntry
from publish.changes.summary import BUMP_WORDS, line_count, release_lines
from publish.changes.unread import RESOURCE as UNREAD
from publish.changes.unread import by_type as unread_by_type
from publish.changes.unread import count_words as unread_count_words
from publish.changes.unread import head_lines as unread_head_lines
from publish.release.store import ReleaseStore
from website import alert_words as words
from website.by_type import SAFE_ID
from website.by_type import feed_types as feed_types  # website.calendars reads it here
from website.files import write_file
from website.releases import SiteReleases, read_releases

ATOM = "http://www.w3.org/2005/Atom"
#: the tagging entity of every id: the dataset's name and the year the data begins
TAG = "tag:isere-modalites-rdv-sejour,2020:"
AUTHOR = "rdv-opendata"
FEED_TITLE = N_("Rendez-vous pour les titres de séjour en Isère : nouvelles versions des données")
FEED_SUBTITLE = N_(
    "Chaque nouvelle version des modalités de prise de rendez-vous publiées par la préfecture "
    "de l'Isère, et chaque fois que la page de la préfecture a changé sans pouvoir être lue."
)
UNREAD_TITLE = N_("La page de la préfecture a changé et n'a pas pu être lue")
#: characters XML 1.0 does not allow, even escaped
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: str
    lines: tuple[str, ...]
    #: the page it links to, relative to ``site/`` (e.g. ``releases/1.1.0.html``)
    link: str
    published: str | None = None
    #: how entries sharing a date are ordered (older first)
    rank: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    subtitle: str
    #: where the feed is, relative to ``site/`` (``feed.xml``, ``feeds/<type_id>.xml``)
    path: str
    #: the page it stands for, relative to ``site/``
    alternate: str
    entries: tuple[Entry, ...] = field(default_factory=tuple)
    #: ``updated`` when there is no entry
    fallback_updated: str = "1970-01-01T00:00:00Z"

    @property
    def updated(self) -> str:
        return max((e.updated for e in self.entries), default=self.fallback_updated)


# --- plain data -> entries ---------------------------------------------------------------------


def rfc3339(timestamp: Any) -> str | None:
    """An ISO 8601 time as RFC 3339 in UTC (``2024-03-08T09:00:00Z``); None when it is not one.
    A time without an offset is taken as UTC."""
    if not isinstance(timestamp, str):
        return None
    return _rfc3339(timestamp)


@lru_cache(maxsize=4096)
def _rfc3339(timestamp: str) -> str | None:
    """``rfc3339`` of a string: the same few release times are asked for every type's feed."""
    try:
        moment = dt.datetime.fromisoformat(timestamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def count_words(count: int) -> str:
    if count == 0:
        return _("aucun changement")
    return ngettext("{count} changement", "{count} changements", count).format(count=count)


def release_title(version: str, bump: Any, count: int | None, unread: int = 0) -> str:
    """« Version 1.2.0 (mineure) — 3 changements — 1 phrase non lue »; no count: a first
    publication; no unread sentence: not said."""
    return _release_title(catalogue(), version, bump, count, unread)


@lru_cache(maxsize=4096)
def _release_title(
    said_by: NullTranslations, version: str, bump: Any, count: int | None, unread: int
) -> str:
    """``release_title`` in the current language (``said_by``: its catalogue): a release's
    title is the same in most of its types' feeds."""
    title = _("Version {version} ({bump})").format(version=version, bump=said(BUMP_WORDS, bump))
    title = title if count is None else f"{title} — {count_words(count)}"
    return f"{title} — {unread_count_words(unread)}" if unread else title


def release_entry(release: dict[str, Any], index: int, type_id: str | None = None) -> Entry | None:
    """The entry of a release (``version``, ``published``, ``bump``, ``from_version``,
    ``summary``, ``types`` = type id -> its lines, and ``unread`` = type id -> the lines that
    say its unread sentences); for a type, None when no line concerns it. A type's entry says
    its unread sentences first (the main feed's summary already does, for every type)."""
    version = release["version"]
    when = rfc3339(release.get("published"))
    if when is None:
        raise PublishError(f"cannot write the feeds: release {version} has no publication time")
    unread = release.get("unread", {})
    if type_id is None:
        lines = list(release.get("summary") or [])
        first = release.get("from_version") is None
        count = None if first else release.get("count", len(lines))
        entry_id = f"{TAG}release/{version}"
        unread_count = sum(len(said) - 1 for said in unread.values())  # less each count line
    else:
        lines = list(release.get("types", {}).get(type_id, []))
        if not lines:
            return None
        count = len(lines)
        entry_id = f"{TAG}release/{version}/type/{type_id}"
        said = list(unread.get(type_id, []))
        lines = said + lines
        unread_count = max(len(said) - 1, 0)
    return Entry(
        id=entry_id,
        title=release_title(version, release.get("bump"), count, unread_count),
        updated=when,
        published=when,
        lines=tuple(lines),
        link=layout.site_release_page(version),
        rank=(index, 0),
    )


def unread_attempts(
    attempts: Iterable[dict[str, Any]], catalog: list[CatalogEntry]
) -> list[dict[str, Any]]:
    """The attempts that failed on a changed source, with ``observed`` (the day the facts still
    shown were read: the source of the release that was the latest then) and ``index`` (that
    release's place in the catalog). The same unreadable bytes failing again against the same
    release are one event: only its first attempt is kept."""
    places = {entry["version"]: number for number, entry in enumerate(catalog)}
    seen: set[tuple[str, str]] = set()
    found = []
    for attempt in attempts:
        if attempt.get("outcome") != "failed" or attempt.get("source_changed") is not True:
            continue
        if rfc3339(attempt.get("time")) is None:
            continue
        version = attempt.get("version")
        digest = attempt.get("source_sha256")
        if isinstance(digest, str) and isinstance(version, str):
            if (digest, version) in seen:
                continue
            seen.add((digest, version))
        index = places.get(version) if isinstance(version, str) else None
        shown = catalog[index] if index is not None else None
        found.append(
            {
                **attempt,
                "index": -1 if index is None else index,
                "shown_version": shown["version"] if shown else None,
                "observed": shown.get("source_observed") if shown else None,
            }
        )
    return found


def unread_entry(attempt: dict[str, Any], base_url: str = "") -> Entry:
    """The entry of an attempt chosen by ``unread_attempts``: the dataset, why the run stopped
    in plain words (its ``kind``; its one-line technical reason stays in attempts.json), the day
    the page was seen, that the last good release stays online, and the links (absolute, under
    ``base_url``, where the output folder is served)."""
    when = rfc3339(attempt.get("time"))
    assert when is not None  # unread_attempts keeps only dated attempts
    shown = attempt.get("shown_version")
    lines = [
        words.dataset_line(PACKAGE_TITLE),
        words.stop_sentence(attempt.get("kind"), unknown=words.CHANGED),
    ]
    if tried := short_date(attempt.get("source_observed")):
        lines.append(words.tried_line(tried))
    lines += alert_lines(base_url, shown, attempt.get("observed"))
    return Entry(
        id=f"{TAG}unread/{when}",
        title=_(UNREAD_TITLE),
        updated=when,
        lines=tuple(lines),
        link=layout.site_release_page(shown) if shown else layout.SITE_INDEX,
        rank=(int(attempt.get("index", -1)), 1),
    )


def alert_lines(base_url: str, version: Any, observed: Any) -> list[str]:
    """After a failure: the latest good release ``version`` (its facts seen on ``observed``)
    stays online, or nothing was published yet; then the links: the site, that release,
    latest.json."""
    if not isinstance(version, str):
        return [words.NOTHING_PUBLISHED, *words.link_lines(base_url, None)]
    day = short_date(observed) or words.UNKNOWN_DATE
    return [words.still_online(version, day), *words.link_lines(base_url, version)]


def unread_entries(attempts: Iterable[dict[str, Any]], base_url: str = "") -> list[Entry]:
    """Entries of the attempts chosen by ``unread_attempts``; ids made unique (two attempts in
    the same second: the second gets ``-2``), in a stable way."""
    entries: list[Entry] = []
    used: set[str] = set()
    for attempt in attempts:
        entry = unread_entry(attempt, base_url)
        entry_id, number = entry.id, 1
        while entry_id in used:
            number += 1
            entry_id = f"{entry.id}-{number}"
        used.add(entry_id)
        entries.append(replace(entry, id=entry_id))
    return entries


def feed_entries(
    releases: list[dict[str, Any]], unread: list[Entry], type_id: str | None = None
) -> list[Entry]:
    """A feed's entries, newest first: the releases' (for ``type_id``: those with a line about
    it) and the unread-page entries."""
    entries = [
        entry
        for index, release in enumerate(releases)
        if (entry := release_entry(release, index, type_id)) is not None
    ]
    entries.extend(unread)
    return sorted(entries, key=lambda e: (e.updated, e.rank), reverse=True)


# --- rendering ---------------------------------------------------------------------------------


def _escaped(text: str) -> str:
    """``xml.sax.saxutils.escape``, inline: a feed escapes about fifteen values, 10,000 feeds
    for a large table."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def xml_text(value: Any) -> str:
    """Text for XML content: escaped, and without the characters XML cannot hold."""
    return _escaped(NOT_XML.sub("\ufffd", str(value)))


#: what ``xml.sax.saxutils.quoteattr`` writes for these characters in an attribute value
_ATTRIBUTE_ESCAPES = (("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))


def xml_attr(value: Any) -> str:
    """An attribute value, quoted (``xml.sax.saxutils.quoteattr``'s bytes, without its calls):
    in double quotes, or single quotes when it holds a double one and no single one."""
    said = xml_text(value)
    for char, entity in _ATTRIBUTE_ESCAPES:
        if char in said:
            said = said.replace(char, entity)
    if '"' not in said:
        return f'"{said}"'
    if "'" not in said:
        return f"'{said}'"
    return '"' + said.replace('"', "&quot;") + '"'


def html_list(lines: Iterable[str]) -> str:
    """The lines as an HTML list (escaped as HTML here, then as XML by the caller)."""
    items = "".join(f"<li>{xml_text(line)}</li>" for line in lines)
    return f"<ul>{items}</ul>"


def render_atom(feed: Feed, site_url: str | None = None) -> str:
    """The Atom document of ``feed``: its links are full URLs under ``site_url`` (where its
    site folder is served, with a final slash), else relative to where the feed is."""
    root = site_url if site_url is not None else "../" * feed.path.count("/")
    own = root + feed.path if site_url is not None else feed.path.rsplit("/", 1)[-1]
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}" xml:lang="{current()}">',
        f"  <id>{xml_text(feed.id)}</id>",
        f'  <title type="text">{xml_text(feed.title)}</title>',
        f'  <subtitle type="text">{xml_text(feed.subtitle)}</subtitle>',
        f"  <updated>{xml_text(feed.updated)}</updated>",
        f"  <author><name>{xml_text(AUTHOR)}</name></author>",
        f'  <link rel="self" type="application/atom+xml" href={xml_attr(own)}/>',
        f'  <link rel="alternate" type="text/html" href={xml_attr(root + feed.alternate)}/>',
    ]
    for entry in feed.entries:
        out += [
            "  <entry>",
            f"    <id>{xml_text(entry.id)}</id>",
            f'    <title type="text">{xml_text(entry.title)}</title>',
            f"    <updated>{xml_text(entry.updated)}</updated>",
        ]
        if entry.published:
            out.append(f"    <published>{xml_text(entry.published)}</published>")
        out += [
            f'    <link rel="alternate" type="text/html" href={xml_attr(root + entry.link)}/>',
            f'    <content type="html">{xml_text(html_list(entry.lines))}</content>',
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def with_age(subtitle: str, age: Iterable[str]) -> str:
    """A feed's subtitle, then how old its facts are (``website.freshness``'s sentences)."""
    return " ".join([subtitle, *age])


def main_feed(releases: list[dict[str, Any]], unread: list[Entry], age: Iterable[str] = ()) -> Feed:
    return Feed(
        id=language_id(f"{TAG}feed"),
        title=_(FEED_TITLE),
        subtitle=with_age(_(FEED_SUBTITLE), age),
        path=layout.MAIN_FEED,
        alternate=layout.SITE_HISTORY,
        entries=tuple(feed_entries(releases, unread)),
        fallback_updated=_last_published(releases),
    )


def type_feed(
    type_id: str,
    label: str,
    releases: list[dict[str, Any]],
    unread: list[Entry],
    age: Iterable[str] = (),
) -> Feed:
    if not SAFE_ID.match(type_id):
        raise ValueError(f"type id {type_id[:40]!r} cannot name a feed file")
    return Feed(
        id=language_id(f"{TAG}feed/type/{type_id}"),
        title=_("{type} : rendez-vous à la préfecture de l'Isère, changements").format(type=label),
        subtitle=with_age(
            _(
                "Les changements des modalités de rendez-vous pour « {type} », et chaque fois que "
                "la page de la préfecture a changé sans pouvoir être lue."
            ).format(type=label),
            age,
        ),
        path=layout.type_feed(type_id),
        alternate=f"{layout.SITE_INDEX}#{type_id}",
        entries=tuple(feed_entries(releases, unread, type_id)),
        fallback_updated=_last_published(releases),
    )


def language_id(feed_id: str) -> str:
    """A feed's id: the French feed's as it always was, another language's with its code."""
    return feed_id if current() == DEFAULT else f"{feed_id}/{current()}"


def _last_published(releases: list[dict[str, Any]]) -> str:
    times = [t for r in releases if (t := rfc3339(r.get("published")))]
    return max(times, default="1970-01-01T00:00:00Z")


# --- the releases -> files ---------------------------------------------------------------------


def feed_releases(
    site: SiteReleases, summaries: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    """Each release as plain data for the feeds, in the current language: ``summary``, its
    lines (``summaries``' when the site's pages said them already, else changes.json's in
    French, else said again from the rows), ``count``: how many facts changed, ``types``: the
    lines about each type, ``unread``: the lines that say each type's unread sentences."""
    types = [type_id for type_id, _label in site.types]
    releases = []
    for release in site.releases:
        changes, new, said = release.changes, release.package, release.lines
        from_version = changes.get("from_version")
        summary = [str(line) for line in changes.get("summary") or []]
        if summaries and release.version in summaries:
            summary = list(summaries[release.version])
        elif current() != DEFAULT:  # said again from the rows, in this language
            summary = release_lines(changes, release.old, new, said)
        releases.append(
            {
                "version": release.version,
                "published": release.entry.get("published"),
                "bump": release.entry.get("bump", changes.get("bump")),
                "from_version": from_version,
                "summary": summary,
                # its change lines: not its unread sentences, nor « Aucun changement de données. »
                "count": 0 if from_version is None else line_count(changes),
                "types": {t: said.rows(release.by_type[t]) for t in types if t in release.by_type},
                "unread": {
                    type_id: unread_head_lines(rows, said.labels.type_label)
                    for type_id, rows in unread_by_type(new.rows.get(UNREAD, [])).items()
                },
            }
        )
    return releases


def write_feeds(
    store: ReleaseStore,
    folder: Path,
    age: Iterable[str] = (),
    site: SiteReleases | None = None,
    summaries: dict[str, list[str]] | None = None,
) -> list[Path]:
    """Write ``feed.xml`` and ``feeds/<type_id>.xml`` into ``folder`` (the site being built),
    each subtitle ending with ``age`` (how old the facts are); returns the paths written (none
    when the store has no release). ``site``: the releases the site's build has read (else
    read here), ``summaries``: their lines its pages said in the current language."""
    catalog = site.catalog if site else store.catalog()
    if not catalog:
        return []
    site = site or read_releases(store, catalog, "cannot write the feeds")
    releases = feed_releases(site, summaries)
    unread = unread_entries(unread_attempts(store.attempts(), catalog), store.base_url)
    age = list(age)
    feeds = [main_feed(releases, unread, age)]
    feeds += [type_feed(type_id, label, releases, unread, age) for type_id, label in site.types]
    folder = Path(folder)
    (folder / layout.TYPE_FEEDS_DIR).mkdir(parents=True, exist_ok=True)
    # read away from the site (a reader, a digest), a feed links with full URLs
    site_url = f"{store.base_url}/{layout.SITE_DIR}/{layout.site_language_dir(current(), DEFAULT)}"
    written = []
    for feed in feeds:
        target = folder / feed.path
        write_file(target, render_atom(feed, site_url).encode("utf-8"))
        written.append(target)
    return written
