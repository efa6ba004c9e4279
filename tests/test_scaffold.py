"""build.py nieuwe-regio: a region folder that validates from the first minute, every open field a warning."""
from __future__ import annotations

import json

from gitrepo import GitRepo
from stodocs.load import TO_FILL_IN, to_fill_in
from stodocs.scaffold import SCAFFOLD, region_title


def test_a_new_region_validates_and_every_marked_line_is_a_warning(folder: GitRepo):
    made = folder.run_cli("nieuwe-regio", "west-brabant")
    assert made.returncode == 0, made.stderr
    region = folder.root / "content" / "west-brabant"
    assert sorted(p.name for p in region.iterdir()) == sorted(p.name for p in SCAFFOLD.iterdir())
    marked = {(f"content/west-brabant/{p.name}", n)
              for p in region.iterdir() for n, line in enumerate(p.read_text("utf-8").split("\n"), 1)
              if TO_FILL_IN in line}
    assert len(marked) > 30  # names, places, BRIN numbers, texts, amounts: everything a region must supply
    checked = folder.run_cli("validate", "west-brabant", "--format", "json")
    report = json.loads(checked.stdout)
    assert checked.returncode == 0 and report["errors"] == 0, report
    to_fill = {(p["file"], p["line"]) for p in report["problems"] if p["message"].startswith("nog invullen")}
    assert to_fill == marked
    assert all(p["severity"] == "warning" for p in report["problems"])
    assert "{{" not in "".join(p.read_text("utf-8") for p in region.iterdir())
    assert "Techniekregio West-Brabant" in (region / "regioplan.md").read_text("utf-8")
    # the example region next to it is untouched and still clean
    assert folder.run_cli("validate", "lindewaard").returncode == 0
    # warnings fail only a strict check: a region cannot slip through CI half filled in
    assert folder.run_cli("validate", "west-brabant", "--strict").returncode == 1


def test_a_filled_in_region_has_no_warnings_left(folder: GitRepo):
    folder.run_cli("nieuwe-regio", "zuid")
    region = folder.root / "content" / "zuid"
    for path in region.iterdir():
        lines = path.read_text("utf-8").split("\n")
        filled = [line.split("  # NOG INVULLEN")[0].replace("NOG INVULLEN: ", "").replace("NOG INVULLEN ", "")
                  for line in lines]
        path.write_text("\n".join(filled), encoding="utf-8")
    checked = json.loads(folder.run_cli("validate", "zuid", "--format", "json").stdout)
    assert not [p for p in checked["problems"] if p["message"].startswith("nog invullen")]


def test_a_new_region_builds_its_documents(folder: GitRepo):
    folder.run_cli("nieuwe-regio", "noord")
    built = folder.run_cli("build", "noord", "--format", "html")
    assert built.returncode == 0, built.stderr
    assert len(list((folder.root / "output" / "noord").glob("*.html"))) == 4


def test_a_bad_or_taken_name_is_refused_and_nothing_is_written(folder: GitRepo):
    taken = folder.run_cli("nieuwe-regio", "lindewaard")
    assert taken.returncode == 2 and "bestaat al" in taken.stderr
    assert not (folder.root / "content" / "lindewaard" / "huishoudelijk-reglement.md").read_text("utf-8").count(TO_FILL_IN)
    bad = folder.run_cli("nieuwe-regio", "West Brabant")
    assert bad.returncode == 2 and "kleine letters" in bad.stderr
    assert sorted(p.name for p in (folder.root / "content").iterdir()) == ["lindewaard"]


def test_marker_warnings_name_what_to_fill_in():
    found = to_fill_in("content/x/regio.yaml", "naam: x  # NOG INVULLEN: de naam\nplaats: NOG INVULLEN (plaats)\n"
                                                "a: NOG INVULLEN\nb: nog invullen, in kleine letters telt niet\n")
    assert [(p.line, p.message, p.severity) for p in found] == [
        # In a comment: the warning stays until the comment goes, so it says to remove the comment.
        (1, "nog invullen: de naam; vul de waarde vóór het commentaar in en haal daarna het commentaar "
            "'# NOG INVULLEN …' weg", "waarschuwing"),
        (2, "nog invullen: plaats; vervang 'NOG INVULLEN' en de uitleg erachter door de gegevens van uw regio",
         "waarschuwing"),
        (3, "nog invullen; vervang 'NOG INVULLEN' en de uitleg erachter door de gegevens van uw regio", "waarschuwing")]


def test_region_title():
    assert region_title("west-brabant") == "West-Brabant"
    assert region_title("twente") == "Twente"
