"""Personal data (names with hours, rates and salaries) never reaches a public output (docs/privacy.md).

Public outputs: the plan documents (PDF and HTML) and the redline of a change (PDF, HTML, the
Markdown for the pull-request comment and the JSON change set), also when the change is to the
realisatie itself.
"""
from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest
from pypdf import PdfReader

from gitrepo import EXAMPLE, TODAY, GitRepo
from stodocs.diff.comment import comment_markdown
from stodocs.diff.pipeline import compare_sources, diff_files, redlines, summary_files, summary_markdown
from stodocs.formatting import euro
from stodocs.pipeline import check, render_html
from stodocs.sources import GitRevision, Version, WorkingTree


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def personal(region) -> list[str]:
    """Every string that would be personal data in a public output: names, their ids, rates and salaries.

    A rate equal to a price in the budget (the standard EUR 50) is the plan's own figure, not personal.
    """
    r = region.realisatie
    prices = {line.prijs for line in region.begroting.lines}
    people = [m.naam for m in r.medewerkers] + [m.id for m in r.medewerkers] + [v.vervanger for v in r.verklaringen]
    rates = {p.uurtarief for p in r.jaartaken + r.verklaringen} - prices
    salaries = {j.jaarsalaris for j in r.jaartaken if j.jaarsalaris is not None}
    money = [euro(x).replace("\xa0", " ") for x in rates | salaries]
    return sorted(set(people + money) - {""})


def leaks(text: str, region) -> list[str]:
    text = text.replace("\xa0", " ")
    return [s for s in personal(region) if s in text]


def test_the_fixture_has_personal_data_to_leak(example_region):
    found = personal(example_region)
    assert "Kees de Boer" in found and "€ 61,25" in found and "€ 92.904,00" in found  # the test can fail
    assert leaks("uurtarief € 61,25 voor Kees de Boer", example_region) == ["Kees de Boer", "€ 61,25"]


def test_plan_pdfs_hold_no_personal_data(example_build):
    for key in ("regioplan", "huishoudelijk-reglement", "activiteitenplan", "meerjarenbegroting"):
        assert leaks(pdf_text(example_build.pdf(key)), example_build.region) == [], key


def test_plan_html_holds_no_personal_data(example_region):
    version = Version("1a2b3c4d5e6f", None, datetime(2026, 3, 1, tzinfo=timezone.utc), False, True)
    for rendered in render_html({EXAMPLE: example_region}, version, {EXAMPLE: "concept"}, "html"):
        assert leaks(rendered.html, example_region) == [], rendered.key


@pytest.fixture(scope="module")
def redline_files(tmp_path_factory):
    """The diff files of a change to the budget and, in the same commit, to the realisatie's hours and rates."""
    repo = GitRepo.example(tmp_path_factory.mktemp("privacy") / "repo")
    repo.commit("Regioplan Lindewaard", tag="v1")
    repo.replace("realisatie/personeel.yaml", 'uurtarief: "61,25"', 'uurtarief: "62,75"', count=2)
    repo.replace("realisatie/personeel.yaml", "jaarsalaris: \"101613,75\"", "jaarsalaris: \"104102,25\"", count=2)
    repo.replace("realisatie/personeel.yaml", "naam: Kees de Boer", "naam: Kees de Boer-Jansen")
    repo.replace("begroting.yaml", "aantal: 40\n    eenheid: leskist", "aantal: 38\n    eenheid: leskist")
    repo.commit("Minder leskisten; nieuwe tarieven")
    [compared] = compare_sources(GitRevision(repo.root, "v1"), GitRevision(repo.root, "HEAD"))
    assert not compared.changeset.empty
    files, messages = diff_files(compared)
    assert messages == ()
    return compared, files


def test_redline_holds_no_personal_data(redline_files):
    compared, files = redline_files
    assert sorted(path.rsplit(".", 1)[1] for path in files) == ["html", "html", "json", "md", "pdf", "pdf"]
    for path, data in files.items():
        text = pdf_text(data) if path.endswith(".pdf") else data.decode("utf-8")
        for region in (compared.old, compared.new):
            assert leaks(text, region) == [], path
        assert "Kees de Boer-Jansen" not in text and "62,75" not in text


def test_a_broken_realisatie_stays_out_of_the_redline(tmp_path):
    """A diff shows a broken file as text and lists every error, but never the realisatie's: personal data."""
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("Regioplan Lindewaard", tag="v1")
    repo.replace("realisatie/personeel.yaml", 'uurtarief: "61,25"', 'uurtarief: "zestig"')  # a schema error
    repo.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie")
    [compared] = compare_sources(GitRevision(repo.root, "v1"), WorkingTree(repo.root))
    cs = compared.changeset
    assert cs.files == () and cs.new_problems == ()
    assert [c.id for c in cs.changes] == ["regioplan#h-aanleiding-en-context"]
    files, _ = diff_files(compared)
    for path, data in files.items():
        text = pdf_text(data) if path.endswith(".pdf") else data.decode("utf-8")
        assert leaks(text, compared.old) == [] and "zestig" not in text and "personeel.yaml" not in text, path


def test_a_rate_above_the_real_rate_is_reported_without_salary_or_rate(folder: GitRepo):
    # ilse-brouwer-2024-2025: 88.000,00 / 1659 = 53,04 an hour; 55 is more (the realisatie-uurtarief case)
    folder.replace("realisatie/personeel.yaml", "uurtarief: 50", "uurtarief: 55", after="id: ilse-brouwer-2024-2025")
    checked = check(WorkingTree(folder.root), None, TODAY)
    [message] = [p.format() for p in checked.problems if p.field.endswith("uurtarief")]
    assert "hoger dan het werkelijke uurtarief" in message
    for figure in ("88.000", "53,04", "55,00"):
        assert figure not in message


# --- A misplaced personeel.yaml is named, never shown (issue 25) -----------------------------------------------------

MISPLACED = ["personeel.yaml", "realisatie.yaml", "Realisatie/personeel.yaml", "realisaties/personeel.yaml",
             "administratie/personeel.yaml"]


def public_texts(compared, with_pdf: bool = False) -> dict[str, str]:
    """Every public output of a comparison: the redline HTML (and PDF), the summary Markdown, the JSON, the comment."""
    if with_pdf:
        files, _ = diff_files(compared)
    else:
        files = summary_files(compared) | {f"{r.base}.html": r.html.encode("utf-8") for r in redlines(compared)}
    texts = {path: pdf_text(data) if path.endswith(".pdf") else data.decode("utf-8") for path, data in files.items()}
    texts["commentaar"] = comment_markdown([(compared.name, summary_markdown(compared))], "v1")
    return texts


@pytest.mark.parametrize("place", MISPLACED)
def test_a_misplaced_personeel_yaml_is_an_error_and_never_shown_added_or_removed(tmp_path, example_region, place):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("Regioplan Lindewaard", tag="v1")
    personeel = repo.file("realisatie/personeel.yaml").read_bytes()
    repo.file(place).parent.mkdir(exist_ok=True)
    repo.file(place).write_bytes(personeel)
    repo.commit("Per ongeluk de administratie erbij", tag="erbij")
    repo.file(place).unlink()
    repo.commit("Weer weg")
    [problem] = [p for p in check(GitRevision(repo.root, "erbij"), None, TODAY).problems
                 if p.path == f"content/{EXAMPLE}/{place}"]
    belongs = "realisatie/personeel.yaml" if place.endswith("personeel.yaml") else "realisatie/"
    assert f"hoort in content/{EXAMPLE}/{belongs}" in problem.message
    for old, new in (("v1", "erbij"), ("erbij", "HEAD")):  # the proposal that adds it, and the clean-up
        [compared] = compare_sources(GitRevision(repo.root, old), GitRevision(repo.root, new))
        [withheld] = compared.changeset.files
        assert withheld.path == f"content/{EXAMPLE}/{place}" and not withheld.shown
        for path, text in public_texts(compared, with_pdf=place == MISPLACED[0] and old == "v1").items():
            assert leaks(text, example_region) == [] and "101613,75" not in text and "jaarsalaris" not in text, path
            if not path.endswith(".pdf"):
                assert ('"shown": false' if path.endswith(".json") else "niet getoond") in text, path


@pytest.mark.parametrize("report", ["text", "github", "gitlab", "json"])
def test_a_wrongly_written_salary_or_rate_is_never_quoted_in_any_format(folder: GitRepo, report, tmp_path,
                                                                       monkeypatch):
    folder.replace("realisatie/personeel.yaml", 'jaarsalaris: "101613,75"', 'jaarsalaris: "92.904,00"')
    folder.replace("realisatie/personeel.yaml", 'uurtarief: "61,25"', 'uurtarief: "61.25 euro"')
    # a rate with a point is a number now (docs/inhoud.md), but not one with three decimals
    folder.replace("realisatie/personeel.yaml", "uurtarief: 50", "uurtarief: 50.555", after="id: ilse-brouwer-2024-2025")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    done = folder.run_cli("validate", "--format", report)
    out = done.stdout + done.stderr + (summary.read_text("utf-8") if summary.exists() else "")
    assert done.returncode == 1 and out.count("persoonsgegeven") >= 3
    for figure in ("92.904", "92904", "61.25", "61,25", "50.555", "50,555"):
        assert figure not in out, figure
    if report == "text":
        status = folder.run_cli("status", "--datum", "2026-08-15")
        assert "persoonsgegeven" in status.stdout and "92.904" not in status.stdout + status.stderr
