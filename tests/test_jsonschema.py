"""The exported JSON Schemas: valid draft 2020-12, accept the example, refuse what Cerberus refuses."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from gitrepo import FIXTURE_REGION, ROOT
from stodocs.jsonschema import REPORT_SCHEMAS, export_schemas, to_json_schema
from stodocs.load import load_file
from stodocs.sources import SourceFile
from stodocs.validate import SCHEMA_OF_FILE

EXAMPLE = FIXTURE_REGION


def _data(path: Path):
    """The file as an editor's YAML 1.2 parser sees it, in JSON types."""
    loaded, problems = load_file(SourceFile(path.name, path.read_bytes()))
    assert not problems

    def plain(value):
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value
    return plain(loaded.data)


def _validator(name: str):
    schema = to_json_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("file", sorted(f for f in SCHEMA_OF_FILE if (EXAMPLE / f).exists()))
def test_example_files_pass_their_exported_schema(file: str):
    errors = list(_validator(SCHEMA_OF_FILE[file]).iter_errors(_data(EXAMPLE / file)))
    assert errors == []


def test_typo_key_and_wrong_values_are_refused(tmp_path: Path):
    text = (EXAMPLE / "begroting.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "begroting.yaml"
    broken.write_text(text.replace("    prijs: 1250\n", "    pijs: 1250\n", 1), encoding="utf-8")
    messages = [e.message for e in _validator("begroting").iter_errors(_data(broken))]
    assert any("'pijs' was unexpected" in m for m in messages) and any("'prijs' is a required" in m for m in messages)
    validator = _validator("begroting")
    line = _data(EXAMPLE / "begroting.yaml")["regels"][0]
    for field, value in (("prijs", 49.955), ("prijs", "1.250,00"), ("prijs", -5), ("aantal", "2,5 uur"),
                         ("categorie", "materiaal"), ("id", "Hoofdletter")):
        assert not validator.is_valid({"regels": [dict(line, **{field: value})]}), (field, value)
    # One number rule (docs/inhoud.md): a point, or a comma between quotes, for money and counts alike.
    for field, value in (("prijs", "49,95"), ("prijs", 49.95), ("aantal", "0,5"), ("aantal", 0.5)):
        assert validator.is_valid({"regels": [dict(line, **{field: value})]}), (field, value)


def test_optional_vaststellingen_schema():
    validator = _validator("vaststellingen")
    entry = {"commit": "6d63874", "datum": "2025-03-12", "orgaan": "stuurgroep", "kenmerk": "SG-2025-03"}
    assert validator.is_valid({"vaststellingen": [entry]})
    assert not validator.is_valid({"vaststellingen": [dict(entry, datum="12-03-2025")]})


def test_descriptions_come_from_meta_uitleg():
    brin = to_json_schema("partners")["properties"]["partners"]["items"]["properties"]["brin"]
    assert brin["pattern"] == "^(?:[0-9]{2}[A-Z0-9]{2})$"
    assert brin["description"].startswith("Een BRIN-nummer is 4 tekens")


def test_export_writes_one_file_per_kind(tmp_path: Path):
    written = export_schemas(tmp_path / "json")
    assert sorted(p.name for p in written) == sorted(f"{n}.schema.json"
                                                     for n in set(SCHEMA_OF_FILE.values()) | set(REPORT_SCHEMAS))
    assert json.loads((tmp_path / "json/document.schema.json").read_text(encoding="utf-8"))["required"] == ["titel"]


def test_checked_in_schemas_are_up_to_date(tmp_path: Path):
    """schemas/json/ is committed for editors; refresh it with `python build.py schema`."""
    export_schemas(tmp_path)
    for path in sorted(tmp_path.iterdir()):
        assert (ROOT / "schemas/json" / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
