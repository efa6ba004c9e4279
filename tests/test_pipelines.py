"""The shipped pipelines: valid against their published schemas, pinned, and played end to end with their own commands."""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from fakehost import FakeHost
from gitrepo import EXAMPLE, GIT_ENV, ROOT, TODAY, GitRepo
from stodocs.diff.comment import MARKER
from stodocs.report import GITLAB_REGION_JOB, gitlab_child_pipeline
from test_approval import record

GITHUB = ROOT / ".github" / "workflows"
WORKFLOW = GITHUB / "stodocs.yml"
GITLAB_FILES = [ROOT / ".gitlab-ci.yml", ROOT / GITLAB_REGION_JOB]


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    """Validate files against a schema that check-jsonschema ships (no network)."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True, check=False)


def test_github_workflows_pass_their_schema():
    files = sorted(GITHUB.glob("*.yml"))
    assert len(files) == 2
    result = check_jsonschema("vendor.github-workflows", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_gitlab_pipelines_pass_their_schema(tmp_path):
    child = tmp_path / "regios.yml"
    empty = tmp_path / "geen.yml"
    child.write_text(gitlab_child_pipeline(["lindewaard", "west-brabant"]), encoding="utf-8")
    empty.write_text(gitlab_child_pipeline([]), encoding="utf-8")
    result = check_jsonschema("vendor.gitlab-ci", *GITLAB_FILES, child, empty)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_can_fail(tmp_path):  # so a passing check means something
    broken = tmp_path / "stodocs.yml"
    broken.write_text(WORKFLOW.read_text("utf-8").replace("runs-on:", "runs_on:", 1), encoding="utf-8")
    assert check_jsonschema("vendor.github-workflows", broken).returncode == 1


def test_actions_are_pinned_by_commit_and_images_by_version():
    texts = {p.name: p.read_text("utf-8") for p in [*GITHUB.glob("*.yml"), *GITLAB_FILES]}
    uses = [u for text in texts.values() for u in re.findall(r"uses:\s*(.+)", text)]
    images = [i for text in texts.values() for i in re.findall(r"image:\s*(\S+)", text)]
    assert uses and images
    # a tag can be moved to other code; a commit cannot. The tag stays beside it for people (and Dependabot).
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", u) for u in uses), uses
    tags = {u.split("@")[0]: u.split("# ")[1] for u in uses}
    assert len({u for u in uses}) == len(tags)  # one commit per action, everywhere
    assert all(re.search(r":v?\d+\.\d+(\.\d+)?(-[a-z0-9]+)?$", i) for i in images), images
    child = json.loads(gitlab_child_pipeline([]))
    assert re.search(r":\d+\.\d+\.\d+$", child["geen-regio"]["image"])


def test_no_checkout_keeps_the_token_for_later_steps():
    for workflow in GITHUB.glob("*.yml"):
        for job in yaml.safe_load(workflow.read_text("utf-8"))["jobs"].values():
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, (workflow.name, step)


def test_pre_commit_hook_runs_validate_on_the_changed_files():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["entry"].endswith("build.py validate --bestanden") and hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("content/lindewaard/regio.yaml") and files.search("templates/base.html")
    assert files.search("build.py") and not files.search("docs/handleiding.md")


# --- A proposal, played with the workflow's own commands --------------------------------------------------------------

def _steps(workflow: Path = WORKFLOW) -> dict[str, dict[str, str]]:
    """Return each job's `run` scripts in order, by step id or else name, as the workflow file has them."""
    jobs = yaml.safe_load(workflow.read_text("utf-8"))["jobs"]
    return {job: {step.get("id", step.get("name")): step["run"] for step in spec["steps"] if "run" in step}
            for job, spec in jobs.items()}


INSTALL = "make install"


@pytest.fixture(scope="session")
def bare_python(tmp_path_factory) -> Path:
    """A fresh `python3 -m venv` without stodocs' packages: what `python3` is in a job with no install step."""
    folder = tmp_path_factory.mktemp("bare") / "venv"
    subprocess.run([Path(sys.base_prefix) / "bin" / "python3", "-m", "venv", "--without-pip", str(folder)],
                   check=True, env={k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"})
    return folder / "bin"


class Runner:
    """Runs workflow steps in a repository the way a runner would: bash, the job's variables, its files, and only
    the interpreters the job has. `python3` is a bare Python without stodocs' packages; `.venv/bin/python` exists
    only once the job ran its `make install` step, which here links the project's own, installed .venv."""

    def __init__(self, repo: GitRepo, tmp: Path, host: FakeHost, bare: Path):
        self.repo = repo
        self.output = tmp / "github_output"
        self.summary = tmp / "step_summary"
        epoch = int(datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=timezone.utc).timestamp())
        venv = Path(sys.prefix).resolve()
        path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and not Path(p).resolve().is_relative_to(venv)]
        self.env = dict({k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")},
                        **GIT_ENV, SOURCE_DATE_EPOCH=str(epoch), GITHUB_OUTPUT=str(self.output),
                        GITHUB_STEP_SUMMARY=str(self.summary), GITHUB_API_URL=host.api,
                        GITHUB_REPOSITORY="sto/lindewaard", GITHUB_TOKEN="t", STODOCS_VOORSTEL="7",
                        PATH=os.pathsep.join([str(bare), *path]))

    def new_job(self) -> None:
        """Start a job on a fresh runner: nothing installed yet."""
        venv = self.repo.root / ".venv"
        if venv.is_symlink():
            venv.unlink()

    def run(self, script: str, **env: str) -> subprocess.CompletedProcess:
        # `make install` makes .venv from the lock; this test's interpreter is exactly that (test_lock.py)
        link = f"ln -sfn {shlex.quote(sys.prefix)} .venv"
        script = "\n".join(link if line.strip() == INSTALL else line for line in script.split("\n"))
        result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=self.repo.root,
                                env=dict(self.env, **env), capture_output=True, text=True, check=False)
        assert "Traceback" not in result.stdout + result.stderr
        assert "ModuleNotFoundError" not in result.stdout + result.stderr, result.stderr
        return result

    def job(self, steps: dict[str, str], upto: str, **env: str) -> subprocess.CompletedProcess:
        """Run a job's steps as a runner would, on a fresh runner: its install steps, then step `upto`."""
        self.new_job()
        for name, script in steps.items():
            if name == upto:
                return self.run(script, **env)
            if script.strip() == INSTALL:
                assert self.run(script, **env).returncode == 0
        raise KeyError(upto)

    def matrix(self, steps: dict, basis: str) -> list[str]:
        self.output.write_text("", encoding="utf-8")
        done = self.job(steps["regios"], "lijst", BASIS=basis)
        assert done.returncode == 0, done.stderr
        [line] = self.output.read_text("utf-8").splitlines()
        assert line.startswith("regios=")
        return json.loads(line.removeprefix("regios="))


@pytest.fixture
def proposal(tmp_path):
    """main with two regions; branch `voorstel` changes one of them; origin/main as a checkout has it."""
    repo = GitRepo.example(tmp_path / "repo")
    repo.add_region("zuid")
    repo.commit("Twee regio's")
    repo.git("update-ref", "refs/remotes/origin/main", "main")
    repo.git("checkout", "-q", "-b", "voorstel")
    return repo


def test_a_proposal_end_to_end(proposal: GitRepo, tmp_path, bare_python):
    workflow = WORKFLOW.read_text("utf-8")
    assert "format('origin/{0}', github.base_ref)" in workflow and "github.event.before" in workflow
    steps = _steps()
    host = FakeHost(["Graag uitleg bij de zorgrobots."])
    try:
        run = Runner(proposal, tmp_path, host, bare_python)
        # main's version was approved by the stuurgroep (recorded on the proposal's branch, as the guide says)
        proposal.file("vaststellingen.yaml").write_text(
            f"vaststellingen:\n  - commit: {proposal.head}\n    datum: 2026-03-10\n    orgaan: stuurgroep\n"
            "    kenmerk: SG-2026-03 besluit 4\n    samenvatting: Vastgesteld.\n", encoding="utf-8")
        # the change: a new activity with a 3D printer, budget shifted (the casus)
        proposal.apply_case("casussen/typische-wijziging")
        proposal.commit("Zorgrobots en 3D-printer")
        assert run.matrix(steps, "origin/main") == [EXAMPLE]

        # one job per region: validate with annotations, then the redline against the target branch
        for name in ("Controleren", "Redline tegen de doeltak"):
            done = run.job(steps["regio"], name, BASIS="origin/main", REGIO=EXAMPLE)
            assert done.returncode == 0, f"{name}: {done.stderr}"
        redline = sorted(p.name for p in (proposal.root / "output" / "diffs" / EXAMPLE).iterdir() if p.is_file())  # rapportages/: test_reporting
        assert sorted(Path(n).suffix for n in redline) == [
            ".html", ".html", ".json", ".md", ".pdf", ".pdf"]  # the full and the compact redline
        assert not (proposal.root / "output" / "diffs" / "zuid").exists()
        summary = run.summary.read_text("utf-8")  # the warnings of validate, then the redline's summary
        assert summary.startswith("### stodocs: problemen") and "\n## Wijziging Techniekregio Lindewaard" in summary

        # the comment job: the Markdown summary as one comment, posted, then updated on the next push
        done = run.job(steps["commentaar"], "Samenvatting maken", BASIS="origin/main")
        assert done.returncode == 0, done.stderr
        body = (proposal.root / "output" / "commentaar.md").read_text("utf-8")
        assert body.startswith(MARKER + "\n")
        assert "## Wijziging Techniekregio Lindewaard" in body and "Zorgrobots in de praktijk" in body
        assert "regio zuid" not in body
        region_md = next((proposal.root / "output" / "diffs" / EXAMPLE).glob("*.md")).read_text("utf-8")
        assert region_md.strip() in body  # the redline's own summary, unchanged
        # the proposal's review site, kept as an artifact; the comment names its redline page
        done = run.run(steps["commentaar"]["Site van het voorstel"], BASIS="origin/main")
        assert done.returncode == 0, done.stderr
        site = proposal.root / "site"
        [redline] = (site / EXAMPLE).glob("redline-*.html")
        assert not (site / "zuid").exists() and (site / "index.html").is_file()
        body = (proposal.root / "output" / "commentaar.md").read_text("utf-8")
        assert f"`{EXAMPLE}/{redline.name}` in het artefact `site`" in body
        post = steps["commentaar"]["Commentaar plaatsen of bijwerken"]
        assert run.run(post).stdout == "Commentaar bij het voorstel geplaatst.\n"

        # a second push: the same comment, updated in place
        proposal.replace("activiteiten.yaml", "Zorgrobots in de praktijk", "Zorgrobots in de zorgpraktijk")
        proposal.commit("Naam van de activiteit")
        assert run.job(steps["commentaar"], "Samenvatting maken", BASIS="origin/main").returncode == 0
        assert run.run(post).stdout == "Commentaar bij het voorstel bijgewerkt.\n"
        ours = [c for c in host.comments if c["body"].startswith(MARKER)]
        assert len(ours) == 1 and "Zorgrobots in de zorgpraktijk" in ours[0]["body"]
        assert host.comments[0]["body"] == "Graag uitleg bij de zorgrobots."
    finally:
        host.close()


HOSTILE_FOLDERS = ["--from=HEAD", "*"]


def _hostile_proposal(proposal: GitRepo) -> None:
    """A proposal that changes one region and adds folders whose names are an option and a glob."""
    for name in HOSTILE_FOLDERS:
        folder = proposal.root / "content" / name
        folder.mkdir()
        (folder / "regio.yaml").write_text("naam: x\n", encoding="utf-8")
    proposal.replace("regio.yaml", "Saskia de Wit", "Saskia de Wit-Jansen")
    proposal.commit("Andere regiocoördinator, en twee vreemde mappen")


def _read_as_a_region(name: str, done: subprocess.CompletedProcess) -> bool:
    """Return whether stodocs read `name` as a region (its folder, refused by name), not as an option or a glob."""
    out = done.stdout + done.stderr
    return "onbekende argumenten" not in out and (f"content/{name}" in out or f"regio '{name}'" in out)


def test_github_hostile_folder_names_never_become_options_or_globs(proposal: GitRepo, tmp_path, bare_python):
    _hostile_proposal(proposal)
    steps = _steps()
    host = FakeHost()
    try:
        run = Runner(proposal, tmp_path, host, bare_python)
        # the matrix job fails and names both folders
        run.output.write_text("", encoding="utf-8")
        listed = run.job(steps["regios"], "lijst", BASIS="origin/main")
        assert listed.returncode == 1 and all(f"content/{n}: geen regio" in listed.stderr for n in HOSTILE_FOLDERS)
        # the comment is made all the same, about the real change (not "verandert niets"), and the step fails
        done = run.job(steps["commentaar"], "Samenvatting maken", BASIS="origin/main")
        assert done.returncode == 1, done.stderr
        body = (proposal.root / "output" / "commentaar.md").read_text("utf-8")
        assert "## Wijziging Techniekregio Lindewaard" in body and "verandert niets" not in body
        # a region job given such a name (by hand) reads it as a region, never as an option
        for name in HOSTILE_FOLDERS:
            for step in ("Controleren", "Redline tegen de doeltak"):
                refused = run.job(steps["regio"], step, BASIS="origin/main", REGIO=name)
                assert refused.returncode != 0 and _read_as_a_region(name, refused), refused.stderr
    finally:
        host.close()


def test_gitlab_hostile_folder_names_never_become_options_or_globs(proposal: GitRepo, tmp_path, bare_python):
    config = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text("utf-8"))
    child = yaml.safe_load((ROOT / GITLAB_REGION_JOB).read_text("utf-8"))[".stodocs-regio"]
    proposal.git("remote", "add", "origin", f"file://{proposal.root}")
    _hostile_proposal(proposal)
    host = FakeHost()
    try:
        run = Runner(proposal, tmp_path, host, bare_python)
        env = {"BASIS": "origin/main", "CI_API_V4_URL": host.api, "CI_PROJECT_ID": "42", "CI_MERGE_REQUEST_IID": "3",
               "STODOCS_GITLAB_TOKEN": "glpat-x"}
        run.new_job()
        planned = run.run(_flatten(config["regios"]["script"]), CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main")
        assert planned.returncode == 1 and "content/--from=HEAD: geen regio" in planned.stderr
        run.new_job()
        done = run.run(_flatten(config["commentaar"]["script"]), **env)
        assert done.returncode == 1 and "Commentaar bij het voorstel geplaatst." in done.stdout
        [note] = host.comments
        assert "## Wijziging Techniekregio Lindewaard" in note["body"] and "verandert niets" not in note["body"]
        for name in HOSTILE_FOLDERS:
            run.new_job()
            refused = run.run(_flatten(child["script"]), REGIO=name, BASIS="origin/main", STODOCS_VOORSTEL="3")
            assert refused.returncode != 0 and _read_as_a_region(name, refused), refused.stderr
    finally:
        host.close()


def test_a_proposal_with_errors_is_annotated_and_fails(proposal: GitRepo, tmp_path, bare_python):
    steps = _steps()
    host = FakeHost()
    try:
        run = Runner(proposal, tmp_path, host, bare_python)
        proposal.replace("regio.yaml", "penvoerder: csg-lindewaard", "penvoerder: lindewaard-college")
        proposal.commit("Verkeerde penvoerder")
        done = run.job(steps["regio"], "Controleren", REGIO=EXAMPLE)
        assert done.returncode == 1
        assert done.stdout.startswith("::error file=content/lindewaard/regio.yaml,line=5,title=stodocs%3A fout::")
        assert "| fout | `content/lindewaard/regio.yaml` | 5 |" in run.summary.read_text("utf-8")
    finally:
        host.close()


@pytest.mark.parametrize("change, expected", [
    ("content/lindewaard/regioplan.md", [EXAMPLE]),
    ("templates/base.html", [EXAMPLE, "zuid"]),
    ("docs/handleiding.md", []),
])
def test_the_matrix_holds_the_regions_a_change_touches(proposal: GitRepo, tmp_path, bare_python, change, expected):
    path = proposal.root / change
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((path.read_text("utf-8") if path.exists() else "") + "\nEen wijziging.\n", encoding="utf-8")
    proposal.commit(f"Wijzig {change}")
    host = FakeHost()
    try:
        run = Runner(proposal, tmp_path, host, bare_python)
        assert run.matrix(_steps(), "origin/main") == expected
        # a push whose old version git does not have (a force push) builds every region
        assert run.matrix(_steps(), "0" * 40) == [EXAMPLE, "zuid"]
    finally:
        host.close()


def _flatten(script) -> str:
    """Return a GitLab job's script (lists may nest, through YAML anchors) as one bash script."""
    return "\n".join(_flatten(line) if isinstance(line, list) else line for line in script)


def test_gitlab_plans_a_child_pipeline_with_a_job_per_touched_region(proposal: GitRepo, tmp_path, bare_python):
    config = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text("utf-8"))
    proposal.git("remote", "add", "origin", f"file://{proposal.root}")
    proposal.replace("begroting.yaml", "prijs: 50", "prijs: 55", region="zuid")
    proposal.commit("Ander uurtarief in zuid")
    host = FakeHost()
    try:
        run = Runner(proposal, tmp_path, host, bare_python)
        run.new_job()
        done = run.run(_flatten(config["regios"]["script"]), CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
                       CI_COMMIT_BEFORE_SHA="0" * 40)
        assert done.returncode == 0, done.stderr
    finally:
        host.close()
    assert (proposal.root / "basis.env").read_text("utf-8") == "BASIS=origin/main\n"
    child = proposal.root / "regios.yml"
    jobs = yaml.safe_load(child.read_text("utf-8"))
    assert jobs["include"] == [{"local": GITLAB_REGION_JOB}]
    assert {k: v for k, v in jobs.items() if k != "include"} == {
        "regio zuid": {"extends": ".stodocs-regio", "variables": {"REGIO": {"value": "zuid", "expand": False}}}}
    assert config["regio"]["trigger"]["include"] == [{"artifact": "regios.yml", "job": "regios"}]
    assert check_jsonschema("vendor.gitlab-ci", child).returncode == 0


def test_a_vaststelling_tag_builds_the_approved_documents_for_the_release(repo: GitRepo, tmp_path, bare_python):
    record(repo, (repo.head, "2026-03-14", "stuurgroep", "SG-2026-03", "Regioplan vastgesteld"))
    repo.commit("Vaststelling 14 maart")
    jobs = yaml.safe_load((GITHUB / "stodocs-vaststelling.yml").read_text("utf-8"))["jobs"]
    steps = _steps(GITHUB / "stodocs-vaststelling.yml")["publiceren"]
    host = FakeHost()
    try:
        run = Runner(repo, tmp_path, host, bare_python)
        run.output.write_text("", encoding="utf-8")
        done = run.job(steps, "vaststelling", GITHUB_REF_NAME="vastgesteld-lindewaard-2026-03-14")
        assert done.returncode == 0, done.stderr
        assert run.output.read_text("utf-8") == "regio=lindewaard\n"
        # the release step publishes the four plan documents, not the rapportages the same build makes
        plan = ("regioplan", "huishoudelijk-reglement", "activiteitenplan", "meerjarenbegroting")
        pdfs = sorted(p for p in (repo.root / "output" / EXAMPLE).glob("*.pdf") if p.name.startswith(plan))
        assert len(pdfs) == 4
        [release] = [s["run"] for s in jobs["publiceren"]["steps"] if "gh release" in s.get("run", "")]
        assert all(f"{name}," in release or f"{name}}}" in release for name in plan)
        cover = " ".join(PdfReader(pdfs[0]).pages[0].extract_text().split())
        assert "Vastgesteld door de stuurgroep op 14 maart 2026" in cover
        refused = run.job(steps, "vaststelling", GITHUB_REF_NAME="vastgesteld-lindewaard-2026-04-01")
        assert refused.returncode == 1 and "2026-03-14" in refused.stderr
    finally:
        host.close()


def test_gitlab_comment_job_posts_one_note_even_when_the_proposal_has_errors(proposal: GitRepo, tmp_path, bare_python):
    config = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text("utf-8"))
    script = config["commentaar"]["script"]
    host = FakeHost()
    try:
        run = Runner(proposal, tmp_path, host, bare_python)
        env = {"BASIS": "origin/main", "CI_API_V4_URL": host.api, "CI_PROJECT_ID": "42", "CI_MERGE_REQUEST_IID": "3",
               "STODOCS_GITLAB_TOKEN": "glpat-x"}
        proposal.replace("regio.yaml", "penvoerder: csg-lindewaard", "penvoerder: lindewaard-college")
        proposal.commit("Verkeerde penvoerder")
        run.new_job()
        failed = run.run(_flatten(script), **env)
        assert failed.returncode == 1 and "Commentaar bij het voorstel geplaatst." in failed.stdout
        assert "Deze versie voldoet niet aan de regels" in host.comments[0]["body"]
        proposal.replace("regio.yaml", "penvoerder: lindewaard-college", "penvoerder: csg-lindewaard")
        proposal.replace("regio.yaml", "Saskia de Wit", "Saskia de Wit-Jansen")
        proposal.commit("Penvoerder hersteld; andere regiocoördinator")
        run.new_job()
        fixed = run.run(_flatten(script), **env)
        assert fixed.returncode == 0 and "Commentaar bij het voorstel bijgewerkt." in fixed.stdout
        [note] = host.comments
        assert note["body"].startswith(MARKER) and "## Wijziging Techniekregio Lindewaard" in note["body"]
        assert ("PUT", "/projects/42/merge_requests/3/notes/100") in host.calls
    finally:
        host.close()


# --- Every job installs what it runs ------------------------------------------------------------------------------

STODOCS_CALL = re.compile(r"(\S*)\s+(?:build\.py|-m stodocs)\b")


def _job_scripts() -> list[tuple[str, str, list[str]]]:
    """Return (file, job, command lines in order) for every job of every shipped pipeline."""
    jobs = []
    for workflow in sorted(GITHUB.glob("*.yml")):
        for job, spec in yaml.safe_load(workflow.read_text("utf-8"))["jobs"].items():
            lines = [line for step in spec["steps"] if "run" in step for line in step["run"].splitlines()]
            jobs.append((workflow.name, job, lines))
    for file in GITLAB_FILES:
        for job, spec in yaml.safe_load(file.read_text("utf-8")).items():
            if isinstance(spec, dict) and "script" in spec:
                jobs.append((file.name, job, _flatten(spec["script"]).splitlines()))
    return jobs


def test_every_job_that_runs_stodocs_installs_the_lock_first_and_runs_its_venv():
    checked = 0
    for file, job, lines in _job_scripts():
        installed = False
        for line in lines:
            installed = installed or line.strip() in ("make install", "make build")
            for interpreter in STODOCS_CALL.findall(line):
                checked += 1
                assert interpreter.endswith(".venv/bin/python"), f"{file} {job}: {line.strip()!r} runs {interpreter}"
                assert installed, f"{file} {job}: {line.strip()!r} runs before `make install`"
    assert checked >= 10


def test_a_weekly_fresh_install_with_the_tests_is_scheduled():
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] and all(len(s["cron"].split()) == 5 and s["cron"].split()[4] != "*"
                                        for s in triggers["schedule"])
    [job] = [spec for spec in workflow["jobs"].values() if "schedule" in spec.get("if", "")]
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs.index("make build") < runs.index("make test")
    others = [spec for spec in workflow["jobs"].values() if spec is not job and "needs" not in spec]
    assert others and all("schedule" not in spec.get("if", "schedule") for spec in others)  # nothing else runs
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text("utf-8"))
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in gitlab["workflow"]["rules"]
    assert gitlab["installatie"]["script"] == ["make build", "make test"]
    assert gitlab["installatie"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    for name, spec in gitlab.items():
        if isinstance(spec, dict) and "script" in spec and name != "installatie" and "rules" in spec:
            # a scheduled pipeline runs no other job: excluded first, or every rule names another event or a tag
            never = spec["rules"][0] == {"if": '$CI_PIPELINE_SOURCE == "schedule"', "when": "never"}
            assert never or all(re.search(r'CI_PIPELINE_SOURCE == "(?!schedule)|CI_COMMIT_TAG =~', rule["if"])
                                for rule in spec["rules"]), name
