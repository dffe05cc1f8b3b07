"""Constants shared by the pure packages (extract, normalise, schemas, publish, website): the
source's expected layout, fetching limits and the package metadata. No application import."""

from __future__ import annotations

from core.i18n import N_

#: a source larger than this is refused (the real table is under 10 KB); for a URL, the cap
#: applies to the decoded body, so a compression bomb stops there
MAX_SOURCE_BYTES = 5 * 1024 * 1024
#: a cell whose text is longer than this is refused, naming its row and column (the longest cell
#: of the real table has 532 characters): reading stays linear in time, and a hostile page
#: cannot hold the publish lock for minutes with one cell
MAX_CELL_CHARACTERS = 20_000
#: an export cell's markup over this is refused before it is parsed (its text, at most
#: ``MAX_CELL_CHARACTERS``, can need a few times as many characters of markup)
MAX_CELL_MARKUP = 5 * MAX_CELL_CHARACTERS

# fetching a URL: timeouts (seconds), redirects, retries with exponential backoff and jitter
FETCH_CONNECT_TIMEOUT = 10.0
FETCH_READ_TIMEOUT = 30.0
FETCH_TOTAL_TIMEOUT = 120.0  # a server that drips bytes forever is cut off here
FETCH_MAX_REDIRECTS = 5
FETCH_ATTEMPTS = 4  # the first try and up to three retries
FETCH_BACKOFF_BASE = 2.0  # seconds before the first retry, doubled each time
FETCH_BACKOFF_MAX = 60.0  # no wait is longer, Retry-After included
FETCH_JITTER = 0.25  # each wait is stretched by up to this fraction, at random
USER_AGENT = (
    "rdv-opendata/{version} (open-data publisher of the Isere prefecture appointment table)"
)

#: the five columns of the source table, exactly as published and in this order
EXPECTED_HEADER: tuple[str, ...] = (
    "Type de rendez-vous",
    "Démarches",
    "Modalités de prise de rendez-vous",
    "Lieu de rendez-vous",
    "Remarques",
)
COL_TYPE, COL_PROCEDURES, COL_MODALITIES, COL_LOCATION, COL_REMARKS = EXPECTED_HEADER

#: a row of at least this many expected header labels is taken for the header (then checked exactly)
HEADER_MIN_MATCHES = 2

#: BeautifulSoup parser, named explicitly everywhere (libxml2: fast, closes implied </td>, </tr>)
HTML_PARSER = "lxml"

#: fallback charsets tried in order when the source declares none
FALLBACK_ENCODINGS: tuple[str, ...] = ("utf-8", "windows-1252")

PACKAGE_NAME = "isere-modalites-rdv-sejour"
PACKAGE_TITLE = (
    "Modalités de prise de rendez-vous - Service Immigration et Intégration "
    "de la préfecture de l'Isère"
)
#: said in each language where people read it (the workbook); the descriptor keeps it in French
PACKAGE_DESCRIPTION = N_(
    "Qui prend rendez-vous comment (formulaire en ligne, lien de réservation, courriel, sans "
    "rendez-vous), quand les créneaux ouvrent, à combien de semaines ils sont visibles, où et "
    "jusqu'à quand, pour les titres de séjour à la préfecture de l'Isère. Données normalisées à "
    "partir du tableau publié par la préfecture."
)
PACKAGE_KEYWORDS = (
    "titre de séjour",
    "rendez-vous",
    "préfecture",
    "Isère",
    "immigration",
    "étrangers",
)
PACKAGE_LICENSE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte / Open Licence version 2.0",
}
DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"

# --- catalogue metadata: datapackage.json, releases' schemas/<resource>.json, catalog.jsonld ---

#: the public address of the output folder (``releases/``, ``site/``, ``catalog.jsonld`` …): every
#: URL in the metadata is built on it. The default is a placeholder on a reserved domain (RFC
#: 2606), clearly not a real address: a deployment passes its own as ``base_url=`` (to
#: ``publish.release.package.render_package`` and ``publish.derived.dcat.write_catalog``). No
#: trailing slash.
PUBLIC_BASE_URL = "https://rdv-opendata.example.org"
#: who publishes the package (datapackage.json ``contributors``, DCAT ``dct:publisher``)
PUBLISHER_NAME = "rdv-opendata"
#: a contact address for the data, when there is one (datapackage.json, DCAT ``contactPoint``)
PUBLISHER_EMAIL: str | None = None
#: what kind of publisher it is, in the ADMS publisher-type vocabulary (DCAT ``dct:type`` of the
#: publisher; ``publish/derived/vocabularies.py`` lists the types and their labels). The default
#: assumes an association or another non-profit runs the publisher: whoever runs it sets their own,
#: as for ``PUBLISHER_NAME`` (a prefecture would be ``NationalAuthority``)
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/NonProfitOrganisation"
#: how often the source is checked, hence how often a release can appear: daily at 07:00 and on
#: Mondays at 00:15 (``flows/deploy.py`` CRONS); EU frequency authority table
PACKAGE_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/DAILY"
#: the area the data covers: the département of Isère, by its INSEE (COG) code and IRI
PACKAGE_SPATIAL = {
    "title": "Isère",
    "insee": "38",
    "uri": "http://id.insee.fr/geo/departement/38",
}
#: the extent of that area for catalogues (DCAT ``dcat:bbox`` and ``dcat:centroid``), in WGS 84
#: longitude and latitude: computed from IGN's ADMIN EXPRESS COG outline of the département (2018
#: edition, as republished in GeoJSON by the france-geojson project); the box is rounded outwards
#: to 0.001°, the centroid (of the outline's area) to 0.001°
PACKAGE_SPATIAL_BBOX = (4.742, 44.695, 6.360, 45.884)  # west, south, east, north
PACKAGE_SPATIAL_CENTROID = (5.574, 45.264)  # longitude, latitude
PACKAGE_LANGUAGE = "fr"
#: ISO 3166-1 alpha-2 country of the published schemas (schema.data.gouv.fr metadata)
COUNTRY_CODE = "FR"
TABLESCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"

#: past this many days without a successful check of the prefecture's page, every page of the
#: site, every feed and every calendar warns that its facts may be out of date
STALE_AFTER_DAYS = 8

#: from this many rows in the latest release (all tables), a run gives part of its work (the
#: workbooks, the other languages' site, the history) to second processes (``core/parallel.py``).
#: Measured by ``make bench`` (g, alternating with none): a table of 1,000 types (5,091 rows)
#: gains nothing (2.71 s with, 2.66 s without), one of 2,000 types (10,091 rows) gains a
#: quarter (3.89 s against 5.16 s)
SECOND_PROCESS_FROM_ROWS = 8000
