"""The reporters against their specifications: GitHub workflow commands, GitLab Code Quality, JSON."""
from __future__ import annotations

import json
import re

import jsonschema
import pytest

from markdowntext import rendered
from stodocs import report
from stodocs.problems import ERROR, WARNING, Problem

HOSTILE = Problem("content/a,b/x:y.yaml", 3, "naam", "100% fout\r\nregel twee: a,b", ERROR)


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse `::command key=value,...::message` the way the GitHub runner does, undoing its escapes."""
    match = re.fullmatch(r"::(\w+)(?: ([^:]*))?::(.*)", line)
    assert match, f"not a workflow command: {line!r}"

    def unescape(value: str, *, prop: bool) -> str:
        pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
        for code, char in pairs:
            value = value.replace(code, char)
        return value

    props = {}
    for item in filter(None, (match.group(2) or "").split(",")):
        key, _, value = item.partition("=")
        props[key] = unescape(value, prop=True)
    return match.group(1), props, unescape(match.group(3), prop=False)


def test_annotation_escapes_data_and_properties_as_the_spec_says():
    line = report.github_annotation(HOSTILE)
    assert line.endswith("\n") and "\r" not in line[:-1] and "\n" not in line[:-1]
    # A problem is one line from the start (problems.py); the escapes still cover a break in any text.
    assert line == ("::error file=content/a%2Cb/x%3Ay.yaml,line=3,title=stodocs%3A fout::"
                    "naam: 100%25 fout regel twee: a,b\n")
    assert report.escape_data("a\r\nb%") == "a%0D%0Ab%25"
    command, props, message = parse_workflow_command(line.rstrip("\n"))
    assert (command, props, message) == (
        "error", {"file": "content/a,b/x:y.yaml", "line": "3", "title": "stodocs: fout"},
        "naam: 100% fout regel twee: a,b")


@pytest.mark.parametrize("problem, props", [
    (Problem("content/x/regio.yaml", 0, "", "ontbreekt", WARNING), {"file": "content/x/regio.yaml", "line": "1"}),
    (Problem("content/x", 0, "", "geen regiomap"), {"file": "content/x"}),
])
def test_annotation_of_a_whole_file_points_at_line_1_and_a_folder_at_no_line(problem, props):
    command, parsed, _ = parse_workflow_command(report.github_annotation(problem).rstrip("\n"))
    assert command == ("warning" if problem.severity == WARNING else "error")
    assert {k: v for k, v in parsed.items() if k != "title"} == props


def test_past_ten_of_a_kind_the_rest_is_named_and_the_summary_holds_every_problem():
    problems = [Problem("content/x/begroting.yaml", n, "", f"probleem {n}") for n in range(1, 13)]
    problems += [Problem("content/x/regio.yaml", 1, "", "let op", WARNING)]
    lines = report.github(problems).splitlines()
    assert [parse_workflow_command(line)[0] for line in lines] == ["error"] * 12 + ["warning", "notice"]
    assert "2 andere" in lines[-1]
    table = report.markdown_table(problems)
    rows = [row for row in table.splitlines() if row.startswith("| fout") or row.startswith("| waarschuwing")]
    assert len(rows) == 13
    assert all(f"probleem {n} |" in table for n in range(1, 13))
    assert "12 fouten, 1 waarschuwing" in table


def test_ten_of_each_kind_need_no_notice():
    problems = [Problem("content/x/a.yaml", n, "", "f") for n in range(1, 11)]
    problems += [Problem("content/x/a.yaml", n, "", "w", WARNING) for n in range(1, 11)]
    assert "::notice" not in report.github(problems)


def test_summary_table_cells_cannot_break_the_table_or_inject_html():
    table = report.markdown_table([Problem("content/x/a.yaml", 2, "a|b", "<img src=x> één | twee\nnieuw")])
    html = rendered(table)
    assert "<img" not in html and html.count("<td>") == 5
    assert "<td>a|b</td>" in html and "<td>&lt;img src=x&gt; één | twee nieuw</td>" in html


# GitLab's Code Quality report (docs.gitlab.com/ci/testing/code_quality, "Code Quality report format"): a JSON array
# of issues, each with these fields; severity one of five words.
CODE_QUALITY_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {"type": "object", "required": ["path", "lines"],
                         "properties": {"path": {"type": "string"},
                                        "lines": {"type": "object", "required": ["begin"],
                                                  "properties": {"begin": {"type": "integer", "minimum": 1}}}}},
        },
    },
}

PROBLEMS = [
    Problem("content/x/begroting.yaml", 12, "regels[3].prijs", "-50 is negatief; een bedrag is 0 of meer",
            label="Begrotingsregel po-uren, prijs"),
    Problem("content/x/begroting.yaml", 40, "regels[7].prijs", "-50 is negatief; een bedrag is 0 of meer",
            label="Begrotingsregel po-materiaal, prijs"),
    Problem("content/x/partners.yaml", 46, "partners[6].id",
            "id 'obs' is al gebruikt voor een andere partner (content/x/partners.yaml:39); kies een uniek id"),
    Problem("content/x/load.yaml", 5, "", "sleutel 'naam' staat hier voor de tweede keer (eerst op regel 2)"),
    Problem("content/x/regio.yaml", 0, "", "ontbreekt", WARNING),
]


def test_code_quality_report_follows_the_format():
    issues = json.loads(report.gitlab(PROBLEMS))
    jsonschema.validate(issues, CODE_QUALITY_SCHEMA)
    assert [i["severity"] for i in issues] == ["major"] * 4 + ["minor"]
    assert issues[0]["location"] == {"path": "content/x/begroting.yaml", "lines": {"begin": 12}}
    assert issues[4]["location"]["lines"]["begin"] == 1
    assert issues[0]["description"] == "Begrotingsregel po-uren, prijs: -50 is negatief; een bedrag is 0 of meer"
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # GitLab shows one issue per fingerprint
    assert json.loads(report.gitlab([])) == []


def _shifted(problem: Problem, by: int) -> Problem:
    """The same problem after `by` lines (and items) were added above it."""
    def bump(text: str) -> str:
        text = re.sub(r"(?<=regel )\d+", lambda m: str(int(m.group()) + by), text)
        text = re.sub(r"(?<=\.yaml:)\d+", lambda m: str(int(m.group()) + by), text)
        return re.sub(r"(?<=\[)\d+(?=\])", lambda m: str(int(m.group()) + 1), text)
    return Problem(problem.path, problem.line + by if problem.line else 0, bump(problem.field),
                   bump(problem.message), problem.severity)


def test_fingerprints_stay_the_same_across_runs_and_line_shifts():
    first = report.fingerprints(PROBLEMS)
    assert report.fingerprints(list(PROBLEMS)) == first
    assert report.fingerprints([_shifted(p, 7) for p in PROBLEMS]) == first
    assert report.fingerprints(list(reversed(PROBLEMS))) == list(reversed(first))  # order of the list is no matter


def test_fingerprints_change_when_the_problem_does():
    [before] = report.fingerprints(PROBLEMS[:1])
    other_file = Problem("content/y/begroting.yaml", 12, "regels[3].prijs", PROBLEMS[0].message)
    other_message = Problem(PROBLEMS[0].path, 12, "regels[3].prijs", "-60 is negatief; een bedrag is 0 of meer")
    assert report.fingerprints([other_file]) != [before]
    assert report.fingerprints([other_message]) != [before]


def test_json_has_file_line_field_severity_and_message():
    data = json.loads(report.as_json(PROBLEMS[:1] + PROBLEMS[-1:], regions=["x"]))
    assert data == {
        "problems": [
            {"file": "content/x/begroting.yaml", "line": 12, "field": "regels[3].prijs",
             "label": "Begrotingsregel po-uren, prijs", "severity": "error",
             "message": "-50 is negatief; een bedrag is 0 of meer"},
            {"file": "content/x/regio.yaml", "line": 0, "field": "", "label": "", "severity": "warning",
             "message": "ontbreekt"},
        ],
        "errors": 1, "warnings": 1, "regions": ["x"]}


def test_text_is_the_familiar_lines():
    assert report.text(PROBLEMS[:1]) == ("content/x/begroting.yaml:12: Begrotingsregel po-uren, prijs: -50 is "
                                         "negatief; een bedrag is 0 of meer\n")


def test_a_path_with_list_positions_is_never_shown_to_people():
    problem = Problem("content/x/begroting.yaml", 12, "regels[3].prijs", "-50 is negatief")
    assert report.text([problem]) == "content/x/begroting.yaml:12: -50 is negatief\n"
    assert json.loads(report.as_json([problem]))["problems"][0]["field"] == "regels[3].prijs"


def test_a_problem_in_an_old_version_is_placed_in_its_text_not_on_a_file_of_the_proposal():
    old = Problem("origin/main:content/x/regio.yaml", 5, "penvoerder", "moet vmbo zijn")
    command, props, message = parse_workflow_command(report.github_annotation(old).rstrip("\n"))
    assert "file" not in props and "line" not in props
    assert message == "origin/main:content/x/regio.yaml:5: penvoerder: moet vmbo zijn"
    [issue] = json.loads(report.gitlab([old]))
    assert issue["location"] == {"path": "content/x/regio.yaml", "lines": {"begin": 5}}
    assert issue["description"].startswith("in versie origin/main: ")
    assert report.split_revision("content/x/a:b.yaml") == (None, "content/x/a:b.yaml")
