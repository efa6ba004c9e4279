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


def test_actions_and_images_are_pinned_by_version():
    texts = {p.name: p.read_text("utf-8") for p in [*GITHUB.glob("*.yml"), *GITLAB_FILES]}
    uses = [u for text in texts.values() for u in re.findall(r"uses:\s*(\S+)", text)]
    images = [i for text in texts.values() for i in re.findall(r"image:\s*(\S+)", text)]
    assert uses and images
    assert all(re.search(r"@v\d+\.\d+\.\d+$", u) for u in uses), uses
    assert all(re.search(r":v?\d+\.\d+(\.\d+)?(-[a-z0-9]+)?$", i) for i in images), images
    child = json.loads(gitlab_child_pipeline([]))
    assert re.search(r":\d+\.\d+\.\d+$", child["geen-regio"]["image"])


def test_pre_commit_hook_runs_validate_on_the_changed_files():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["entry"].endswith("build.py validate --bestanden") and hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("content/lindewaard/regio.yaml") and files.search("templates/base.html")
    assert files.search("build.py") and not files.search("docs/handleiding.md")


# --- A proposal, played with the workflow's own commands --------------------------------------------------------------

def _steps() -> dict[str, dict[str, str]]:
    """Return each job's `run` scripts by step name, as the workflow file has them."""
    jobs = yaml.safe_load(WORKFLOW.read_text("utf-8"))["jobs"]
    return {job: {step["name"]: step["run"] for step in spec["steps"] if "run" in step and "name" in step}
            | {step["id"]: step["run"] for step in spec["steps"] if "run" in step and "id" in step}
            for job, spec in jobs.items()}


class Runner:
    """Runs workflow steps in a repository the way a GitHub runner would: bash, the job's variables, its files."""

    def __init__(self, repo: GitRepo, tmp: Path, host: FakeHost):
        self.repo = repo
        self.output = tmp / "github_output"
        self.summary = tmp / "step_summary"
        epoch = int(datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=timezone.utc).timestamp())
        self.env = dict(os.environ, **GIT_ENV, SOURCE_DATE_EPOCH=str(epoch), GITHUB_OUTPUT=str(self.output),
                        GITHUB_STEP_SUMMARY=str(self.summary), GITHUB_API_URL=host.api,
                        GITHUB_REPOSITORY="sto/lindewaard", GITHUB_TOKEN="t", STODOCS_VOORSTEL="7")

    def run(self, script: str, **env: str) -> subprocess.CompletedProcess:
        python = shlex.quote(sys.executable)  # the interpreter `make install` put in .venv
        script = script.replace(".venv/bin/python", python).replace("python3 ", python + " ")
        result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=self.repo.root,
                                env=dict(self.env, **env), capture_output=True, text=True, check=False)
        assert "Traceback" not in result.stdout + result.stderr
        return result

    def matrix(self, steps: dict, basis: str) -> list[str]:
        self.output.write_text("", encoding="utf-8")
        done = self.run(steps["regios"]["lijst"], BASIS=basis)
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


def test_a_proposal_end_to_end(proposal: GitRepo, tmp_path):
    workflow = WORKFLOW.read_text("utf-8")
    assert "format('origin/{0}', github.base_ref)" in workflow and "github.event.before" in workflow
    steps = _steps()
    host = FakeHost(["Graag uitleg bij de zorgrobots."])
    try:
        run = Runner(proposal, tmp_path, host)
        # the change: a new activity with a 3D printer, budget shifted (the casus)
        proposal.apply_case("casussen/typische-wijziging")
        proposal.commit("Zorgrobots en 3D-printer")
        assert run.matrix(steps, "origin/main") == [EXAMPLE]

        # one job per region: validate with annotations, then the redline against the target branch
        for name in ("Controleren", "Redline tegen de doeltak"):
            done = run.run(steps["regio"][name], BASIS="origin/main", REGIO=EXAMPLE)
            assert done.returncode == 0, f"{name}: {done.stderr}"
        redline = sorted(p.name for p in (proposal.root / "output" / "diffs" / EXAMPLE).iterdir() if p.is_file())  # rapportages/: test_reporting
        assert sorted(Path(n).suffix for n in redline) == [
            ".html", ".html", ".json", ".md", ".pdf", ".pdf"]  # the full and the compact redline
        assert not (proposal.root / "output" / "diffs" / "zuid").exists()
        summary = run.summary.read_text("utf-8")  # the warnings of validate, then the redline's summary
        assert summary.startswith("### stodocs: problemen") and "\n## Wijziging Techniekregio Lindewaard" in summary

        # the comment job: the Markdown summary as one comment, posted, then updated on the next push
        done = run.run(steps["commentaar"]["Samenvatting maken"], BASIS="origin/main")
        assert done.returncode == 0, done.stderr
        body = (proposal.root / "output" / "commentaar.md").read_text("utf-8")
        assert body.startswith(MARKER + "\n")
        assert "## Wijziging Techniekregio Lindewaard" in body and "Zorgrobots in de praktijk" in body
        assert "regio zuid" not in body
        region_md = next((proposal.root / "output" / "diffs" / EXAMPLE).glob("*.md")).read_text("utf-8")
        assert region_md.strip() in body  # the redline's own summary, unchanged
        post = steps["commentaar"]["Commentaar plaatsen of bijwerken"]
        assert run.run(post).stdout == "Commentaar bij het voorstel geplaatst.\n"

        # a second push: the same comment, updated in place
        proposal.replace("activiteiten.yaml", "Zorgrobots in de praktijk", "Zorgrobots in de zorgpraktijk")
        proposal.commit("Naam van de activiteit")
        assert run.run(steps["commentaar"]["Samenvatting maken"], BASIS="origin/main").returncode == 0
        assert run.run(post).stdout == "Commentaar bij het voorstel bijgewerkt.\n"
        ours = [c for c in host.comments if c["body"].startswith(MARKER)]
        assert len(ours) == 1 and "Zorgrobots in de zorgpraktijk" in ours[0]["body"]
        assert host.comments[0]["body"] == "Graag uitleg bij de zorgrobots."
    finally:
        host.close()


def test_a_proposal_with_errors_is_annotated_and_fails(proposal: GitRepo, tmp_path):
    steps = _steps()
    host = FakeHost()
    try:
        run = Runner(proposal, tmp_path, host)
        proposal.replace("regio.yaml", "penvoerder: csg-lindewaard", "penvoerder: lindewaard-college")
        proposal.commit("Verkeerde penvoerder")
        done = run.run(steps["regio"]["Controleren"], REGIO=EXAMPLE)
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
def test_the_matrix_holds_the_regions_a_change_touches(proposal: GitRepo, tmp_path, change, expected):
    path = proposal.root / change
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((path.read_text("utf-8") if path.exists() else "") + "\nEen wijziging.\n", encoding="utf-8")
    proposal.commit(f"Wijzig {change}")
    host = FakeHost()
    try:
        run = Runner(proposal, tmp_path, host)
        assert run.matrix(_steps(), "origin/main") == expected
        # a push whose old version git does not have (a force push) builds every region
        assert run.matrix(_steps(), "0" * 40) == [EXAMPLE, "zuid"]
    finally:
        host.close()


def _flatten(script) -> str:
    """Return a GitLab job's script (lists may nest, through YAML anchors) as one bash script."""
    return "\n".join(_flatten(line) if isinstance(line, list) else line for line in script)


def test_gitlab_plans_a_child_pipeline_with_a_job_per_touched_region(proposal: GitRepo, tmp_path):
    config = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text("utf-8"))
    proposal.git("remote", "add", "origin", f"file://{proposal.root}")
    proposal.replace("begroting.yaml", "prijs: 50", "prijs: 55", region="zuid")
    proposal.commit("Ander uurtarief in zuid")
    host = FakeHost()
    try:
        run = Runner(proposal, tmp_path, host)
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
        "regio zuid": {"extends": ".stodocs-regio", "variables": {"REGIO": "zuid"}}}
    assert config["regio"]["trigger"]["include"] == [{"artifact": "regios.yml", "job": "regios"}]
    assert check_jsonschema("vendor.gitlab-ci", child).returncode == 0


def test_a_vaststelling_tag_builds_the_approved_documents_for_the_release(repo: GitRepo, tmp_path):
    record(repo, (repo.head, "2026-03-14", "stuurgroep", "SG-2026-03", "Regioplan vastgesteld"))
    repo.commit("Vaststelling 14 maart")
    jobs = yaml.safe_load((GITHUB / "stodocs-vaststelling.yml").read_text("utf-8"))["jobs"]
    [step] = [s for s in jobs["publiceren"]["steps"] if s.get("id") == "vaststelling"]
    host = FakeHost()
    try:
        run = Runner(repo, tmp_path, host)
        run.output.write_text("", encoding="utf-8")
        done = run.run(step["run"], GITHUB_REF_NAME="vastgesteld-lindewaard-2026-03-14")
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
        refused = run.run(step["run"], GITHUB_REF_NAME="vastgesteld-lindewaard-2026-04-01")
        assert refused.returncode == 1 and "2026-03-14" in refused.stderr
    finally:
        host.close()


def test_gitlab_comment_job_posts_one_note_even_when_the_proposal_has_errors(proposal: GitRepo, tmp_path):
    config = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text("utf-8"))
    script = [line for line in config["commentaar"]["script"] if line != "make install"]  # installed: this venv
    assert len(script) == len(config["commentaar"]["script"]) - 1
    host = FakeHost()
    try:
        run = Runner(proposal, tmp_path, host)
        env = {"BASIS": "origin/main", "CI_API_V4_URL": host.api, "CI_PROJECT_ID": "42", "CI_MERGE_REQUEST_IID": "3",
               "STODOCS_GITLAB_TOKEN": "glpat-x"}
        proposal.replace("regio.yaml", "penvoerder: csg-lindewaard", "penvoerder: lindewaard-college")
        proposal.commit("Verkeerde penvoerder")
        failed = run.run(_flatten(script), **env)
        assert failed.returncode == 1 and "Commentaar bij het voorstel geplaatst." in failed.stdout
        assert "Deze versie voldoet niet aan de regels" in host.comments[0]["body"]
        proposal.replace("regio.yaml", "penvoerder: lindewaard-college", "penvoerder: csg-lindewaard")
        proposal.replace("regio.yaml", "Saskia de Wit", "Saskia de Wit-Jansen")
        proposal.commit("Penvoerder hersteld; andere regiocoördinator")
        fixed = run.run(_flatten(script), **env)
        assert fixed.returncode == 0 and "Commentaar bij het voorstel bijgewerkt." in fixed.stdout
        [note] = host.comments
        assert note["body"].startswith(MARKER) and "## Wijziging Techniekregio Lindewaard" in note["body"]
        assert ("PUT", "/projects/42/merge_requests/3/notes/100") in host.calls
    finally:
        host.close()
