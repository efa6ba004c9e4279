"""Check a region: schemas per file, then the rules that span documents. Every finding is a Problem."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

import cerberus
from babel.numbers import format_decimal
from cerberus import errors as E

from . import model
from .formatting import euro, long_date, month, number, plural
from .load import REALISATIE_FILES, Loaded, RegionFiles, dotted, parse_yaml, suggest
from .model import Region
from .problems import ERROR, WARNING, Problem
from .resources import data_folder
from .wording import label
from .verantwoording.schedule import CALENDAR, WARN_DAYS

SCHEMA_DIR = data_folder("schemas")
SCHEMA_OF_FILE = {
    "regio.yaml": "regio", "programmalijnen.yaml": "programmalijnen", "partners.yaml": "partners",
    "personen.yaml": "personen", "activiteiten.yaml": "activiteiten", "begroting.yaml": "begroting",
    "wijzigingsprocedure.yaml": "wijzigingsprocedure", "vaststellingen.yaml": "vaststellingen",
    "regioplan.md": "document", "huishoudelijk-reglement.md": "document",
    "activiteitenplan.md": "document", "meerjarenbegroting.md": "document",
    **{path: "realisatie-" + path.rsplit("/", 1)[1].removesuffix(".yaml") for path in REALISATIE_FILES},
}

ID_PATTERN = r"^[a-z][a-z0-9-]{0,59}$"
# Far above any STO budget (EUR 4 M for four years), far below Decimal's 28 digits: the arithmetic stays exact.
MAX_MONEY = 10**12
MAX_COUNT = 10**9
MONEY_PATTERN = r"^[0-9]{1,12}([.,][0-9]{1,2})?$"  # an amount written as text: 7500, 49,95 or 49.95
_ID = re.compile(ID_PATTERN)
_MONEY_TEXT = re.compile(MONEY_PATTERN)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")

# Deadlines from the regulation (docs/domein.md § 10, in schedule.py) that validate warns about: the region's
# own deliveries. The penvoerder's jaarverslag (G2) is left to `build.py status`.
DEADLINES = tuple((d.datum, d.naam) for d in CALENDAR if d.kind in ("plan", "voortgang", "einde", "eindverslag"))


def _is_date(value) -> bool:
    if not isinstance(value, str) or not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_month(value) -> bool:
    found = isinstance(value, str) and _MONTH.match(value)
    return bool(found) and 1 <= int(found.group(2)) <= 12


# One number rule for money, hours and counts (docs/inhoud.md, "Zo schrijft u waarden"): decimals with a point
# (49.95), or with a comma between quotes ("49,95"); never a separator for thousands. The loader reads
# 49.95 exactly (Decimal), so the point is as safe as the comma.
# `1.000` reads as one, not a thousand: a Dutch writer means a thousand, so we refuse the ambiguity.
_THOUSANDS = re.compile(r"^[1-9][0-9]{0,2}(\.[0-9]{3})+$")
NUMBER_PATTERN = r"^[-+]?[0-9]+([.,][0-9]+)?$"  # a count written as text: "0,5" or "0.5"
_NUMBER_TEXT = re.compile(NUMBER_PATTERN)
MAX_DECIMALS = 6  # hours and counts; money has cents


def _is_money(value) -> bool:
    if isinstance(value, Decimal):
        return not _THOUSANDS.match(str(value)) and 0 <= value < MAX_MONEY and value.as_tuple().exponent >= -2
    return (isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_MONEY) or \
        (isinstance(value, str) and bool(_MONEY_TEXT.match(value)))


def _is_number(value) -> bool:
    if isinstance(value, str):
        if not _NUMBER_TEXT.match(value) or _THOUSANDS.match(value) or re.match(r"^[-+]?0[0-9]", value):
            return False  # `040` is octal to older YAML tools: refused, as its unquoted twin
        value = Decimal(value.replace(",", "."))
    if isinstance(value, Decimal) and (_THOUSANDS.match(str(value)) or value.as_tuple().exponent < -MAX_DECIMALS):
        return False
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool) and abs(value) < MAX_COUNT


def _is_id(value) -> bool:
    return isinstance(value, str) and bool(_ID.match(value))


class _ValueCheck(type):
    """A class whose isinstance() runs a test on the value: lets Cerberus type-check by content."""

    def __instancecheck__(cls, value) -> bool:
        return cls.accepts(value)


def _type(name: str, accepts) -> cerberus.TypeDefinition:
    return cerberus.TypeDefinition(name, (_ValueCheck(name, (), {"accepts": staticmethod(accepts)}),), ())


class _Validator(cerberus.Validator):
    """Cerberus with the types our content uses."""

    types_mapping = {
        **cerberus.Validator.types_mapping,
        "bedrag": _type("bedrag", _is_money),
        "getal": _type("getal", _is_number),
        "id": _type("id", _is_id),
        "datum": _type("datum", _is_date),
        "maand": _type("maand", _is_month),
    }


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """Return the Cerberus schema `schemas/<name>.yaml`, parsed with our own loader."""
    path = SCHEMA_DIR / f"{name}.yaml"
    loaded, problems = parse_yaml(str(path), path.read_text(encoding="utf-8"))
    if problems or loaded is None:
        raise RuntimeError(f"schema {path} is broken: {problems}")
    return loaded.data


_QUICK_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int),  # as Cerberus: bool is an int
    "boolean": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "dict": lambda v: isinstance(v, dict),
    "bedrag": _is_money, "getal": _is_number, "id": _is_id, "datum": _is_date, "maand": _is_month,
}
_QUICK_RULES = {"type", "required", "empty", "allowed", "regex", "minlength", "min", "schema", "meta"}


@lru_cache(maxsize=None)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def quick_ok(document: dict, schema: dict) -> bool:
    """Return True only when `document` surely satisfies `schema`; False means "ask Cerberus".

    Cerberus builds a child validator for every list item and is slow on valid content, which
    is nearly all content. This walk knows a strict subset of the rules; anything else, and
    anything invalid, goes to Cerberus, which stays the judge and the source of every message.
    """
    if any(key not in schema for key in document):
        return False
    for key, rules in schema.items():
        if key not in document:
            if rules.get("required"):
                return False
            continue
        if not _quick_value(document[key], rules):
            return False
    return True


def _quick_value(value, rules: dict) -> bool:
    if not rules.keys() <= _QUICK_RULES or value is None:
        return False
    kind = rules.get("type")
    if kind is not None and not (kind in _QUICK_TYPES and _QUICK_TYPES[kind](value)):
        return False
    if rules.get("empty") is False and isinstance(value, (str, list, dict)) and not value:
        return False
    if "allowed" in rules and value not in rules["allowed"]:
        return False
    if "regex" in rules and not (isinstance(value, str) and _regex(rules["regex"]).fullmatch(value)):
        return False
    if "minlength" in rules and not (isinstance(value, list) and len(value) >= rules["minlength"]):
        return False
    if "min" in rules and not (isinstance(value, (int, Decimal)) and value >= rules["min"]):
        return False
    sub = rules.get("schema")
    if sub is not None:
        if kind == "list":
            return all(_quick_value(item, sub) for item in value)
        if kind == "dict":
            return quick_ok(value, sub)
        return False
    return True


def _validator(name: str) -> _Validator:
    return _Validator(load_schema(name))


_TYPE_WORDS = {
    "string": "tekst", "integer": "een heel getal", "boolean": "true of false", "list": "een lijst (regels met '- ')",
    "dict": "een map (regels met 'sleutel: waarde')", "bedrag": "een bedrag", "getal": "een getal",
    "id": "een id", "datum": "een datum", "maand": "een maand",
}


def _type_message(expected: str, value, raw: str | None) -> str:
    shown = raw if raw is not None else value
    if expected in ("bedrag", "getal") and _THOUSANDS.match(str(shown)) and str(shown).count(".") == 1:
        whole = str(shown).replace(".", "")
        meant = Decimal(str(shown)).normalize()
        return (f"{shown} is onduidelijk: de punt is hier een decimaalteken, dus dit is "
                f"{number(meant)} en niet {whole}. Bedoelt u {whole}? Schrijf dan {whole}, zonder punt")
    if expected == "bedrag" and (isinstance(value, int) and value >= MAX_MONEY or
                                 isinstance(value, str) and re.match(r"^[0-9]{13,}([.,][0-9]{1,2})?$", value)):
        return f"{shown} is te groot voor een bedrag in een STO-begroting; controleer het aantal cijfers"
    if expected == "getal" and isinstance(value, str) and _NUMBER_TEXT.match(value) and \
            not re.match(r"^[-+]?0[0-9]", value):
        value = Decimal(value.replace(",", "."))
    if expected == "getal" and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        if abs(value) >= MAX_COUNT:
            return f"{shown} is te groot voor een aantal; controleer het aantal cijfers"
        if isinstance(value, Decimal) and value.as_tuple().exponent < -MAX_DECIMALS:
            return f"{shown} heeft te veel cijfers achter de komma; rond af op hoogstens {MAX_DECIMALS} decimalen"
    if expected in ("bedrag", "getal") and isinstance(value, str) and \
            re.match(r"^[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$", value):
        return (f"'{value}' heeft punten voor duizendtallen; schrijf het {'bedrag' if expected == 'bedrag' else 'getal'} "
                "zonder scheidingstekens, "
                f"bijvoorbeeld \"{value.replace('.', '')}\"")
    if expected == "bedrag":
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value < 0:
            return f"{shown} is negatief; een bedrag is 0 of meer"
        if isinstance(value, Decimal) or isinstance(value, str) and re.match(r"^[0-9]+[.,][0-9]{3,}$", value):
            return (f"{shown} heeft meer dan twee cijfers achter de komma; een bedrag is in hele centen, "
                    "bijvoorbeeld 49.95 of \"49,95\"")
        return (f"'{shown}' is geen bedrag; schrijf een getal zonder €-teken of punten voor duizendtallen: "
                "7500, 49.95 of \"49,95\"")
    if expected == "id":
        return (f"'{shown}' is geen geldig id; gebruik kleine letters, cijfers en streepjes, beginnend met een letter "
                "(bijvoorbeeld techniekroute-po)")
    if expected == "datum":
        return f"'{shown}' is geen datum; schrijf jjjj-mm-dd, bijvoorbeeld 2026-03-14"
    if expected == "maand":
        return f"'{shown}' is geen maand; schrijf jjjj-mm, bijvoorbeeld 2026-09"
    if expected == "boolean" and isinstance(value, str):
        return f"'{shown}' is geen ja/nee-waarde in dit formaat; schrijf true (ja) of false (nee)"
    if expected in ("integer", "getal") and isinstance(value, str) and re.match(r"^[-+]?0[0-9]+$", value):
        return f"'{value}' begint met een 0 en wordt daarom als tekst gelezen; schrijf het getal zonder voorloopnul ({int(value)})"
    if expected == "integer" and isinstance(value, Decimal):
        return f"{shown} is geen heel getal; schrijf een heel getal zonder komma"
    if expected == "string" and raw is not None:
        kind = "ja/nee-waarde" if isinstance(value, bool) else "getal"
        return f"hier hoort tekst, maar {raw} wordt als {kind} gelezen; zet het tussen aanhalingstekens: \"{raw}\""
    return f"verwacht {_TYPE_WORDS.get(expected, expected)}, niet '{shown}'"


# A person's pay: a message about these fields never quotes the value, because messages go to CI logs, annotations,
# Code Quality reports and job summaries that the whole region reads (docs/privacy.md).
PERSONAL_FIELDS = frozenset({"jaarsalaris", "uurtarief", "loonkosten"})
_NOT_QUOTED = "(de waarde staat niet in deze melding: het is een persoonsgegeven)"


def _personal_message(error, field: str) -> str:
    """Say what is wrong with a pay field without its value."""
    value = error.value
    if error.code == E.BAD_TYPE.code and error.constraint == "bedrag":
        if isinstance(value, str) and re.match(r"^[0-9]{1,3}(\.[0-9]{3})+(,[0-9]{1,2})?$", value):
            what = "heeft punten voor duizendtallen; schrijf het bedrag zonder scheidingstekens"
        elif isinstance(value, Decimal):
            what = "is een kommagetal zonder aanhalingstekens; schrijf het bedrag met een komma tussen aanhalingstekens"
        elif isinstance(value, int) and not isinstance(value, bool) and value < 0:
            what = "is negatief; een bedrag is 0 of meer"
        else:
            what = "is geen bedrag; schrijf een heel getal of met centen tussen aanhalingstekens, zonder €-teken"
        return f"'{field}' {what}, bijvoorbeeld \"49,95\" {_NOT_QUOTED}"
    if error.code == E.BAD_TYPE.code:
        return f"'{field}' is geen {_TYPE_WORDS.get(error.constraint, error.constraint)} {_NOT_QUOTED}"
    if error.code == E.MIN_VALUE.code:
        return f"'{field}' is te klein; het minimum is {error.constraint} {_NOT_QUOTED}"
    if error.code == E.MAX_VALUE.code:
        return f"'{field}' is te groot; het maximum is {error.constraint} {_NOT_QUOTED}"
    return f"'{field}' heeft geen geldige waarde {_NOT_QUOTED}"


def _leaf_errors(errors):
    for error in errors:
        if error.is_group_error:
            yield from _leaf_errors(error.child_errors)
        else:
            yield error


def _schema_at(schema: dict, path: tuple) -> dict:
    """Return the mapping schema that applies at document `path` (for typo suggestions)."""
    current = schema
    for part in path:
        if isinstance(part, int):
            current = current.get("schema", {})
            continue
        rules = current.get(part, {})
        current = rules.get("schema", {}) if rules.get("type") in ("dict", "list") else {}
    return current if all(isinstance(v, dict) for v in current.values()) else {}


def _meant_key(error, schema: dict) -> str | None:
    """Return the known key an unknown key looks like a typo of, if any."""
    path = tuple(error.document_path)
    return suggest(str(path[-1]), _schema_at(schema, path[:-1])) if path else None


def _message(error, loaded: Loaded, schema: dict) -> str:
    path = tuple(error.document_path)
    value = error.value
    field = path[-1] if path else ""
    if error.code == E.REQUIRED_FIELD.code:
        return f"'{field}' ontbreekt; voeg een regel '{field}: ...' toe"
    if error.code == E.UNKNOWN_FIELD.code:
        siblings = _schema_at(schema, path[:-1])
        guess = _meant_key(error, schema)
        if guess:
            return f"onbekende sleutel '{field}'; bedoelde u '{guess}'?"
        return f"onbekende sleutel '{field}'; toegestaan zijn: {', '.join(siblings)}"
    if field in PERSONAL_FIELDS and error.code not in (E.NOT_NULLABLE.code, E.EMPTY_NOT_ALLOWED.code):
        return _personal_message(error, field)
    if error.code == E.BAD_TYPE.code:
        return _type_message(error.constraint, value, loaded.raw.get(path))
    if error.code == E.NOT_NULLABLE.code:
        rules = _schema_at(schema, path[:-1]).get(field, {}) if isinstance(field, str) else {}
        if isinstance(rules, dict) and rules.get("required"):  # a required field cannot go: only a value helps
            return f"'{field}' heeft geen waarde; vul een waarde in"
        return f"'{field}' heeft geen waarde; vul een waarde in of verwijder de regel"
    if error.code == E.EMPTY_NOT_ALLOWED.code:
        return f"'{field}' is leeg; vul een waarde in"
    if error.code == E.UNALLOWED_VALUE.code:
        options = [str(o) for o in error.constraint]
        guess = suggest(str(value), options)
        hint = f"bedoelde u '{guess}'? " if guess else ""
        return f"'{value}' is geen toegestane waarde; {hint}kies uit: {', '.join(options)}"
    if error.code == E.REGEX_MISMATCH.code:
        rules = _rules_at(schema, tuple(error.schema_path))
        uitleg = rules.get("meta", {}).get("uitleg")
        return f"'{value}' heeft niet de goede vorm; {uitleg or 'controleer de schrijfwijze'}"
    if error.code == E.MIN_LENGTH.code:
        return f"'{field}' moet minstens {error.constraint} item(s) bevatten"
    if error.code == E.MAX_LENGTH.code:
        return f"'{field}' mag hoogstens {error.constraint} item(s) bevatten"
    if error.code == E.MIN_VALUE.code:
        return f"{value} is te klein; het minimum is {error.constraint}"
    if error.code == E.MAX_VALUE.code:
        return f"{value} is te groot; het maximum is {error.constraint}"
    return f"ongeldige waarde '{value}' (regel {error.rule})"


def _rules_at(schema: dict, schema_path: tuple) -> dict:
    current = schema
    for part in schema_path[:-1]:
        if not isinstance(current, dict) or part not in current:
            return {}
        current = current[part]
    return current if isinstance(current, dict) else {}


def check_file(name: str, loaded: Loaded, schema_name: str | None = None) -> list[Problem]:
    """Check one loaded file against its schema (by default the one SCHEMA_OF_FILE names for it)."""
    schema_name = schema_name or SCHEMA_OF_FILE[name]
    schema = load_schema(schema_name)
    data = loaded.data
    if not isinstance(data, dict):
        return [Problem(loaded.path, loaded.line(()), "",
                        "het bestand moet een map met sleutels zijn ('sleutel: waarde'), geen losse tekst of lijst")]
    if name.endswith(".md") and loaded.body_line == 1:
        return [Problem(loaded.path, 1, "",
                        "het document begint niet met gegevens tussen twee regels '---'; zet bovenaan een regel '---', "
                        "dan 'titel: <titel van het document>' en dan weer '---'")]
    if quick_ok(data, schema):
        return []
    validator = _validator(schema_name)
    validator.validate(data, normalize=False)  # we define no defaults or coercions: skip that pass
    leaves = list(_leaf_errors(validator._errors))
    messages = {id(error): _message(error, loaded, schema) for error in leaves}
    # A typo'd key also makes the real key "missing"; the typo message alone says what to do.
    meant = {tuple(e.document_path[:-1]) + (_meant_key(e, schema),)
             for e in leaves if e.code == E.UNKNOWN_FIELD.code}
    problems = []
    for error in leaves:
        path = tuple(error.document_path)
        if error.code == E.REQUIRED_FIELD.code and path in meant:
            continue
        # A missing key is named in the message; the label names the thing it is missing from.
        named = path[:-1] if error.code == E.REQUIRED_FIELD.code else path
        problems.append(Problem(loaded.path, loaded.line(path), dotted(path), messages[id(error)],
                                label=label(loaded.path, loaded.data, named)))
    return problems


def _hashes_as_text(loaded: Loaded) -> None:
    """Give back the text of a commit hash of digits only (`1234567`), which YAML reads as a number."""
    records = loaded.data.get("vaststellingen") if isinstance(loaded.data, dict) else None
    for i, record in enumerate(records if isinstance(records, list) else ()):
        if isinstance(record, dict) and isinstance(record.get("commit"), int) and not isinstance(record["commit"], bool):
            record["commit"] = loaded.raw.get(("vaststellingen", i, "commit"), str(record["commit"]))


def check_schemas(files: RegionFiles) -> list[Problem]:
    """Check every loaded file of a region against its schema."""
    if "vaststellingen.yaml" in files.files:
        _hashes_as_text(files.files["vaststellingen.yaml"])
    problems = []
    for name, loaded in sorted(files.files.items()):
        problems += check_file(name, loaded)
    return problems


# --- cross-document rules ----------------------------------------------------------------

def _plain(amount: Decimal) -> str:
    """Return an exact number the Dutch way, without rounding: 28.511,875."""
    return format_decimal(amount.normalize(), format="#,##0.##########", locale="nl_NL")


def _at(place: model.Place, field: str, message: str, severity: str = ERROR) -> Problem:
    """Return a problem pointing at `field` of the thing written at `place`."""
    return place.problem(field, message, severity)


def _unique(things, what: str) -> list[Problem]:
    seen: dict[str, model.Place] = {}
    problems = []
    for thing in things:
        if thing.id in seen:
            first = seen[thing.id]
            problems.append(_at(thing.place, "id",
                                    f"id '{thing.id}' is al gebruikt voor een andere {what} "
                                    f"({first.path}:{first.line}); kies een uniek id"))
        else:
            seen[thing.id] = thing.place
    return problems


def _resolves(place: model.Place, field: str, value: str, known, what: str, file: str, why: str = "") -> list[Problem]:
    if not value or value in known:
        return []
    guess = suggest(value, known)
    hint = f"bedoelde u '{guess}'?" if guess else \
        f"{_existing(what, known)}; verwijs naar een daarvan, of voeg die toe aan {file}{why}"
    return [_at(place, field, f"verwijst naar {what} '{value}', maar die bestaat niet; {hint}")]


LISTED_IDS = 12  # an unknown id without a near match lists this many existing ids (all, when there are no more)


def _existing(what: str, known) -> str:
    """Return `bestaande partners: a, b, c` (at most LISTED_IDS of them, and how many more)."""
    ids = sorted(str(k) for k in known)
    if not ids:
        return f"er zijn nog geen {plural(what) or what}"
    shown = ", ".join(ids[:LISTED_IDS])
    more = f" en nog {len(ids) - LISTED_IDS} andere" if len(ids) > LISTED_IDS else ""
    return f"bestaande {plural(what) or what}: {shown}{more}"


def check_references(region: Region, broken: frozenset[str] = frozenset()) -> list[Problem]:
    """Ids are unique and every reference resolves (into files that are not `broken`)."""

    def _ref(place, field, value, known, what, file, why=""):
        return [] if file in broken else _resolves(place, field, value, known, what, file, why)

    problems = []
    problems += _unique(region.programmalijnen, "programmalijn")
    problems += _unique(region.doelstellingen, "doelstelling")
    problems += _unique(region.partners, "partner")
    problems += _unique(region.personen, "persoon")
    problems += _unique(region.activiteiten, "activiteit")
    problems += _unique(region.begroting.lines, "begrotingsregel")
    partners, persons = region.partners_by_id, region.personen_by_id
    doelen, activities = region.doelstellingen_by_id, region.activiteiten_by_id
    problems += _ref(region.place, "penvoerder", region.penvoerder, partners, "partner", "partners.yaml")
    penvoerder = partners.get(region.penvoerder)
    if penvoerder is not None and penvoerder.soort != "vmbo":
        problems.append(_at(region.place, "penvoerder",
                                f"de penvoerder moet een vmbo-partner zijn, maar '{penvoerder.id}' is {penvoerder.soort}; "
                                "kies het bevoegd gezag van een vmbo-school"))
    for person in region.personen:
        problems += _ref(person.place, "partner", person.partner, partners, "partner", "partners.yaml")
    for activity in region.activiteiten:
        problems += _ref(activity.place, "doelstelling", activity.doelstelling, doelen, "doelstelling", "programmalijnen.yaml",
                         " (een nieuwe doelstelling is een wijziging van het regioplan: volg de wijzigingsprocedure)")
        problems += _ref(activity.place, "trekker", activity.trekker, persons, "persoon", "personen.yaml")
        for partner in activity.partners:
            problems += _ref(activity.place, "partners", partner, partners, "partner", "partners.yaml")
    for line in region.begroting.lines:
        problems += _ref(line.place, "activiteit", line.activiteit, activities, "activiteit", "activiteiten.yaml")
        problems += _ref(line.place, "cofinancier", line.cofinancier, partners, "partner", "partners.yaml")
    return problems


def check_partners(region: Region, broken: frozenset[str] = frozenset()) -> list[Problem]:
    """The partner mix, school codes and role titles."""
    problems = []
    kinds = {p.soort for p in region.partners if not p.uitgetreden}
    missing = [k for k in ("vmbo", "mbo", "po", "bedrijf") if k not in kinds]
    if missing and "partners.yaml" not in broken:
        problems.append(Problem(f"{region.folder}/partners.yaml", 1, "partners",
                                "een STO-regio heeft minstens één partner van elke soort vmbo, mbo, po en bedrijf; "
                                f"er ontbreekt: {', '.join(missing)}"))
    seen_brin: dict[str, model.Partner] = {}
    for p in region.partners:
        if p.soort in ("vmbo", "mbo", "po") and not p.brin:
            problems.append(_at(p.place, "brin",
                                    f"school '{p.id}' heeft geen BRIN-nummer; voeg een regel 'brin: \"12AB\"' toe met het BRIN-nummer van de school"))
        if p.soort == "vmbo":
            if not p.vestiging:
                problems.append(_at(p.place, "vestiging",
                                        f"vmbo-vestiging '{p.id}' heeft geen vestigingscode; voeg 'vestiging: \"01\"' toe"))
            if not p.profielen:
                problems.append(_at(p.place, "profielen",
                                        f"vmbo-school '{p.id}' noemt geen profielen; voeg 'profielen: [...]' toe"))
            if not p.leerwegen:
                problems.append(_at(p.place, "leerwegen",
                                        f"vmbo-school '{p.id}' noemt geen leerwegen; voeg 'leerwegen: [...]' toe"))
            key = p.brin + p.vestiging
            if key in seen_brin and p.brin:
                problems.append(_at(p.place, "vestiging",
                                        f"BRIN {p.brin} met vestiging {p.vestiging} staat ook bij '{seen_brin[key].id}'; "
                                        "elke vmbo-vestiging staat één keer in de lijst"))
            seen_brin.setdefault(key, p)
        elif p.profielen or p.leerwegen:
            problems.append(_at(p.place, "profielen",
                                    f"profielen en leerwegen horen alleen bij vmbo-scholen, niet bij '{p.id}' ({p.soort})"))
    for person in region.personen:
        expected = model.TITLE_ROLES.get(person.functie.strip().lower())
        if expected and expected != person.rol:
            problems.append(_at(person.place, "rol",
                                    f"een {person.functie} heeft de {model.ROLES[expected].lower()} ('{expected}'), "
                                    f"niet '{person.rol}'; pas de rol of de functie aan"))
    return problems


def check_departed_partners(region: Region) -> list[Problem]:
    """A partner that left gives no cofinanciering in a later year, and is no longer on a running activity."""
    problems = []
    departed = {p.id: p for p in region.partners if p.uitgetreden}
    for line in region.begroting.lines:
        partner = departed.get(line.cofinancier)
        if partner is not None and line.cofinanciering and line.jaar > int(partner.uitgetreden[:4]):
            problems.append(_at(line.place, "cofinancier",
                                f"cofinanciering door {partner.naam} in {line.jaar}, maar die partner is uitgetreden "
                                f"per {long_date(partner.uitgetreden)}: dat geld komt niet en telt niet mee voor de "
                                "norm van 10%; laat een andere partner cofinancieren of haal de cofinanciering weg"))
    for activity in region.activiteiten:
        if activity.status in ("afgerond", "vervallen"):
            continue
        for partner_id in activity.partners:
            partner = departed.get(partner_id)
            if partner is not None and activity.eind >= partner.uitgetreden[:7]:
                problems.append(_at(activity.place, "partners",
                                    f"partner {partner.naam} is uitgetreden per {long_date(partner.uitgetreden)}, "
                                    f"maar staat nog bij deze activiteit, die loopt tot en met {month(activity.eind)}; "
                                    f"haal '{partner_id}' weg uit de partners of verleg het werk",
                                    severity=WARNING))
    return problems


def check_activities(region: Region) -> list[Problem]:
    """Activity planning fits the subsidy period."""
    problems = []
    for a in region.activiteiten:
        if a.start > a.eind:
            problems.append(_at(a.place, "eind",
                                    f"eind {a.eind} ligt voor start {a.start}; draai ze om of pas ze aan"))
        if a.eind > f"{model.LAST_SPENDING_DAY:%Y-%m}":
            problems.append(_at(a.place, "eind",
                                    f"eind {a.eind} ligt na de bestedingsperiode (tot en met december 2028); "
                                    "kosten na 31 december 2028 zijn niet subsidiabel"))
        if a.start < "2025-01":
            problems.append(_at(a.place, "start",
                                    f"start {a.start} ligt voor de subsidieperiode (vanaf januari 2025)"))
    return problems


def check_budget(region: Region, broken: frozenset[str] = frozenset()) -> list[Problem]:
    """The budget rules: years, P×Q to the cent, cofinanciering, the maximum and the 10% norm.

    The rules over the whole budget need the files they add up: they are left out while one of those is `broken`.
    """
    problems = []
    for line in region.begroting.lines:
        if line.jaar not in model.YEARS:
            problems.append(_at(line.place, "jaar",
                                    f"jaar {line.jaar} valt buiten de subsidieperiode; kies 2025, 2026, 2027 of 2028 "
                                    "(kosten na 31 december 2028 zijn niet subsidiabel)"))
        if not line.whole_cents:
            problems.append(_at(line.place, "aantal",
                                    f"{_plain(line.aantal)} × {euro(line.prijs)} = € {_plain(line.aantal * line.prijs)}, "
                                    "geen bedrag in hele centen; kies een aantal of prijs waarvan de uitkomst op "
                                    "hele centen uitkomt"))
        if line.aantal < 0:
            problems.append(_at(line.place, "aantal", f"aantal {line.aantal} is negatief; een kostenpost is 0 of meer"))
        if line.cofinanciering > line.totaal:
            problems.append(_at(line.place, "cofinanciering",
                                    f"cofinanciering {euro(line.cofinanciering)} is meer dan de kosten van de regel "
                                    f"({euro(line.totaal)}); verlaag de cofinanciering"))
        if line.cofinanciering and not line.cofinancier:
            problems.append(_at(line.place, "cofinancier",
                                    "er is cofinanciering maar geen cofinancier; voeg 'cofinancier: <partner-id>' toe"))
        if line.categorie == "materiele-kosten" and line.prijs >= model.MACHINE_PRICE:
            problems.append(_at(line.place, "categorie",
                                f"{euro(line.prijs)} per {line.eenheid} als materiële kosten: is dit de aanschaf van een "
                                "machine of apparaat? Dan telt alleen de afschrijving binnen de looptijd; zet die als "
                                "categorie afschrijvingen (aantal maanden × afschrijving per maand)", severity=WARNING))
        depreciation_not_monthly = line.categorie == "afschrijvingen" and line.eenheid.strip().lower() not in model.MONTH_UNITS
        if depreciation_not_monthly:
            problems.append(_at(line.place, "eenheid",
                                f"afschrijvingen in '{line.eenheid}' ({_plain(line.aantal)} × {euro(line.prijs)}): is dit "
                                "de aanschafprijs? Een machine wordt per maand afgeschreven over haar economische "
                                "levensduur, en alleen de maanden tot en met december 2028 tellen. Schrijf de regel als "
                                "aantal maanden × afschrijving per maand (eenheid: maand)", severity=WARNING))
        if plural(line.eenheid, line.eenheid_meervoud) is None and not depreciation_not_monthly:  # one remark a unit
            problems.append(_at(line.place, "eenheid",
                                f"stodocs kent het meervoud van eenheid '{line.eenheid}' niet; zet het eronder als "
                                "'eenheid_meervoud: <meervoud>' (bij een maatwoord dat na een getal enkelvoud blijft, "
                                "zoals 'uur' of 'kilometer': hetzelfde woord)", severity=WARNING))
        if line.cofinancier and not line.cofinanciering:
            problems.append(_at(line.place, "cofinanciering",
                                    f"cofinancier '{line.cofinancier}' zonder bedrag; voeg 'cofinanciering: <bedrag>' toe "
                                    "of verwijder de cofinancier", severity=WARNING))
    if "regio.yaml" in broken:
        return problems
    totals = region.begroting.totals
    budget_at = (region.begroting.place.path, region.begroting.place.line)
    maximum = region.effective_maximum
    if region.soort == "techniekregio" and maximum is None:
        problems.append(_at(region.place, "maximale_subsidie",
                                "een techniekregio moet haar maximale subsidie uit bijlage 3 van de regeling noemen; "
                                "voeg 'maximale_subsidie: <bedrag>' toe"))
    if region.soort == "techniekluw" and region.maximale_subsidie and region.maximale_subsidie > model.TECHNIEKLUW_MAXIMUM:
        problems.append(_at(region.place, "maximale_subsidie",
                                f"een techniekluwe regio kan hoogstens {euro(model.TECHNIEKLUW_MAXIMUM)} aanvragen, "
                                f"niet {euro(region.maximale_subsidie)}"))
    if "begroting.yaml" in broken:
        return problems
    if maximum is not None and totals.subsidie > maximum:
        problems.append(Problem(*budget_at, "regels",
                                f"de gevraagde subsidie is {euro(totals.subsidie)}, {euro(totals.subsidie - maximum)} meer "
                                f"dan het maximum van {euro(maximum)}; verlaag kosten of verhoog de cofinanciering"))
    if maximum is not None and totals.subsidie < maximum:
        problems.append(Problem(*budget_at, "regels",
                                f"{euro(maximum - totals.subsidie)} van de maximale subsidie ({euro(maximum)}) is nog niet "
                                "begroot; voeg begrotingsregels toe als dat de bedoeling is", severity=WARNING))
    norm = region.cofinanciering_norm
    if region.cofinanciering_bedrijven < norm and "partners.yaml" not in broken:
        problems.append(Problem(*budget_at, "cofinanciering",
                                f"cofinanciering door bedrijven is {euro(region.cofinanciering_bedrijven)}, minder dan 10% van "
                                f"de subsidiabele kosten ({euro(norm)} van {euro(totals.totaal)}); er ontbreekt "
                                f"{euro(norm - region.cofinanciering_bedrijven)}. Leg meer cofinanciering door "
                                "bedrijven vast met 'cofinanciering' en 'cofinancier: <id van een bedrijf>' op de regels"))
    budgeted = {l.activiteit for l in region.begroting.lines}
    for a in region.activiteiten:
        if a.id not in budgeted and a.status != "vervallen":
            problems.append(_at(a.place, "id",
                                    f"activiteit '{a.id}' heeft geen begrotingsregels; voeg ze toe in begroting.yaml, "
                                    "of zet de status op vervallen", severity=WARNING))
    return problems


def check_deadlines(region: Region, today: date) -> list[Problem]:
    """Warn when a deadline of the regulation falls within WARN_DAYS days."""
    problems = []
    for deadline, what in DEADLINES:
        if today <= deadline <= today + timedelta(days=WARN_DAYS):
            problems.append(Problem(region.place.path, 0, "",
                                    f"uiterlijk {long_date(deadline)}: {what} ({(deadline - today).days} dagen); "
                                    "'build.py status' toont wat er nog ontbreekt", severity=WARNING))
    return problems


def check_region(region: Region, today: date | None = None, broken: frozenset[str] = frozenset()) -> list[Problem]:
    """Run every cross-document rule on a built region.

    `broken` names the files that are missing or failed their schema; the region holds empty placeholders for them
    (model.with_placeholders), and a rule that needs one of them is left out, so a broken file hides only those.
    """
    problems = (check_references(region, broken) + check_partners(region, broken) + check_departed_partners(region)
                + check_activities(region) + check_budget(region, broken))
    if today is not None:
        problems += check_deadlines(region, today) + check_peildatum_passed(region, today)
    return problems


def check_peildatum_passed(region: Region, today: date) -> list[Problem]:
    """The projectadministratie cannot be complete up to a day that has not come yet."""
    r = region.realisatie
    if r is None or r.peildatum is None or r.peildatum <= today:
        return []
    return [Problem(r.place.path, r.place.of("peildatum"), "peildatum",
                    f"{long_date(r.peildatum)} ligt na vandaag ({long_date(today)}); de administratie kan alleen "
                    "bijgewerkt zijn tot en met een dag die voorbij is. Kies vandaag of een eerdere datum")]
