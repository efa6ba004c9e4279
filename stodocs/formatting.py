"""Dutch formatting of money, numbers and dates (Babel, nl_NL). Used by messages and templates."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALE = "nl_NL"


def euro(amount: Decimal | int) -> str:
    """Return `€ 7.500,00`."""
    return format_currency(Decimal(amount), "EUR", locale=LOCALE)


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
# Measure words (uur, jaar, keer, procent) stay singular after a number, as in Dutch: "40 uur", "3 jaar".
PLURALS = {
    "activiteit": "activiteiten", "alinea": "alinea's", "bijeenkomst": "bijeenkomsten", "dag": "dagen",
    "dagdeel": "dagdelen", "deelnemer": "deelnemers", "docent": "docenten", "doelstelling": "doelstellingen",
    "evenement": "evenementen", "excursie": "excursies", "fout": "fouten", "jaar": "jaar", "keer": "keer",
    "leerling": "leerlingen", "les": "lessen", "leskist": "leskisten", "licentie": "licenties", "maand": "maanden",
    "machine": "machines", "mutatie": "mutaties", "pagina": "pagina's", "partner": "partners",
    "persoon": "personen", "printer": "printers", "probleem": "problemen", "projectleider": "projectleiders",
    "regel": "regels", "rij": "rijen", "rit": "ritten", "school": "scholen", "set": "sets", "stuk": "stuks",
    "training": "trainingen", "uur": "uur", "verschuiving": "verschuivingen", "waarschuwing": "waarschuwingen",
    "week": "weken", "werkplek": "werkplekken", "wijziging": "wijzigingen", "workshop": "workshops",
}


def plural(word: str, override: str | None = None) -> str | None:
    """Return the Dutch plural of `word`: `override` if given, else from PLURALS; None when unknown."""
    return override or PLURALS.get(word)


def counted(n: Decimal | int, word: str, override: str | None = None, adjective: str = "") -> str:
    """Return `1 wijziging`, `3 wijzigingen`, `40 leskisten`; an unknown word stays as it is.

    An `adjective` goes between number and noun as given: `3 ongewijzigde alinea's`.
    """
    form = word if Decimal(n) == 1 else (plural(word, override) or word)
    return f"{number(n)} {adjective + ' ' if adjective else ''}{form}"


def fte(value: Decimal) -> str:
    """Return a wtf or fte as people write it: `1,0`, `0,8`, `0,85`."""
    return format_decimal(Decimal(value), format="0.0##", locale=LOCALE)
