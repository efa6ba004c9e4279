"""Vaststelling: which version is approved, the checks on vaststellingen.yaml, and `build.py log`."""
from __future__ import annotations

import re

from gitrepo import GitRepo
from stodocs.approval import find_approval, resolve_commit, status_text
from stodocs.pipeline import check
from stodocs.sources import GitRevision, WorkingTree


def record(repo: GitRepo, *entries) -> None:
    lines = ["vaststellingen:"]
    for commit_hash, datum, orgaan, kenmerk, samenvatting in entries:
        lines += [f"  - commit: {commit_hash}", f"    datum: {datum}", f"    orgaan: {orgaan}",
                  f"    kenmerk: {kenmerk}", f"    samenvatting: {samenvatting}"]
    repo.file("vaststellingen.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def approval_of(repo: GitRepo, source):
    checked = check(WorkingTree(repo.root), ["lindewaard"])
    assert checked.ok, [p.format() for p in checked.problems]
    return find_approval(repo.root, "lindewaard", checked.regions["lindewaard"].vaststellingen, source)


def test_recording_a_decision_approves_that_content_and_nothing_else(repo: GitRepo):
    base = repo.head
    record(repo, (base[:8], "2026-03-14", "stuurgroep", "SG-2026-03 besluit 4", "Regioplan vastgesteld"))
    recorded = repo.commit("Vaststelling stuurgroep 14 maart 2026 vastgelegd")

    # The commit that records the decision has the approved content: it is approved too.
    for source in (WorkingTree(repo.root), GitRevision(repo.root, recorded), GitRevision(repo.root, base)):
        found = approval_of(repo, source)
        assert found is not None and found.commit == base
        assert found.status_text == "Vastgesteld door de stuurgroep op 14 maart 2026"

    # An uncommitted edit makes the working tree a concept; so does a later commit.
    repo.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie")
    assert approval_of(repo, WorkingTree(repo.root)) is None
    later = repo.commit("Tekst regioplan aangescherpt")
    assert approval_of(repo, GitRevision(repo.root, later)) is None
    assert approval_of(repo, GitRevision(repo.root, base)) is not None


def test_latest_decision_on_the_same_content_wins(repo: GitRepo):
    base = repo.head
    record(repo, (base, "2026-03-14", "stuurgroep", "SG-2026-03", "Vastgesteld"),
           (base, "2026-04-02", "bestuurlijk-overleg", "BO-2026-02", "Bekrachtigd"))
    repo.commit("Vaststellingen vastgelegd")
    found = approval_of(repo, WorkingTree(repo.root))
    assert found.status_text == "Vastgesteld door het bestuurlijk overleg op 2 april 2026"


def test_unknown_commit_is_a_problem_at_its_line(repo: GitRepo):
    record(repo, ("deadbeefdeadbeef", "2026-03-14", "stuurgroep", "SG-2026-03", "Vastgesteld"))
    checked = check(WorkingTree(repo.root), ["lindewaard"])
    messages = [p.format() for p in checked.problems]
    assert any(m.startswith("content/lindewaard/vaststellingen.yaml:2: Vaststelling SG-2026-03, commit: "
                            "commit 'deadbeefdeadbeef' bestaat niet")
               for m in messages), messages
    assert not checked.ok
    result = repo.run_cli("validate")
    assert result.returncode == 1 and "vaststellingen.yaml:2" in result.stderr


def test_status_text_names_the_body_in_dutch(repo: GitRepo):
    base = repo.head
    record(repo, (base, "2026-10-01", "penvoerder", "PV-12", "Vastgesteld"))
    checked = check(WorkingTree(repo.root), ["lindewaard"])
    assert status_text(checked.regions["lindewaard"].vaststellingen[0]) == "Vastgesteld door de penvoerder op 1 oktober 2026"


def test_log_lists_every_approved_version_with_what_changed(repo: GitRepo):
    base = repo.head
    repo.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie")
    second = repo.commit("Tekst regioplan aangescherpt", date="2026-05-01T10:00:00+02:00")
    record(repo, (base[:12], "2026-03-14", "stuurgroep", "SG-2026-03 besluit 4", "Regioplan vastgesteld"),
           (second, "2026-06-10", "stuurgroep", "SG-2026-06 besluit 2", "Tekstwijziging regioplan"))
    repo.commit("Vaststellingen vastgelegd")
    result = repo.run_cli("log")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Techniekregio Lindewaard (lindewaard): 2 vastgestelde versie(s)" in out
    first_at, second_at = out.index("14 maart 2026"), out.index("10 juni 2026")
    assert first_at < second_at
    assert f"SG-2026-03 besluit 4 · {base[:10]}" in out and f"SG-2026-06 besluit 2 · {second[:10]}" in out
    assert "Tekst regioplan aangescherpt" in out[second_at:]


def test_log_of_unknown_region_is_a_usage_error(repo: GitRepo):
    result = repo.run_cli("log", "nergensland")
    assert result.returncode == 2 and "regio 'nergensland' bestaat niet" in result.stderr


def test_build_from_an_approved_commit_says_vastgesteld_and_lists_the_history(repo: GitRepo, tmp_path):
    base = repo.head
    record(repo, (base[:8], "2026-03-14", "stuurgroep", "SG-2026-03 besluit 4", "Regioplan vastgesteld"))
    repo.commit("Vaststelling stuurgroep 14 maart 2026 vastgelegd")
    result = repo.run_cli("build", "--format", "html", "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    [regioplan] = (tmp_path / "out" / "lindewaard").glob("regioplan-*.html")
    html = regioplan.read_text(encoding="utf-8")
    assert "Vastgesteld door de stuurgroep op 14 maart 2026" in html
    assert "Bijlage: Wijzigingshistorie" in html and "SG-2026-03 besluit 4" in html
    [begroting] = (tmp_path / "out" / "lindewaard").glob("meerjarenbegroting-*.html")
    assert "Vastgesteld door de stuurgroep op 14 maart 2026" in begroting.read_text(encoding="utf-8")

    # One more edit, committed: the documents are a concept again.
    repo.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie")
    repo.commit("Tekst regioplan aangescherpt")
    result = repo.run_cli("build", "--format", "html", "--output", str(tmp_path / "out2"))
    assert result.returncode == 0, result.stderr
    [regioplan] = (tmp_path / "out2" / "lindewaard").glob("regioplan-*.html")
    html = regioplan.read_text(encoding="utf-8")
    assert "Vastgesteld door" not in html.split("Bijlage: Wijzigingshistorie")[0]
    assert "concept" in html


def test_a_tag_named_like_a_recorded_hash_approves_nothing(repo: GitRepo):
    """git rev-parse prefers a ref over an abbreviated hash: a tag `<short hash>` must not move an approval."""
    base = repo.head
    record(repo, (base[:8], "2026-03-14", "stuurgroep", "SG-2026-03", "Vastgesteld"))
    repo.commit("Vaststelling vastgelegd")
    repo.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie")
    changed = repo.commit("Tekst stilletjes gewijzigd")
    repo.git("tag", base[:8], changed)
    repo.git("branch", base[:10], changed)
    assert approval_of(repo, WorkingTree(repo.root)) is None
    assert approval_of(repo, GitRevision(repo.root, changed)) is None
    assert approval_of(repo, GitRevision(repo.root, base)).commit == base
    result = repo.run_cli("build", "--format", "html", "--output", str(repo.root / "out"))
    assert result.returncode == 0, result.stderr
    [regioplan] = (repo.root / "out" / "lindewaard").glob("regioplan-*.html")
    assert "Vastgesteld door" not in regioplan.read_text(encoding="utf-8").split("Bijlage: Wijzigingshistorie")[0]


def test_a_prefix_that_names_no_commit_is_refused(repo: GitRepo):
    tree = repo.git("rev-parse", "HEAD^{tree}")  # an object, but not a commit
    assert resolve_commit(repo.root, tree[:10])[0] is None
    assert "bestaat niet" in resolve_commit(repo.root, tree[:10])[1]
    assert resolve_commit(repo.root, "HEAD")[0] is None  # a ref is never a recorded commit
    assert resolve_commit(repo.root, repo.head[:7]) == (repo.head, None)
    assert resolve_commit(repo.root, repo.head) == (repo.head, None)


def test_a_hash_of_digits_only_is_read_as_a_hash(repo: GitRepo):
    """`commit: 1234567` unquoted is a number to YAML; it is still the hash the user typed."""
    day = 1
    while not re.match(r"^[1-9][0-9]{6}", repo.head):  # about one commit in 30 starts with seven digits
        day += 1
        repo.git("commit", "-q", "--amend", "--no-edit", date=f"2026-03-01T10:{day // 60:02d}:{day % 60:02d}+00:00")
    base = repo.head
    record(repo, (base[:7], "2026-03-14", "stuurgroep", "SG-2026-03", "Vastgesteld"))
    checked = check(WorkingTree(repo.root), ["lindewaard"])
    assert checked.ok, [p.format() for p in checked.problems]
    assert checked.regions["lindewaard"].vaststellingen[0].commit == base[:7]
    assert approval_of(repo, WorkingTree(repo.root)).commit == base


def test_an_ambiguous_prefix_names_its_candidates(repo: GitRepo, monkeypatch):
    """Two commits starting with the same seven characters cannot be made in a test; git's answer is given."""
    import subprocess

    from stodocs import sources
    candidates = ["abcdef1" + "0" * 33, "abcdef1" + "1" * 33, "abcdef1" + "2" * 33]
    monkeypatch.setattr(sources, "run_git", lambda root, *args, **kw: subprocess.CompletedProcess(
        args, 0, "\n".join(candidates) + "\n", ""))
    monkeypatch.setattr(sources, "object_type", lambda root, oid: "tree" if oid.endswith("2") else "commit")
    full, reason = resolve_commit(repo.root, "abcdef1")
    assert full is None
    assert reason == ("commit 'abcdef1' is niet eenduidig: 2 commits beginnen zo (abcdef100000, abcdef111111); "
                      "schrijf de hele hash van 40 tekens")
