"""Check a region: schemas per file, then the rules that span documents. Every finding is a Problem."""
from __future__ import annotations

import re
import warnings
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import cerberus
from cerberus import errors as E

from . import model
from .formatting import euro, long_date
from .load import Loaded, RegionFiles, dotted, parse_yaml, suggest
from .model import Region
from .problems import WARNING, Problem

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
SCHEMA_OF_FILE = {
    "regio.yaml": "regio", "programmalijnen.yaml": "programmalijnen", "partners.yaml": "partners",
    "personen.yaml": "personen", "activiteiten.yaml": "activiteiten", "begroting.yaml": "begroting",
    "wijzigingsprocedure.yaml": "wijzigingsprocedure", "vaststellingen.yaml": "vaststellingen",
    "regioplan.md": "document", "huishoudelijk-reglement.md": "document",
    "activiteitenplan.md": "document", "meerjarenbegroting.md": "document",
}

_ID = re.compile(r"^[a-z][a-z0-9-]{0,59}$")
_MONEY_TEXT = re.compile(r"^[0-9]+([.,][0-9]{1,2})?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")

# Deadlines from the regulation (domain.md §6), for the "due soon" warning.
DEADLINES = (
    (date(2025, 4, 15), "uitgewerkt activiteitenplan en begroting 2025-2026"),
    (date(2026, 10, 1), "eerste voortgangsrapportage en uitgewerkt plan 2027-2028"),
    (date(2028, 10, 1), "tweede voortgangsrapportage"),
    (date(2028, 12, 31), "einde bestedingsperiode"),
    (date(2029, 6, 1), "eindverslag"),
)


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


# Cerberus 1.3 warns about `_validate_type_*` methods when the class is made, but its replacement
# (TypeDefinition) can only test isinstance, not a value's form; so we keep them and silence that one warning.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Methods for type testing are deprecated", category=DeprecationWarning)

    class _Validator(cerberus.Validator):
        """Cerberus with the types our content uses."""

        def _validate_type_bedrag(self, value):
            return (isinstance(value, int) and not isinstance(value, bool) and value >= 0) or \
                (isinstance(value, str) and bool(_MONEY_TEXT.match(value)))

        def _validate_type_getal(self, value):
            return isinstance(value, (int, Decimal)) and not isinstance(value, bool)

        def _validate_type_id(self, value):
            return isinstance(value, str) and bool(_ID.match(value))

        def _validate_type_datum(self, value):
            return _is_date(value)

        def _validate_type_maand(self, value):
            return _is_month(value)


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """Return the Cerberus schema `schemas/<name>.yaml`, parsed with our own loader."""
    path = SCHEMA_DIR / f"{name}.yaml"
    loaded, problems = parse_yaml(str(path), path.read_text(encoding="utf-8"))
    if problems or loaded is None:
        raise RuntimeError(f"schema {path} is broken: {problems}")
    return loaded.data


def _validator(name: str) -> _Validator:
    return _Validator(load_schema(name))


_TYPE_WORDS = {
    "string": "tekst", "integer": "een heel getal", "boolean": "true of false", "list": "een lijst (regels met '- ')",
    "dict": "een map (regels met 'sleutel: waarde')", "bedrag": "een bedrag", "getal": "een getal",
    "id": "een id", "datum": "een datum", "maand": "een maand",
}


def _type_message(expected: str, value, raw: str | None) -> str:
    shown = raw if raw is not None else value
    if expected == "bedrag":
        if isinstance(value, Decimal):
            return (f"{shown} is een kommagetal zonder aanhalingstekens; schrijf een bedrag als heel getal (7500) "
                    f"of met centen tussen aanhalingstekens (\"{str(shown).replace('.', ',')}\")")
        if isinstance(value, str) and re.match(r"^[0-9]{1,3}(\.[0-9]{3})+(,[0-9]{1,2})?$", value):
            return f"'{value}' heeft punten voor duizendtallen; schrijf het bedrag zonder scheidingstekens, bijvoorbeeld {value.replace('.', '')}"
        if isinstance(value, int) and value < 0:
            return f"{value} is negatief; een bedrag is 0 of meer"
        return (f"'{shown}' is geen bedrag; schrijf een heel getal (7500) of met centen tussen "
                "aanhalingstekens (\"49,95\"), zonder €-teken of punten voor duizendtallen")
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
        return f"verwacht tekst, maar {raw} wordt als getal of ja/nee gelezen; zet het tussen aanhalingstekens: \"{raw}\""
    return f"verwacht {_TYPE_WORDS.get(expected, expected)}, niet '{shown}'"


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


def _message(error, loaded: Loaded, schema: dict) -> str:
    path = tuple(error.document_path)
    value = error.value
    field = path[-1] if path else ""
    if error.code == E.REQUIRED_FIELD.code:
        return f"'{field}' ontbreekt; voeg een regel '{field}: ...' toe"
    if error.code == E.UNKNOWN_FIELD.code:
        siblings = _schema_at(schema, path[:-1])
        guess = suggest(str(field), siblings)
        if guess:
            return f"onbekende sleutel '{field}'; bedoelde u '{guess}'?"
        return f"onbekende sleutel '{field}'; toegestaan zijn: {', '.join(siblings)}"
    if error.code == E.BAD_TYPE.code:
        return _type_message(error.constraint, value, loaded.raw.get(path))
    if error.code == E.NOT_NULLABLE.code:
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


def check_file(name: str, loaded: Loaded) -> list[Problem]:
    """Check one loaded file against its schema."""
    schema_name = SCHEMA_OF_FILE[name]
    schema = load_schema(schema_name)
    data = loaded.data
    if not isinstance(data, dict):
        return [Problem(loaded.path, loaded.line(()), "",
                        "het bestand moet een map met sleutels zijn ('sleutel: waarde'), geen losse tekst of lijst")]
    validator = _validator(schema_name)
    validator.validate(data)
    problems = []
    for error in _leaf_errors(validator._errors):
        path = tuple(error.document_path)
        line = loaded.line(path)
        problems.append(Problem(loaded.path, line, dotted(path), _message(error, loaded, schema)))
    return problems


def check_schemas(files: RegionFiles) -> list[Problem]:
    """Check every loaded file of a region against its schema."""
    problems = []
    for name, loaded in sorted(files.files.items()):
        problems += check_file(name, loaded)
    return problems


# --- cross-document rules ----------------------------------------------------------------

def _unique(region: Region, things, what: str) -> list[Problem]:
    seen: dict[str, model.Place] = {}
    problems = []
    for thing in things:
        if thing.id in seen:
            first = seen[thing.id]
            problems.append(Problem(thing.place.path, thing.place.line, "id",
                                    f"id '{thing.id}' is al gebruikt voor een andere {what} "
                                    f"({first.path}:{first.line}); kies een uniek id"))
        else:
            seen[thing.id] = thing.place
    return problems


def _ref(place: model.Place, field: str, value: str, known, what: str, file: str) -> list[Problem]:
    if not value or value in known:
        return []
    guess = suggest(value, known)
    hint = f"bedoelde u '{guess}'?" if guess else f"voeg die {what} toe aan {file} of verwijs naar een bestaande"
    return [Problem(place.path, place.line, field, f"verwijst naar {what} '{value}', maar die bestaat niet; {hint}")]


def check_references(region: Region) -> list[Problem]:
    """Ids are unique and every reference resolves."""
    problems = []
    problems += _unique(region, region.programmalijnen, "programmalijn")
    problems += _unique(region, region.doelstellingen, "doelstelling")
    problems += _unique(region, region.partners, "partner")
    problems += _unique(region, region.personen, "persoon")
    problems += _unique(region, region.activiteiten, "activiteit")
    problems += _unique(region, region.begroting.lines, "begrotingsregel")
    partners, persons = region.partners_by_id, region.personen_by_id
    doelen, activities = region.doelstellingen_by_id, region.activiteiten_by_id
    problems += _ref(region.place, "penvoerder", region.penvoerder, partners, "partner", "partners.yaml")
    penvoerder = partners.get(region.penvoerder)
    if penvoerder is not None and penvoerder.soort != "vmbo":
        problems.append(Problem(region.place.path, region.place.line, "penvoerder",
                                f"de penvoerder moet een vmbo-partner zijn, maar '{penvoerder.id}' is {penvoerder.soort}; "
                                "kies het bevoegd gezag van een vmbo-school"))
    for person in region.personen:
        problems += _ref(person.place, "partner", person.partner, partners, "partner", "partners.yaml")
    for activity in region.activiteiten:
        problems += _ref(activity.place, "doelstelling", activity.doelstelling, doelen, "doelstelling", "programmalijnen.yaml")
        problems += _ref(activity.place, "trekker", activity.trekker, persons, "persoon", "personen.yaml")
        for partner in activity.partners:
            problems += _ref(activity.place, "partners", partner, partners, "partner", "partners.yaml")
    for line in region.begroting.lines:
        problems += _ref(line.place, "activiteit", line.activiteit, activities, "activiteit", "activiteiten.yaml")
        problems += _ref(line.place, "cofinancier", line.cofinancier, partners, "partner", "partners.yaml")
    return problems


def check_partners(region: Region) -> list[Problem]:
    """The partner mix, school codes and role titles."""
    problems = []
    kinds = {p.soort for p in region.partners if not p.uitgetreden}
    missing = [k for k in ("vmbo", "mbo", "po", "bedrijf") if k not in kinds]
    if missing:
        problems.append(Problem(f"{region.folder}/partners.yaml", 1, "partners",
                                "een STO-regio heeft minstens één partner van elke soort vmbo, mbo, po en bedrijf; "
                                f"er ontbreekt: {', '.join(missing)}"))
    seen_brin: dict[str, model.Partner] = {}
    for p in region.partners:
        if p.soort in ("vmbo", "mbo", "po") and not p.brin:
            problems.append(Problem(p.place.path, p.place.line, "brin",
                                    f"school '{p.id}' heeft geen BRIN-nummer; voeg 'brin: ' toe"))
        if p.soort == "vmbo":
            if not p.vestiging:
                problems.append(Problem(p.place.path, p.place.line, "vestiging",
                                        f"vmbo-vestiging '{p.id}' heeft geen vestigingscode; voeg 'vestiging: \"01\"' toe"))
            if not p.profielen:
                problems.append(Problem(p.place.path, p.place.line, "profielen",
                                        f"vmbo-school '{p.id}' noemt geen profielen; voeg 'profielen: [...]' toe"))
            if not p.leerwegen:
                problems.append(Problem(p.place.path, p.place.line, "leerwegen",
                                        f"vmbo-school '{p.id}' noemt geen leerwegen; voeg 'leerwegen: [...]' toe"))
            key = p.brin + p.vestiging
            if key in seen_brin and p.brin:
                problems.append(Problem(p.place.path, p.place.line, "vestiging",
                                        f"BRIN {p.brin} met vestiging {p.vestiging} staat ook bij '{seen_brin[key].id}'; "
                                        "elke vmbo-vestiging staat één keer in de lijst"))
            seen_brin.setdefault(key, p)
        elif p.profielen or p.leerwegen:
            problems.append(Problem(p.place.path, p.place.line, "profielen",
                                    f"profielen en leerwegen horen alleen bij vmbo-scholen, niet bij '{p.id}' ({p.soort})"))
    for person in region.personen:
        expected = model.TITLE_ROLES.get(person.functie.strip().lower())
        if expected and expected != person.rol:
            problems.append(Problem(person.place.path, person.place.line, "rol",
                                    f"een {person.functie} heeft de {model.ROLES[expected].lower()} ('{expected}'), "
                                    f"niet '{person.rol}'; pas de rol of de functie aan"))
    return problems


def check_activities(region: Region) -> list[Problem]:
    """Activity planning fits the subsidy period."""
    problems = []
    for a in region.activiteiten:
        if a.start > a.eind:
            problems.append(Problem(a.place.path, a.place.line, "eind",
                                    f"eind {a.eind} ligt voor start {a.start}; draai ze om of pas ze aan"))
        if a.eind > "2028-12":
            problems.append(Problem(a.place.path, a.place.line, "eind",
                                    f"eind {a.eind} ligt na de bestedingsperiode (tot en met december 2028); "
                                    "kosten na 31 december 2028 zijn niet subsidiabel"))
        if a.start < "2025-01":
            problems.append(Problem(a.place.path, a.place.line, "start",
                                    f"start {a.start} ligt voor de subsidieperiode (vanaf januari 2025)"))
    return problems


def check_budget(region: Region) -> list[Problem]:
    """The budget rules: years, P×Q to the cent, cofinanciering, the maximum and the 10% norm."""
    problems = []
    path = f"{region.folder}/begroting.yaml"
    for line in region.begroting.lines:
        where = (line.place.path, line.place.line)
        if line.jaar not in model.YEARS:
            problems.append(Problem(*where, "jaar",
                                    f"jaar {line.jaar} valt buiten de subsidieperiode; kies 2025, 2026, 2027 of 2028 "
                                    "(kosten na 31 december 2028 zijn niet subsidiabel)"))
        if not line.whole_cents:
            problems.append(Problem(*where, "aantal",
                                    f"{line.aantal} × {euro(line.prijs)} = {line.aantal * line.prijs} euro: geen bedrag in hele centen; "
                                    "rond het aantal of de prijs af"))
        if line.aantal < 0:
            problems.append(Problem(*where, "aantal", f"aantal {line.aantal} is negatief; een kostenpost is 0 of meer"))
        if line.cofinanciering > line.totaal:
            problems.append(Problem(*where, "cofinanciering",
                                    f"cofinanciering {euro(line.cofinanciering)} is meer dan de kosten van de regel "
                                    f"({euro(line.totaal)}); verlaag de cofinanciering"))
        if line.cofinanciering and not line.cofinancier:
            problems.append(Problem(*where, "cofinancier",
                                    "er is cofinanciering maar geen cofinancier; voeg 'cofinancier: <partner-id>' toe"))
        if line.cofinancier and not line.cofinanciering:
            problems.append(Problem(*where, "cofinanciering",
                                    f"cofinancier '{line.cofinancier}' zonder bedrag; voeg 'cofinanciering: <bedrag>' toe "
                                    "of verwijder de cofinancier", severity=WARNING))
    totals = region.begroting.totals
    maximum = region.effective_maximum
    if region.soort == "techniekregio" and maximum is None:
        problems.append(Problem(region.place.path, region.place.line, "maximale_subsidie",
                                "een techniekregio moet haar maximale subsidie uit bijlage 3 van de regeling noemen; "
                                "voeg 'maximale_subsidie: <bedrag>' toe"))
    if region.soort == "techniekluw" and region.maximale_subsidie and region.maximale_subsidie > model.TECHNIEKLUW_MAXIMUM:
        problems.append(Problem(region.place.path, region.place.line, "maximale_subsidie",
                                f"een techniekluwe regio kan hoogstens {euro(model.TECHNIEKLUW_MAXIMUM)} aanvragen, "
                                f"niet {euro(region.maximale_subsidie)}"))
    if maximum is not None and totals.subsidie > maximum:
        problems.append(Problem(path, 1, "regels",
                                f"de gevraagde subsidie is {euro(totals.subsidie)}, {euro(totals.subsidie - maximum)} meer "
                                f"dan het maximum van {euro(maximum)}; verlaag kosten of verhoog de cofinanciering"))
    if maximum is not None and totals.subsidie < maximum:
        problems.append(Problem(path, 1, "regels",
                                f"{euro(maximum - totals.subsidie)} van de maximale subsidie ({euro(maximum)}) is nog niet "
                                "begroot", severity=WARNING))
    norm = region.cofinanciering_norm
    if region.cofinanciering_bedrijven < norm:
        problems.append(Problem(path, 1, "cofinanciering",
                                f"cofinanciering door bedrijven is {euro(region.cofinanciering_bedrijven)}, minder dan 10% van "
                                f"de subsidiabele kosten ({euro(norm)} van {euro(totals.totaal)}); er ontbreekt "
                                f"{euro(norm - region.cofinanciering_bedrijven)}"))
    budgeted = {l.activiteit for l in region.begroting.lines}
    for a in region.activiteiten:
        if a.id not in budgeted and a.status != "vervallen":
            problems.append(Problem(a.place.path, a.place.line, "id",
                                    f"activiteit '{a.id}' heeft geen begrotingsregels", severity=WARNING))
    return problems


def check_deadlines(region: Region, today: date) -> list[Problem]:
    """Warn when a deadline of the regulation falls within 60 days."""
    problems = []
    for deadline, what in DEADLINES:
        if today <= deadline <= today + timedelta(days=60):
            problems.append(Problem(region.place.path, 0, "",
                                    f"uiterlijk {long_date(deadline)}: {what} ({(deadline - today).days} dagen)",
                                    severity=WARNING))
    return problems


def check_region(region: Region, today: date | None = None) -> list[Problem]:
    """Run every cross-document rule on a built region."""
    problems = check_references(region) + check_partners(region) + check_activities(region) + check_budget(region)
    if today is not None:
        problems += check_deadlines(region, today)
    return problems
