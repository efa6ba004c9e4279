"""Turn our Cerberus schemas into JSON Schema (draft 2020-12), so editors check while the user types.

The Cerberus schemas stay the source of truth; this covers the rules they use. Anything the
converter does not know is an error here, not a silently weaker schema.
"""
from __future__ import annotations

import json
from pathlib import Path

from .formatting import capital
from .validate import ID_PATTERN, MAX_COUNT, MAX_MONEY, MONEY_PATTERN, NUMBER_PATTERN, SCHEMA_OF_FILE, load_schema
from .write import Writer

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_URL = "https://stodocs.invalid/schemas/{name}.schema.json"  # an id, never fetched

_MONEY = {
    "anyOf": [{"type": "integer", "minimum": 0, "maximum": MAX_MONEY - 1},
              {"type": "number", "minimum": 0, "exclusiveMaximum": MAX_MONEY, "multipleOf": 0.01},
              {"type": "string", "pattern": MONEY_PATTERN}],
    "description": "Bedrag in euro: 7500, 49.95 of \"49,95\" (een komma tussen aanhalingstekens). "
                   "Geen €-teken, geen punten voor duizendtallen.",
}
_CUSTOM = {
    "bedrag": _MONEY,
    "getal": {"anyOf": [{"type": "number", "exclusiveMaximum": MAX_COUNT, "exclusiveMinimum": -MAX_COUNT},
                        {"type": "string", "pattern": NUMBER_PATTERN}],
              "description": "Een getal: 400, 0.5 of \"0,5\" (een komma tussen aanhalingstekens). Geen punten voor "
                             "duizendtallen."},
    "id": {"type": "string", "pattern": ID_PATTERN,
           "description": "Id: kleine letters, cijfers en streepjes, beginnend met een letter (techniekroute-po)."},
    "datum": {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
              "description": "Datum als jjjj-mm-dd, bijvoorbeeld 2026-03-14."},
    "maand": {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$",
              "description": "Maand als jjjj-mm, bijvoorbeeld 2026-09."},
}
_PLAIN = {"string": "string", "integer": "integer", "boolean": "boolean", "list": "array", "dict": "object"}
_KNOWN_RULES = {"type", "required", "empty", "allowed", "regex", "minlength", "min", "schema", "meta", "keysrules",
                "valuesrules"}

FILE_OF_SCHEMA = {
    "regio": "regio.yaml", "programmalijnen": "programmalijnen.yaml", "partners": "partners.yaml",
    "personen": "personen.yaml", "activiteiten": "activiteiten.yaml", "begroting": "begroting.yaml",
    "wijzigingsprocedure": "wijzigingsprocedure.yaml", "vaststellingen": "vaststellingen.yaml",
    "document": "de front matter (tussen ---) van regioplan.md, huishoudelijk-reglement.md, "
                "activiteitenplan.md en meerjarenbegroting.md",
    **{"realisatie-" + name: f"realisatie/{name}.yaml" for name in (
        "personeel", "afschrijvingen", "kosten", "cofinanciering", "subsidie", "verantwoording")},
    "rapportage": "de front matter (tussen ---) van rapportages/<jaar>/rapportage.md",
    "voortgang": "de front matter (tussen ---) van rapportages/<jaar>/<activiteit>.md",
    "vaststelling": "rapportages/vaststelling.yaml", "indieningen": "rapportages/indieningen.yaml",
}
# The rapportages' schemas (reports.py reads those files, not validate.py's table of files).
REPORT_SCHEMAS = ("rapportage", "voortgang", "vaststelling", "indieningen")


def _object(fields: dict) -> dict:
    out = {
        "type": "object",
        "properties": {key: _field(rules) for key, rules in fields.items()},
        "additionalProperties": False,
    }
    required = [key for key, rules in fields.items() if rules.get("required")]
    if required:
        out["required"] = required
    return out


def _field(rules: dict) -> dict:
    unknown = set(rules) - _KNOWN_RULES
    if unknown:
        raise ValueError(f"no JSON Schema for Cerberus rule(s) {sorted(unknown)}")
    kind = rules.get("type")
    out: dict = dict(_CUSTOM[kind]) if kind in _CUSTOM else ({"type": _PLAIN[kind]} if kind else {})
    if kind == "list" and "schema" in rules:
        out["items"] = _field(rules["schema"])
    elif kind == "dict" and "schema" in rules:
        out.update(_object(rules["schema"]))
    if "keysrules" in rules:
        out["propertyNames"] = _field(rules["keysrules"])
    if "valuesrules" in rules:
        out["additionalProperties"] = _field(rules["valuesrules"])
    if "allowed" in rules:
        out["enum"] = list(rules["allowed"])
    if "regex" in rules:
        out["pattern"] = f"^(?:{rules['regex']})$"
    if rules.get("empty") is False:
        out["minItems" if kind == "list" else "minLength"] = 1
    if "minlength" in rules:
        out["minItems"] = rules["minlength"]
    if "min" in rules:
        out["minimum"] = rules["min"]
    uitleg = rules.get("meta", {}).get("uitleg")
    if uitleg:
        out["description"] = capital(uitleg) + "."
    return out


def to_json_schema(name: str) -> dict:
    """Return the JSON Schema of the Cerberus schema `schemas/<name>.yaml`."""
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_URL.format(name=name),
        "title": f"stodocs: {FILE_OF_SCHEMA[name]}",
        "description": f"Schema voor {FILE_OF_SCHEMA[name]} van een STO-regio. Zie docs/inhoud.md.",
        **_object(load_schema(name)),
    }


def export_schemas(target: Path) -> list[Path]:
    """Write one `<name>.schema.json` per content file kind into `target`, atomically; return the paths."""
    writer = Writer(target)
    with writer.together():
        for name in sorted(set(SCHEMA_OF_FILE.values()) | set(REPORT_SCHEMAS)):
            text = json.dumps(to_json_schema(name), ensure_ascii=False, indent=2) + "\n"
            writer.write(f"{name}.schema.json", text.encode("utf-8"))
    return writer.written
