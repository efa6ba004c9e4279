"""The proposal comment on a git host: one comment, updated in place on every push (against a local fake host)."""
from __future__ import annotations

import pytest

from fakehost import FakeHost
from stodocs.diff.comment import MARKER
from stodocs.hostcomment import Host, HostError, host_from_environment, main, upsert_comment


@pytest.fixture
def fake():
    hosts = []

    def make(*args, **kwargs) -> FakeHost:
        hosts.append(FakeHost(*args, **kwargs))
        return hosts[-1]
    yield make
    for host in hosts:
        host.close()


def test_github_first_push_adds_the_comment_later_pushes_update_it(fake):
    host = fake(["Mooi voorstel!", "Eens."])
    github = Host.github(host.api, "sto/lindewaard", "7", "geheim")
    assert upsert_comment(github, f"{MARKER}\neerste versie\n") == "geplaatst"
    assert upsert_comment(github, f"{MARKER}\ntweede versie\n") == "bijgewerkt"
    assert upsert_comment(github, f"{MARKER}\nderde versie\n") == "bijgewerkt"
    ours = [c for c in host.comments if c["body"].startswith(MARKER)]
    assert ours == [{"id": 102, "body": f"{MARKER}\nderde versie\n"}]
    assert [c["body"] for c in host.comments[:2]] == ["Mooi voorstel!", "Eens."]  # other people's words untouched
    assert ("POST", "/repos/sto/lindewaard/issues/7/comments") in host.calls
    assert ("PATCH", "/repos/sto/lindewaard/issues/comments/102") in host.calls
    assert host.headers[0]["Authorization"] == "Bearer geheim"


def test_gitlab_note_is_found_on_a_later_page_and_updated_with_put(fake):
    host = fake(["a", "b", "c", f"{MARKER}\noud\n", "d"])
    gitlab = Host.gitlab(host.api, "42", "5", "glpat-x")
    assert upsert_comment(gitlab, "nieuw zonder merkteken\n") == "bijgewerkt"
    assert host.comments[3] == {"id": 103, "body": f"{MARKER}\nnieuw zonder merkteken\n"}
    assert ("PUT", "/projects/42/merge_requests/5/notes/103") in host.calls
    assert len(host.comments) == 5
    assert host.headers[0]["Private-Token"] == "glpat-x"


def test_a_refusal_says_what_to_check(fake):
    host = fake(refuse=403)
    with pytest.raises(HostError, match="HTTP 403.*schrijfrechten"):
        upsert_comment(Host.github(host.api, "sto/x", "1", "t"), "x")


def test_unreachable_host_is_a_message_not_a_traceback():
    with pytest.raises(HostError, match="niet bereikbaar"):
        upsert_comment(Host.gitlab("http://127.0.0.1:9", "1", "1", "t"), "x")


def test_the_command_reads_the_ci_variables(fake, tmp_path, monkeypatch, capsys):
    host = fake()
    body = tmp_path / "commentaar.md"
    body.write_text(f"{MARKER}\nhallo\n", encoding="utf-8")
    for name, value in {"GITHUB_API_URL": host.api, "GITHUB_REPOSITORY": "sto/x", "STODOCS_VOORSTEL": "3",
                        "GITHUB_TOKEN": "t"}.items():
        monkeypatch.setenv(name, value)
    assert main(["github", str(body)]) == 0
    assert main(["github", str(body)]) == 0
    assert capsys.readouterr().out.splitlines() == ["Commentaar bij het voorstel geplaatst.",
                                                    "Commentaar bij het voorstel bijgewerkt."]
    assert len(host.comments) == 1
    monkeypatch.delenv("STODOCS_VOORSTEL")
    assert main(["github", str(body)]) == 1
    assert "STODOCS_VOORSTEL" in capsys.readouterr().err
    assert main(["gitlab", str(tmp_path / "weg.md")]) == 2


def test_gitlab_needs_its_token():
    with pytest.raises(HostError, match="STODOCS_GITLAB_TOKEN"):
        host_from_environment("gitlab", {"CI_API_V4_URL": "x", "CI_PROJECT_ID": "1", "CI_MERGE_REQUEST_IID": "2"})
