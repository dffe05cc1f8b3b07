"""One test per normalisation rule, on the source's own wordings and on variants."""

from __future__ import annotations

import pytest

from core.errors import NormaliseError
from core.settings import HTML_PARSER
from extract.cells import cell_from_tag, parse_fragment
from normalise import rules, safety
from normalise.channel import Channel, read_modalities, read_remarks
from normalise.readings import ReadingPolicy


def cell(html: str):
    return cell_from_tag(parse_fragment(html, HTML_PARSER))


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (
            "Tous les cas, hors renouvellement des cartes de résident de 10 ans",
            ("Tous les cas", "renouvellement des cartes de résident de 10 ans"),
        ),
        (
            "Pour tous les titres de séjour Hors étudiants, chercheurs",
            ("Pour tous les titres de séjour", "étudiants, chercheurs"),
        ),
        (
            "Tous les titres sauf les cartes de résident",
            ("Tous les titres", "les cartes de résident"),
        ),
        ("Hors mineurs", (None, "mineurs")),
        # a stray dash before the excluded part is a list dash, not the label's (found by
        # test_properties' mutations in CI: « hors -renouvellement »)
        (
            "Tous les cas, hors -renouvellement des cartes",
            ("Tous les cas", "renouvellement des cartes"),
        ),
        ("- Tous les cas, hors – mineurs", ("Tous les cas", "mineurs")),
        ("Conjoints de français", None),
        ("Dehors de la ville", None),
    ],
)
def test_exclusion(label, expected):
    assert rules.exclusion(label) == expected


def test_list_dash_is_removed():
    assert rules.strip_dash("- Conjoints de français") == "Conjoints de français"
    assert rules.strip_dash("– Conjoints") == "Conjoints"
    assert rules.strip_dash('Mention "Résidence Longue Durée - UE"') == (
        'Mention "Résidence Longue Durée - UE"'
    )


@pytest.mark.parametrize(
    "text",
    [
        "-- Conjoints de français",
        "– Conjoints de français",
        "— Conjoints de français",
        "• Conjoints de français",
        "- - Conjoints de français",
        "—– • Conjoints de français",
    ],
)
def test_a_run_of_list_dashes_is_removed(text):
    assert rules.strip_dash(text) == "Conjoints de français"


def test_a_dash_inside_the_text_stays():
    assert rules.strip_dash("- Jeunes - moins de 18 ans") == "Jeunes - moins de 18 ans"
    assert rules.strip_dash("Conjoints -- de français") == "Conjoints -- de français"


def test_a_double_dash_list_item_is_published_without_dashes():
    from extract import extract_table
    from normalise import normalise
    from tests.phrasing import one_row_source

    source = one_row_source(procedure="<ul><li>-- Conjoints de français</li></ul>")
    (procedure,) = normalise(extract_table(source))["procedures"]
    assert procedure["label"] == "Conjoints de français"


def test_inline_nested_list():
    assert rules.inline_list("Démarches longues : - duplicata - Changement d'état-civil") == (
        "Démarches longues",
        ["duplicata", "Changement d'état-civil"],
    )
    assert rules.inline_list('Titulaires "Résidence Longue Durée - UE"') is None


@pytest.mark.parametrize(
    ("text", "path", "hint"),
    [
        (
            "Rubrique « Prendre un rendez-vous » > Prendre rendez-vous pour un renouvellement",
            "Prendre un rendez-vous > Prendre rendez-vous pour un renouvellement",
            None,
        ),
        (
            "Rubrique « Prendre un rendez-vous » (dans la page d'accueil)",
            "Prendre un rendez-vous",
            "dans la page d'accueil",
        ),
    ],
)
def test_portal_path(text, path, hint):
    assert rules.portal_path(text) == rules.PortalPath(path, hint)
    assert rules.portal_path("Site internet de la préfecture") is None


def test_hint_and_for_procedure():
    assert (
        rules.hint("(dans « Démarches administratives »)") == "dans « Démarches administratives »"
    )
    assert rules.for_procedure("Pour le retrait d'un titre de séjour : SMS") == (
        "Retrait d'un titre de séjour",
        "SMS",
    )
    assert rules.for_procedure("Pour l'échange : x") == ("Échange", "x")
    assert rules.for_procedure("Les personnes sont avisées") is None


def test_links():
    assert rules.mailto("mailto:Pref-rdv-sejour@isere.gouv.fr?subject=RDV") == (
        "Pref-rdv-sejour@isere.gouv.fr"
    )
    assert rules.mailto("https://www.isere.gouv.fr/") is None
    assert safety.link_problem(" https://www.isere.gouv.fr/ ") is None
    for bad in ("javascript:alert(1)", "data:text/html,x", "/relative", "ftp://x.fr/"):
        assert safety.link_problem(bad) is not None


def test_slug_and_key():
    assert rules.slug("1ères demandes de titre de séjour « prioritaires »") == (
        "1eres-demandes-de-titre-de-sejour-prioritaires"
    )
    assert rules.key("a-b", "online-form", None, "") == "a-b--online-form"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Frère et sœur", "frere-et-soeur"),
        ("Œuvre caritative", "oeuvre-caritative"),
        ("Curriculum vitæ", "curriculum-vitae"),
        ("ÆSOP", "aesop"),
        ("Straße", "strasse"),
    ],
)
def test_slug_transliterates_ligatures(label, expected):
    assert rules.slug(label) == expected


# --- the cell readers ------------------------------------------------------------------------


def test_unreadable_visibility_is_refused_naming_row_and_column():
    remarks = cell(
        "<p>Ouverture des créneaux de semaine en semaine le lundi à 00h00. "
        "Visibilité à environ quatre semaines.</p>"
    )
    with pytest.raises(
        NormaliseError,
        match="row 7, column 'Remarques': cannot read the sentence « Visibilité à environ",
    ):
        read_remarks(remarks, 7, Channel("online_booking"), ReadingPolicy(strict=True))


def test_unknown_channel_is_refused():
    with pytest.raises(
        NormaliseError,
        match="row 2, column 'Modalités de prise de rendez-vous': no booking channel",
    ):
        read_modalities(cell("<p>Par pigeon voyageur</p>"), 2)


def test_booking_by_direct_link():
    channel = read_modalities(
        cell(
            '<p>Site internet de la préfecture <a href="https://www.isere.gouv.fr/">ici</a></p>'
            '<p>→ Choix d\'un créneau via le lien <a href="http://www.isere.gouv.fr/booking/create/1">'
            "lien</a></p>"
        ),
        1,
    )
    assert (channel.channel_type, channel.url, channel.portal_url) == (
        "online_booking",
        "http://www.isere.gouv.fr/booking/create/1",
        "https://www.isere.gouv.fr/",
    )


def test_mailbox_roles_and_public_use():
    channel = Channel("online_form")
    read_remarks(
        cell(
            "<p>Le formulaire est ensuite automatiquement envoyé à la boîte : "
            '<a href="mailto:Box@Isere.gouv.fr">Box@Isere.gouv.fr</a></p>'
            "<p>Cette boîte n'a pas vocation à être utilisée par les usagers.</p>"
        ),
        1,
        channel,
    )
    (contact,) = channel.contacts
    assert (contact.email, contact.role, contact.public_use) == (
        "box@isere.gouv.fr",
        "form_inbox",
        False,
    )
    assert contact.notes == "Cette boîte n'a pas vocation à être utilisée par les usagers."


def test_addresses_written_as_plain_text_are_read():
    channel = read_modalities(cell("<p>Envoi d'un mail à Pref-x@isere.gouv.fr</p>"), 3)
    assert (channel.channel_type, channel.email) == ("email", "Pref-x@isere.gouv.fr")
    assert [c.email for c in channel.contacts] == ["pref-x@isere.gouv.fr"]


def test_flat_paragraphs_after_a_heading_with_a_colon_are_its_items():
    from normalise.build import procedures

    found = procedures(
        cell(
            "<p>Démarches courtes :</p><p>- duplicata</p><p>- retrait</p>"
            "<p>Démarches longues :</p><p>- changement d'adresse</p>"
        ),
        "c",
    )
    tree = [(p["label"], p["parent_id"], p["position"]) for p in found]
    assert tree == [
        ("Démarches courtes", None, 1),
        ("duplicata", "c--demarches-courtes", 1),
        ("retrait", "c--demarches-courtes", 2),
        ("Démarches longues", None, 2),
        ("changement d'adresse", "c--demarches-longues", 1),
    ]


@pytest.mark.parametrize(
    ("type_label", "procedure", "found"),
    [
        ("Titres de séjour", "Retrait d'un titre (le lundi de 9h à 12h)", "weekday 'lundi'"),
        ("Titres de séjour (jusqu'au 18/12/2020)", "Tous les cas", "date '18/12/2020'"),
        ("Titres de séjour", "Appeler le 04 65 71 98 76", "phone '04 65 71 98 76'"),
    ],
)
def test_a_fact_hidden_in_a_label_is_refused(type_label, procedure, found):
    from tests.phrasing import read_facts

    column = "Type de rendez-vous" if found.startswith("date") else "Démarches"
    source = {"type_label": type_label, "procedure": procedure}
    with pytest.raises(
        NormaliseError, match=f"row 1, column '{column}': the label .* holds the {found}"
    ):
        read_facts(**source)


def test_ages_and_ordinals_in_labels_are_not_scheduling_facts():
    from tests.phrasing import read_facts

    found = read_facts(type_label="1ères demandes", procedure="Cartes de résident de 10 ans")
    assert found["channel"]["channel_type"] == "online_booking"
