"""Every word the workbook (``publish.formats.xlsx``) writes itself, in one place, each a message
of the catalogue (``core.i18n``), said in the current language where it is written; and the
``Wording`` it is given: the labels of the codes and of the referenced rows, and the « Synthèse »
rows, said by ``publish.changes`` (one wording for the site, the change summary and the
workbook).

Sheet names are the resources' titles (in the current language), cut at a word to Excel's 31
characters and made unique (``sheet_names``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from core.i18n import N_, _, title_of
from schemas import registry

SYNTHESIS_SHEET = N_("Synthèse")
README_SHEET = N_("Lisez-moi")
DICTIONARY_SHEET = N_("Dictionnaire")
MAX_SHEET_NAME = 31  # Excel's limit
#: characters Excel refuses in a sheet name
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
#: words a cut title does not end with: « Modalités de prise de » -> « Modalités de prise »
TRAILING_WORDS = frozenset("de des du d' la le les l' à au aux et of the and to".split())

TRUE_TEXT, FALSE_TEXT = N_("OUI"), N_("NON")
LIST_SEPARATOR = ", "
TRUNCATED = N_(" … [texte tronqué : voir le fichier CSV]")

#: the added columns: a code's label beside the code, a referenced row's label beside its
#: identifier; row 2 (the CSV field names) says the column is not in the CSV
CODE_SUFFIX = N_(" (code)")
ID_SUFFIX = N_(" (identifiant)")
ADDED_NAME = N_("(libellé ajouté)")

TYPE_LABELS = {
    "string": N_("texte"),
    "integer": N_("nombre entier"),
    "number": N_("nombre"),
    "boolean": N_("{true} / {false}"),
    "date": N_("date (jj/mm/aaaa)"),
    "time": N_("heure (hh:mm)"),
    "list": N_("liste (éléments séparés par « {separator} »)"),
}
FORMAT_LABELS = {"uri": N_("adresse web"), "email": N_("adresse électronique")}
DICTIONARY_COLUMNS = (
    (N_("Feuille"), 24),
    (N_("Colonne"), 20),
    (N_("Intitulé"), 30),
    (N_("Type"), 24),
    (N_("Obligatoire"), 12),
    (N_("Description"), 70),
    (N_("Valeurs possibles"), 40),
)
#: the « Synthèse » sheet: one row per booking modality of each type, as the site's home page
SYNTHESIS_COLUMNS = (
    (N_("Type de rendez-vous"), 32),
    (N_("Pour"), 40),
    (N_("Sauf"), 24),
    (N_("Comment"), 40),
    (N_("Quand"), 50),
    (N_("Où"), 36),
    (N_("À savoir"), 50),
)
SYNTHESIS_INTRO = N_(
    "Pour chaque type de rendez-vous : pour quelles démarches, comment prendre rendez-vous, "
    "quand les créneaux ouvrent, et où. Une ligne par modalité, comme sur la page d'accueil "
    "du site."
)
README_TABLE = (N_("Feuille"), N_("Contenu"), N_("Lignes"), N_("Fichier CSV"))
HOW_TO_READ = N_(
    "La feuille « {synthesis} » résume, pour chaque type de rendez-vous, comment, quand et où "
    "le prendre. Puis une feuille par table. Ligne 1 : l'intitulé de la colonne ; ligne 2 : son "
    "nom dans les fichiers CSV et JSON ; les données commencent ligne 3. Chaque code (genre de "
    "modalité, jour, moment…) a une colonne en français, suivie du code lui-même "
    "(« …{code} ») pour filtrer ; chaque renvoi à une autre table (type, modalité, lieu, "
    "démarche) a une colonne lisible, suivie de l'identifiant (« …{id} »). Ces colonnes "
    "ajoutées portent « {added} » en ligne 2 : elles ne sont pas dans les fichiers CSV. "
    "{true} / {false} : oui / non. Dates au format jj/mm/aaaa, heures hh:mm. "
    "Listes : éléments séparés par « {separator} ». Case vide : information "
    "absente de la source. La feuille « {dictionary} » décrit chaque colonne et chaque code."
)
REFERENCE_FILES = N_(
    "Ce classeur reprend les fichiers CSV de la même version (dossier data/), qui font foi. Les "
    "modifier ici ne change pas les données publiées."
)
SYNTHESIS_CONTENT = N_("Comment, quand et où prendre rendez-vous, par type de rendez-vous.")
DICTIONARY_CONTENT = N_(
    "Chaque colonne de chaque feuille : intitulé, type, description, valeurs possibles et leur "
    "libellé en français."
)
PUBLISHED_AT = N_("{day} à {time} (UTC)")


def type_label(kind: str) -> str:
    """« nombre entier », « OUI / NON »: a field type in the current language."""
    if kind not in TYPE_LABELS:
        return kind
    return _(TYPE_LABELS[kind]).format(
        true=_(TRUE_TEXT), false=_(FALSE_TEXT), separator=LIST_SEPARATOR.strip()
    )


def how_to_read() -> str:
    return _(HOW_TO_READ).format(
        synthesis=_(SYNTHESIS_SHEET),
        dictionary=_(DICTIONARY_SHEET),
        code=_(CODE_SUFFIX),
        id=_(ID_SUFFIX),
        added=_(ADDED_NAME),
        true=_(TRUE_TEXT),
        false=_(FALSE_TEXT),
        separator=LIST_SEPARATOR.strip(),
    )


@dataclass(frozen=True)
class Wording:
    """What ``publish.changes`` says for the workbook: ``codes`` (field name -> code -> French
    label), ``references`` (identifier field -> identifier -> the referenced row's label) and
    the « Synthèse » rows (one string per ``SYNTHESIS_COLUMNS``)."""

    codes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    references: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    synthesis: Sequence[Sequence[str]] = ()


def _cut(title: str) -> str:
    title = " ".join(title.translate(SHEET_NAME_FORBIDDEN).split()).strip("'")
    if len(title) <= MAX_SHEET_NAME:
        return title
    words = title[: MAX_SHEET_NAME + 1].rsplit(" ", 1)[0].split()
    while len(words) > 1 and words[-1].lower() in TRAILING_WORDS:
        words.pop()
    return " ".join(words)[:MAX_SHEET_NAME]


def sheet_names() -> dict[str, str]:
    """Each resource's sheet: its French title, cut to Excel's limit at a word, unique (a
    second one ends with « (2) »…)."""
    taken = {_(SYNTHESIS_SHEET).lower(), _(README_SHEET).lower(), _(DICTIONARY_SHEET).lower()}
    names = {}
    for resource in registry.RESOURCE_ORDER:
        base = _cut(title_of(registry.resource_meta(resource).get("title")) or resource)
        name, count = base, 1
        while name.lower() in taken:
            count += 1
            name = f"{base[: MAX_SHEET_NAME - 4]} ({count})"
        taken.add(name.lower())
        names[resource] = name
    return names
