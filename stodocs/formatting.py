"""Dutch formatting of money, numbers and dates (Babel, nl_NL). Used by messages and templates."""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALE = "nl_NL"


def euro(amount: Decimal | int) -> str:
    """Return `€ 7.500,00`."""
    return format_currency(Decimal(amount), "EUR", locale=LOCALE)


def euro_text(amount: Decimal | int) -> str:
    """Return an amount for running text: `€ 10.000` when it is whole euros, else `€ 7.500,50` (tables keep cents)."""
    if Decimal(amount) == Decimal(amount).to_integral_value():
        return euro_rounded(amount)
    return euro(amount)


def euro_delta(amount: Decimal) -> str:
    """Return a signed amount: `+ € 7.500,00`, `− € 200,00` or `€ 0,00`."""
    if amount > 0:
        return f"+ {euro(amount)}"
    if amount < 0:
        return f"− {euro(-amount)}"
    return euro(amount)


def number(value: Decimal | int) -> str:
    """Return `1.234,5`."""
    return format_decimal(Decimal(value), locale=LOCALE)


def percentage(value: Decimal) -> str:
    """Return a fraction as `12,3%`."""
    return format_decimal((Decimal(value) * 100).quantize(Decimal("0.1")), format="#,##0.0", locale=LOCALE) + "%"


DUTCH_TIME = ZoneInfo("Europe/Amsterdam")  # the tzdata package guarantees it on every machine


def long_date(value: date | datetime | str) -> str:
    """Return `1 oktober 2026`; a moment in time is dated as in the Netherlands."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = (value.astimezone(DUTCH_TIME) if value.tzinfo else value).date()
    return format_date(value, format="d MMMM y", locale=LOCALE)


def month(value: str) -> str:
    """Return `2026-09` as `september 2026`."""
    year, mon = value.split("-")
    return format_date(date(int(year), int(mon), 1), format="MMMM y", locale=LOCALE)


def euro_rounded(amount: Decimal | int) -> str:
    """Return whole euros: `€ 250.000` (chart axes, where cents are noise)."""
    return format_currency(Decimal(amount), "EUR", format="¤\xa0#,##0", currency_digits=False, locale=LOCALE)


def capital(text: str) -> str:
    """Return `text` with a capital first letter and the rest as it is: `Bestuurlijk overleg`, `DUS-I`."""
    return text[:1].upper() + text[1:]


# The one table of Dutch plurals: budget units and the nouns that messages and templates count.
# Measure words stay singular after a number, as a Dutch editor writes them: "40 uur", "3 jaar", "2 keer",
# "120 kilometer", "0,4 fte". Counted things and stretches of time that are counted take the plural:
# "10 maanden", "6 weken", "40 leskisten", "120 ritten". A unit not in here needs `eenheid_meervoud` in
# begroting.yaml (validate warns when both are missing).
PLURALS = {
    "abonnement": "abonnementen", "activiteit": "activiteiten", "alinea": "alinea's", "apparaat": "apparaten",
    "bezoek": "bezoeken", "bijeenkomst": "bijeenkomsten", "bus": "bussen", "busrit": "busritten",
    "certificaat": "certificaten", "cursus": "cursussen", "dag": "dagen", "dagdeel": "dagdelen", "document": "documenten",
    "deelnemer": "deelnemers", "docent": "docenten", "doelstelling": "doelstellingen", "euro": "euro",
    "evenement": "evenementen", "excursie": "excursies", "fout": "fouten", "fte": "fte", "gastles": "gastlessen",
    "groep": "groepen", "jaar": "jaar", "jaarlicentie": "jaarlicenties", "keer": "keer", "kilometer": "kilometer",
    "kist": "kisten", "kit": "kits", "klas": "klassen", "klokuur": "klokuren", "kwartaal": "kwartalen",
    "laptop": "laptops", "leerling": "leerlingen", "les": "lessen", "lesbrief": "lesbrieven",
    "leskist": "leskisten", "lespakket": "lespakketten", "lesuur": "lesuren", "licentie": "licenties",
    "maal": "maal", "maand": "maanden", "machine": "machines", "meter": "meter", "module": "modules",
    "mutatie": "mutaties", "overnachting": "overnachtingen", "pagina": "pagina's", "pakket": "pakketten",
    "partner": "partners", "persoon": "personen", "plaats": "plaatsen", "printer": "printers",
    "probleem": "problemen", "procent": "procent", "projectleider": "projectleiders", "regel": "regels",
    "regio": "regio's", "reis": "reizen", "rij": "rijen", "rit": "ritten", "robot": "robots", "school": "scholen",
    "semester": "semesters", "sessie": "sessies", "set": "sets", "stageplaats": "stageplaatsen", "stuk": "stuks",
    "tablet": "tablets", "training": "trainingen", "uur": "uur", "verklaring": "verklaringen", "verschuiving": "verschuivingen",
    "waarschuwing": "waarschuwingen", "week": "weken", "werkplaats": "werkplaatsen", "werkplek": "werkplekken",
    "wijziging": "wijzigingen", "workshop": "workshops",
}


# A unit may be written in the plural or abbreviated ("maanden", "mnd"): counted in the same way.
SINGULARS = {many: one for one, many in PLURALS.items()} | {"mnd": "mnd", "st": "st", "km": "km"}


def plural(word: str, override: str | None = None) -> str | None:
    """Return the Dutch plural of `word`: `override` if given, else from PLURALS; None when unknown."""
    if override or word in PLURALS:
        return override or PLURALS[word]
    return word if word in SINGULARS else None  # already a plural, or an abbreviation


def counted(n: Decimal | int, word: str, override: str | None = None, adjective: str = "") -> str:
    """Return `1 wijziging`, `3 wijzigingen`, `40 leskisten`, `0,5 maand`; an unknown word stays as it is.

    An `adjective` goes between number and noun as given: `3 ongewijzigde alinea's`.
    """
    singular = abs(Decimal(n)) == 1 or 0 < abs(Decimal(n)) < 1  # "een halve maand": a part of one is singular
    if singular:  # a unit written in the plural ("maanden") is counted "1 maand"
        form = word if override else SINGULARS.get(word, word)
    else:
        form = plural(word, override) or word
    return f"{number(n)} {adjective + ' ' if adjective else ''}{form}"


def version_text(version) -> str:
    """Return the version as people read it: `Versie van 14 maart 2026 (0d307d1)`, or `Versie v1.0 van ...` on a tag."""
    tag = version.describe if version.describe and not re.search(r"-\d+-g[0-9a-f]+$", version.describe) else None
    named = f"Versie {tag} van" if tag else "Versie van"
    if not version.in_git:
        return f"{named} {long_date(version.date)} (buiten git)"
    which = version.commit[:7] + (" met niet-vastgelegde wijzigingen" if version.dirty else "")
    return f"{named} {long_date(version.date)} ({which})"


def fte(value: Decimal) -> str:
    """Return a wtf or fte as people write it: `1,0`, `0,8`, `0,85`."""
    return format_decimal(Decimal(value), format="0.0##", locale=LOCALE)


# --- User text in logs and Markdown ---------------------------------------------------------------------------------

# What a terminal, a CI log or a git host reads as structure or commands: C0 and C1 control characters (line breaks,
# ESC), DEL, and Unicode's line and paragraph separators. Whitespace among them becomes a space, the rest U+FFFD.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_SPACE = re.compile("[\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u2028\u2029]+")


def one_line(value: object) -> str:
    """Return user text as one printable line: a run of line breaks and tabs as one space, other control characters
    as �."""
    text = str(value)
    if text.isprintable():
        return text
    return _CONTROL.sub("\ufffd", _CONTROL_SPACE.sub(" ", text))


def printable_line(text: str) -> str:
    """Return text for a terminal, a CI log or a report: one line (one_line), and a file name that is not UTF-8
    (kept by Python as surrogates) with a replacement character."""
    return one_line(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))


_MARKDOWN_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
WORD_JOINER = "\u2060"  # invisible; keeps a git host from turning text into a link, a mention or a reference


def markdown_text(value: object) -> str:
    """Return user text as Markdown that shows exactly that text, on one line, and does nothing else.

    Every ASCII punctuation mark is backslash-escaped (no Markdown, no HTML tag or comment, no table cell border),
    whitespace runs and line breaks become one space, and an invisible word joiner follows `://`, `www.` and the
    signs a git host turns into a mention or a reference (`@name`, `#12`, `!12`, `~label`, ...).
    """
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(one_line(value).split()))
    escaped = re.sub(r"(\\:)(\\/\\/)", rf"\1{WORD_JOINER}\2", escaped)  # http://
    escaped = re.sub(r"(?i)\b(www)(\\\.)", rf"\1{WORD_JOINER}\2", escaped)  # www.
    return re.sub(r"(\\[@#!~%$&^])", rf"\1{WORD_JOINER}", escaped)  # @mention, #12, !12, ~label, %milestone, ...


# A spreadsheet reads a cell that starts with one of these as a formula (or strips it): OWASP's "CSV injection".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: object) -> object:
    """Return a CSV cell that a spreadsheet shows as text, never runs: text with a formula sign first gets a `'`."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value
