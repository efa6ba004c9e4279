"""build.py as a user runs it: exit codes, output lines, never a traceback."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from gitrepo import ROOT, GitRepo, user_env
from stodocs.cli import _parser, main

SUMMARY = "1 regio gecontroleerd (lindewaard): geen fouten."


def _run(folder: GitRepo, *args: str) -> subprocess.CompletedProcess:
    result = folder.run_cli(*args)  # on 2025-06-01: no deadline near
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_valid_example_prints_only_a_summary(folder: GitRepo):
    result = _run(folder, "validate")
    assert (result.returncode, result.stdout, result.stderr) == (0, SUMMARY + "\n", "")


def test_no_command_means_build(folder: GitRepo):  # issue 3: `python build.py` validates, then renders
    result = _run(folder, "--format", "html")
    assert result.returncode == 0, result.stderr
    assert len(list((folder.root / "output" / "lindewaard").glob("*.html"))) == 5  # 4 documents, 1 rapportage


def test_problems_print_as_file_line_field_message_and_exit_1(folder: GitRepo):
    folder.replace("regio.yaml", "penvoerder: csg-lindewaard", "penvoerder: lindewaard-college")
    result = _run(folder, "validate", "lindewaard")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "content/lindewaard/regio.yaml:5: penvoerder: de penvoerder moet een vmbo-partner zijn, maar "
        "'lindewaard-college' is mbo; kies het bevoegd gezag van een vmbo-school",
        "1 fout, 0 waarschuwingen.",
    ]


def test_warnings_pass_unless_strict(folder: GitRepo):
    folder.file("notities.txt").write_text("los\n", encoding="utf-8")
    warning = ("content/lindewaard/notities.txt:1: waarschuwing: wordt niet gebruikt: alleen .yaml, .md en "
               "afbeeldingen (png, jpg, svg) horen in een regiomap")
    relaxed = _run(folder, "validate")
    assert relaxed.returncode == 0 and relaxed.stderr.splitlines() == [warning]
    assert relaxed.stdout == "1 regio gecontroleerd (lindewaard): geen fouten, 1 waarschuwing.\n"
    strict = _run(folder, "validate", "--strict")
    assert strict.returncode == 1 and strict.stderr.splitlines() == [warning, "0 fouten, 1 waarschuwing."]


def test_every_region_is_checked_in_one_run(folder: GitRepo):
    folder.add_region("zuid")
    folder.file("regio.yaml", region="zuid").unlink()
    result = _run(folder, "validate")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == ("content/zuid/regio.yaml:1: bestand ontbreekt; maak het aan "
                                             "(zie docs/inhoud.md voor een voorbeeld)")


@pytest.mark.parametrize("args", [("validate", "atlantis"), ("validate", "--onbekend"), ("opruimen",)])
def test_usage_errors_exit_2(folder: GitRepo, args):
    result = _run(folder, *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip()


def test_unknown_region_names_the_available_ones(folder: GitRepo):
    assert _run(folder, "validate", "atlantis").stderr == ("fout: regio 'atlantis' bestaat niet onder content/; "
                                                         "beschikbaar: lindewaard\n")


def test_internal_error_is_a_message_not_a_traceback(monkeypatch, capsys):
    sys.path.insert(0, str(ROOT))
    import build
    import stodocs.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(stodocs.pipeline, "check", broken)
    assert build.main(["validate"]) == 2
    err = capsys.readouterr().err
    assert err == "interne fout in stodocs: RuntimeError: kapot. Meld dit aan de beheerders van stodocs.\n"


def test_usage_errors_and_help_speak_dutch(folder: GitRepo):
    typo = _run(folder, "validate", "--stict")
    assert typo.returncode == 2
    assert typo.stderr.splitlines()[-1] == "fout: onbekende argumenten: --stict; bedoelde u --strict?"
    missing = _run(folder, "diff")
    assert missing.returncode == 2 and missing.stderr.splitlines()[-1] == "fout: dit ontbreekt: --from"
    choice = _run(folder, "build", "--format", "docx")
    assert choice.stderr.splitlines()[-1] == "fout: --format: ongeldige keuze: 'docx' (kies uit 'pdf', 'html')"
    helped = _run(folder, "--help")
    assert helped.returncode == 0
    assert "gebruik: build.py" in helped.stdout and "toon deze hulp en stop" in helped.stdout
    assert "Exitcodes: 0 alles goed" in " ".join(helped.stdout.split())
    assert "usage" not in helped.stdout and "show this help" not in helped.stdout


def _parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _parsers(child)


def test_every_command_and_argument_is_described_in_dutch(tmp_path, capsys):
    parser = _parser(tmp_path, "build.py")
    for each in _parsers(parser):
        undescribed = [a.dest for a in each._actions if not a.help]
        assert undescribed == [], f"{each.prog}: no help for {undescribed}"
        assert each is parser or each.description, f"{each.prog}: no description"
        with pytest.raises(SystemExit):
            main([*each.prog.split()[1:], "--help"], tmp_path, "build.py")
        shown = capsys.readouterr().out
        english = [w for w in ("usage", "positional arguments", "options:", "optional arguments", "show this help",
                               "default:") if w in shown]
        assert english == [] and "gebruik:" in shown and "toon deze hulp en stop" in shown, each.prog



def test_a_reader_that_stops_early_is_no_internal_error(repo):
    """`build.py regios | true`: the pipe is closed before stodocs writes; it ends quietly, as `head` users expect."""
    done = subprocess.run(f"{sys.executable} build.py regios | true", shell=True, cwd=repo.root, capture_output=True,
                          text=True, env=user_env())
    assert done.returncode == 0 and done.stderr == ""


# --- Private never inside public, and no command writes among the sources (issue 25) --------------------------------

@pytest.mark.parametrize("args", [
    ["build", "--administratie", "output"],
    ["build", "--administratie", "output/verklaringen"],
    ["build", "--output", "uit", "--administratie", "uit"],
    ["build", "--administratie", "content/lindewaard/realisatie"],
    ["build", "--administratie", "/"],
    ["build", "--administratie", "."],
    ["build", "--administratie", ".git/verklaringen"],
    ["g2", "2025", "--output", "content/lindewaard"],
    ["g2", "2025", "--output", "."],
    ["rapportage", "2026", "--output", "content/lindewaard"],
    ["rapportage", "2026", "--output", "."],
    ["diff", "--from", "HEAD", "--commentaar", "content/lindewaard/regioplan.md"],
    ["diff", "--from", "HEAD", "--alleen-commentaar", "--commentaar", "build.py"],
    ["diff", "--from", "HEAD", "--alleen-commentaar", "--commentaar", ".git/config"],
], ids=lambda args: " ".join(args))
def test_a_private_or_output_folder_among_the_sources_or_in_public_is_refused(repo, args):
    before = {path: path.read_bytes() for path in (repo.root / "content").rglob("*") if path.is_file()}
    config = (repo.root / ".git" / "config").read_bytes()
    done = repo.run_cli(*args)
    assert done.returncode == 2 and done.stderr.startswith("fout: "), done.stderr
    assert {path: path.read_bytes() for path in (repo.root / "content").rglob("*") if path.is_file()} == before
    assert (repo.root / ".git" / "config").read_bytes() == config
    assert not (repo.root / "output").exists() and not (repo.root / "uit").exists()


@pytest.mark.parametrize("args", [
    ["validate", "--format", "json", "--realisatie", "bestaat-niet"],
    ["validate", "--format=json", "--onbekend"],
    ["validate", "--format", "gitlab", "--realisatie", "bestaat-niet"],
    ["validate", "--format", "gitlab", "--onbekend"],
    ["diff", "--format", "json"],
    ["regios", "--format", "json", "--gewijzigd-sinds"],
], ids=lambda args: " ".join(args))
def test_a_usage_error_in_a_machine_format_still_writes_valid_json(folder: GitRepo, args):
    done = folder.run_cli(*args)
    assert done.returncode == 2 and done.stderr.count("fout: ") == 1
    data = json.loads(done.stdout)
    if "gitlab" in " ".join(args):
        assert data == []
    else:
        assert data["problems"] == [] and data["usage_error"]
