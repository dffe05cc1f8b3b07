"""Every word the workbook (``publish.formats.xlsx``) writes itself, in one place, so that a
translation catalogue can take them later; and the ``Wording`` it is given: the French labels of
the codes and of the referenced rows, and the « Synthèse » rows, said by ``publish.changes`` (one
wording for the site, the change summary and the workbook).

Sheet names are the resources' French titles, cut at a word to Excel's 31 characters and made
unique (``sheet_names``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from schemas import registry

SYNTHESIS_SHEET = "Synthèse"
README_SHEET = "Lisez-moi"
DICTIONARY_SHEET = "Dictionnaire"
MAX_SHEET_NAME = 31  # Excel's limit
#: characters Excel refuses in a sheet name
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
#: words a cut title does not end with: « Modalités de prise de » -> « Modalités de prise »
TRAILING_WORDS = frozenset("de des du d' la le les l' à au aux et".split())

TRUE_TEXT, FALSE_TEXT = "OUI", "NON"
LIST_SEPARATOR = ", "
TRUNCATED = " … [texte tronqué : voir le fichier CSV]"

#: the added columns: a code's French label beside the code, a referenced row's label beside
#: its identifier; row 2 (the CSV field names) says the column is not in the CSV
CODE_SUFFIX = " (code)"
ID_SUFFIX = " (identifiant)"
ADDED_NAME = "(libellé ajouté)"

TYPE_LABELS = {
    "string": "texte",
    "integer": "nombre entier",
    "number": "nombre",
    "boolean": f"{TRUE_TEXT} / {FALSE_TEXT}",
    "date": "date (jj/mm/aaaa)",
    "time": "heure (hh:mm)",
    "list": f"liste (éléments séparés par « {LIST_SEPARATOR.strip()} »)",
}
FORMAT_LABELS = {"uri": "adresse web", "email": "adresse électronique"}
DICTIONARY_COLUMNS = (
    ("Feuille", 24),
    ("Colonne", 20),
    ("Intitulé", 30),
    ("Type", 24),
    ("Obligatoire", 12),
    ("Description", 70),
    ("Valeurs possibles", 40),
)
#: the « Synthèse » sheet: one row per booking modality of each type, as the site's home page
SYNTHESIS_COLUMNS = (
    ("Type de rendez-vous", 32),
    ("Pour", 40),
    ("Sauf", 24),
    ("Comment", 40),
    ("Quand", 50),
    ("Où", 36),
    ("À savoir", 50),
)
SYNTHESIS_INTRO = (
    "Pour chaque type de rendez-vous : pour quelles démarches, comment prendre rendez-vous, "
    "quand les créneaux ouvrent, et où. Une ligne par modalité, comme sur la page d'accueil "
    "du site."
)
README_TABLE = ("Feuille", "Contenu", "Lignes", "Fichier CSV")
HOW_TO_READ = (
    "La feuille « Synthèse » résume, pour chaque type de rendez-vous, comment, quand et où le "
    "prendre. Puis une feuille par table. Ligne 1 : l'intitulé de la colonne ; ligne 2 : son "
    "nom dans les fichiers CSV et JSON ; les données commencent ligne 3. Chaque code (genre de "
    "modalité, jour, moment…) a une colonne en français, suivie du code lui-même "
    f"(« …{CODE_SUFFIX} ») pour filtrer ; chaque renvoi à une autre table (type, modalité, lieu, "
    f"démarche) a une colonne lisible, suivie de l'identifiant (« …{ID_SUFFIX} »). Ces colonnes "
    f"ajoutées portent « {ADDED_NAME} » en ligne 2 : elles ne sont pas dans les fichiers CSV. "
    f"{TRUE_TEXT} / {FALSE_TEXT} : oui / non. Dates au format jj/mm/aaaa, heures hh:mm. "
    f"Listes : éléments séparés par « {LIST_SEPARATOR.strip()} ». Case vide : information "
    "absente de la source. La feuille « Dictionnaire » décrit chaque colonne et chaque code."
)
REFERENCE_FILES = (
    "Ce classeur reprend les fichiers CSV de la même version (dossier data/), qui font foi. Les "
    "modifier ici ne change pas les données publiées."
)
SYNTHESIS_CONTENT = "Comment, quand et où prendre rendez-vous, par type de rendez-vous."
DICTIONARY_CONTENT = (
    "Chaque colonne de chaque feuille : intitulé, type, description, valeurs possibles et leur "
    "libellé en français."
)
PUBLISHED_AT = "{day} à {time} (UTC)"


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
    taken = {SYNTHESIS_SHEET.lower(), README_SHEET.lower(), DICTIONARY_SHEET.lower()}
    names = {}
    for resource in registry.RESOURCE_ORDER:
        base = _cut(str(registry.resource_meta(resource).get("title") or resource))
        name, count = base, 1
        while name.lower() in taken:
            count += 1
            name = f"{base[: MAX_SHEET_NAME - 4]} ({count})"
        taken.add(name.lower())
        names[resource] = name
    return names
