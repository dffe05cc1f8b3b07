"""The phrases of contacts and links (phone numbers, e-mails, URLs), of booking channels, and of
what a sentence is about (a slot release, opening hours, a visibility, a capacity). Each is
declared with its guard (``phrase``)."""

from __future__ import annotations

import re

import pyparsing as pp

from normalise.grammar_values import (
    Capacity,
    ChannelMark,
    Email,
    Head,
    Phone,
    SentenceError,
    Url,
    Visibility,
)
from normalise.grammar_words import NUMBER_START, QUANTITY, opt, phrase, words

# --- contacts and links -------------------------------------------------------------------------

#: a French number (« 04 76 60 34 00 », « 0 800 12 34 56 », overseas « 0262 … ») or an
#: international one (« +33 (0)4 … », « +262 262 … », « +32 2 … », « +687 20 12 34 »)
PHONE_NUMBER = pp.Regex(
    r"\+\d{1,3}(?:[\s.-]?\(0\))?(?:[\s.-]?\d){6,12}(?!\d)|0(?:[\s.-]?\d){9}(?!\d)"
).set_name("phone number")
#: where a national number written with a leading 0 may belong: France, then its overseas
#: departments with their own numbering plan (Réunion, Guadeloupe, Guyane, Martinique, Mayotte,
#: Saint-Pierre-et-Miquelon)
NATIONAL_REGIONS = ("FR", "RE", "GP", "GF", "MQ", "YT", "PM")


def _phone(s: str, loc: int, toks: pp.ParseResults) -> Phone:
    # imported at the first number read: a table without one (the bundled snapshot) never needs
    # the library (12 ms of a fast publish's start)
    import phonenumbers

    written = toks[0]
    for region in NATIONAL_REGIONS[:1] if written.startswith("+") else NATIONAL_REGIONS:
        try:
            number = phonenumbers.parse(written, region)
        except phonenumbers.NumberParseException:
            break
        if phonenumbers.is_valid_number(number):
            return Phone(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    raise SentenceError(f"{written!r} is not a valid phone number")


PHONE_NUMBER.set_parse_action(_phone)
# an address's local part has at most 64 characters (RFC 5321): the phrase is tried at every
# word of a sentence, and an unbounded run would be read again from each (quadratic, issue 21);
# a longer one is not read, so the detector's e-mail token refuses its sentence
EMAIL_ADDRESS = pp.Regex(
    r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
).set_name("e-mail address")
# a link runs to the next space, less its trailing punctuation (« voir https://x.fr/a. »): the
# greedy run then one step back per trailing mark, instead of a lazy run that looked ahead over
# every mark after each character (quadratic on « http://a.,.,.,… »); all punctuation keeps one
URL_ADDRESS = pp.Regex(r"https?://(?:\S*[^\s.,;:!?)»]|[.,;:!?)»])", flags=re.IGNORECASE).set_name(
    "URL"
)
_COLON = pp.Opt(pp.Regex(r"[:→>]")).suppress().set_name("colon")
PHONE = phrase("phone number", r"\+|0", PHONE_NUMBER)
EMAIL = phrase(
    "e-mail",
    r"[\w.%+-]{1,64}@",
    EMAIL_ADDRESS.copy().set_parse_action(lambda s, loc, t: Email(t[0])),
)
URL = phrase("URL", "http", URL_ADDRESS.copy().set_parse_action(lambda s, loc, t: Url(t[0])))
LABELLED_EMAIL = phrase(
    "labelled e-mail",
    r"contact|courriel|m[ée]l\b|e-?mail|mail|adresse",
    (
        words(
            "contact",
            "courriel",
            "mél",
            "mel",
            "e-mail",
            "email",
            "mail",
            "adresse électronique",
            "adresse mail",
            "adresse e-mail",
            "adresse courriel",
        ).suppress()
        + pp.Opt(
            words("du", "de la", "de l'", "des")
            + words(
                "service des étrangers",
                "bureau des étrangers",
                "service",
                "bureau",
                "guichet",
                "pôle",
                "préfecture",
                "sous-préfecture",
            )
        ).suppress()
        + _COLON
        + EMAIL_ADDRESS
    ).set_parse_action(lambda s, loc, t: Email(t[0])),
)

# --- booking channels ---------------------------------------------------------------------------


def _mark(kind: str, what: str | None = None):
    def action(s: str, loc: int, t: pp.ParseResults) -> ChannelMark:
        value = t[0] if what else None
        return ChannelMark(
            kind, url=value if what == "url" else None, email=value if what == "email" else None
        )

    return action


SITE = phrase(
    "site",
    r"lien accessible|site\s",
    (
        words(
            "lien accessible via le site internet de la préfecture",
            "site internet de la préfecture",
            "site de la préfecture",
        ).suppress()
        + _COLON
        + URL_ADDRESS
    ).set_parse_action(_mark("site", "url")),
)
BOOKING = phrase(
    "online booking",
    r"choix|via|réservation|prise de|prendre",
    (
        words(
            "choix d'un créneau via le lien",
            "choix d'un créneau via",
            "choix d'un créneau sur",
            "via le lien",
            "via ce lien",
            "réservation en ligne sur",
            "prise de rendez-vous en ligne sur",
            "prendre rendez-vous sur",
            "prendre rendez-vous en ligne sur",
        ).suppress()
        + _COLON
        + URL_ADDRESS
    ).set_parse_action(_mark("online_booking", "url")),
)
APPLICATION = phrase(
    "online application",
    r"se fait|dépôt en ligne",
    (
        words("se fait en ligne", "dépôt en ligne sur", "se fait en ligne sur").suppress()
        + _COLON
        + URL_ADDRESS
    ).set_parse_action(_mark("online_application", "url")),
)
EMAIL_CHANNEL = phrase(
    "e-mail channel",
    r"envoi|par\s",
    (
        words(
            "envoi d'un mail à",
            "envoi d'un courriel à",
            "envoi d'un e-mail à",
            "par mail à",
            "par courriel à",
            "par e-mail à",
            "par mail",
            "par courriel",
            "par e-mail",
        ).suppress()
        + _COLON
        + EMAIL_ADDRESS
    ).set_parse_action(_mark("email", "email")),
)
INBOX = phrase(
    "inbox",
    "envoy",
    (
        words(
            "envoyé à la boîte",
            "envoyée à la boîte",
            "envoyé à l'adresse",
            "envoyée à l'adresse",
        ).suppress()
        + _COLON
        + EMAIL_ADDRESS
    ).set_parse_action(_mark("inbox", "email")),
)
FORM = phrase(
    "form",
    "formulaire",
    words("formulaire à remplir", "formulaire à compléter").set_parse_action(_mark("online_form")),
)
PHONE_CHANNEL = phrase(
    "phone channel",
    r"par\s+t|accueil\s+t|permanence\s+t",
    (
        words("par téléphone", "accueil téléphonique", "permanence téléphonique").suppress()
        + opt("au", ":")
        + pp.Opt(PHONE_NUMBER)
    ).set_parse_action(lambda s, loc, t: [ChannelMark("phone"), Head("opening_hours"), *t]),
)
WALK_IN = phrase(
    "walk-in",
    "accueil|sans",
    words(
        "accueil du public sans rendez-vous", "accueil sans rendez-vous", "sans rendez-vous"
    ).set_parse_action(lambda s, loc, t: [ChannelMark("walk_in"), Head("walk_in")]),
)

# --- what a sentence is about -------------------------------------------------------------------

_SLOTS = words("créneaux", "rendez-vous", "créneaux de rendez-vous", "plages")
RELEASE = phrase(
    "slot release",
    r"ouverture|mise|nouve|créneaux|rendez-vous|plages|les\s",
    (
        # « ouverture des (nouveaux) créneaux », « mise en ligne des créneaux »
        (words("ouverture des", "mise en ligne des") + opt("nouveaux", "nouvelles") + _SLOTS)
        # « (les) (nouveaux) créneaux (sont) ouverts|mis en ligne|publiés|libérés », « … ouvrent »
        | (
            opt("les nouveaux", "les nouvelles", "les", "nouveaux", "nouvelles")
            + _SLOTS
            + opt("sont", "seront")
            + words(
                "ouverts",
                "ouvertes",
                "ouvrent",
                "mis en ligne",
                "mises en ligne",
                "publiés",
                "libérés",
            )
        )
        | words("nouveaux créneaux")
    ).set_parse_action(lambda s, loc, t: Head("slot_release")),
)
VISIBILITY = phrase(
    "visibility",
    r"visib|à\s|jusqu|sur\s",
    (
        (
            words("visibilité", "visibles", "visible").suppress()
            + opt("à", "de", "sur", ":", "pendant")
            + QUANTITY
            + opt("à l'avance")
        )
        | (words("à", "jusqu'à", "sur").suppress() + QUANTITY + words("à l'avance").suppress())
    ).set_parse_action(lambda s, loc, t: Visibility(t[0])),
)
CAPACITY = phrase(
    "capacity",
    rf"dans|limit|{NUMBER_START}",
    (
        (
            words("dans la limite de", "dans la limite des", "limité à", "limitée à").suppress()
            + QUANTITY
            + opt("disponibles", "disponible")
        )
        | (QUANTITY + words("disponibles", "disponible").suppress())
    ).set_parse_action(lambda s, loc, t: Capacity(t[0])),
)
OPENING = phrase(
    "opening hours",
    "horaires|ouvert|accueil|guichet|permanence",
    words(
        "horaires d'ouverture",
        "horaires",
        "ouvert au public",
        "ouverte au public",
        "accueil du public",
        "accueil",
        "guichet ouvert",
        "permanence",
    ).set_parse_action(lambda s, loc, t: Head("opening_hours")),
)
