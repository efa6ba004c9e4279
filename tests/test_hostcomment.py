"""The proposal comment on a git host: one comment, updated in place on every push (against a local fake host)."""
from __future__ import annotations

import pytest

from fakehost import SOMEONE, FakeHost
from stodocs.diff.comment import MARKER
from stodocs.hostcomment import MAX_PAGES, Host, HostError, host_from_environment, main, upsert_comment


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
    ours = [(c["id"], c["body"]) for c in host.comments if c["body"].startswith(MARKER)]
    assert ours == [(102, f"{MARKER}\nderde versie\n")]
    assert [c["body"] for c in host.comments[:2]] == ["Mooi voorstel!", "Eens."]  # other people's words untouched
    assert ("POST", "/repos/sto/lindewaard/issues/7/comments") in host.calls
    assert ("PATCH", "/repos/sto/lindewaard/issues/comments/102") in host.calls
    assert host.headers[0]["Authorization"] == "Bearer geheim"


def test_gitlab_note_is_found_on_a_later_page_and_updated_with_put(fake):
    host = fake(["a", "b", "c", f"{MARKER}\noud\n", "d"])
    gitlab = Host.gitlab(host.api, "42", "5", "glpat-x")
    assert upsert_comment(gitlab, "nieuw zonder merkteken\n") == "bijgewerkt"
    assert (host.comments[3]["id"], host.comments[3]["body"]) == (103, f"{MARKER}\nnieuw zonder merkteken\n")
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


# --- Hostile or broken hosts (issue 25): the comment is never hijacked, the token never leaves the host -------------

@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_someone_elses_comment_with_the_marker_is_left_alone(fake, kind):
    host = fake([(f"{MARKER}\nnep, van iemand anders\n", SOMEONE), "Eens."])
    make = Host.github if kind == "github" else Host.gitlab
    assert upsert_comment(make(host.api, "sto/x", "1", "t"), f"{MARKER}\necht\n") == "geplaatst"
    assert host.comments[0]["body"] == f"{MARKER}\nnep, van iemand anders\n"
    assert host.comments[-1]["body"] == f"{MARKER}\necht\n"
    assert not [call for call in host.calls if call[0] in ("PATCH", "PUT")]


def test_github_actions_token_that_may_not_read_user_finds_the_bots_comment(fake):
    bot = {"id": 41898282, "login": "github-actions[bot]"}
    host = fake([(f"{MARKER}\nvan de bot\n", bot), (f"{MARKER}\nnep\n", SOMEONE)], user_status=403)
    assert upsert_comment(Host.github(host.api, "sto/x", "1", "t"), f"{MARKER}\nnieuw\n") == "bijgewerkt"
    assert [c["body"] for c in host.comments] == [f"{MARKER}\nnieuw\n", f"{MARKER}\nnep\n"]


def test_a_next_page_on_another_origin_is_never_asked_for_with_the_token(fake):
    thief = fake()
    host = fake(["a"], next_link=f'<{thief.api}/steel?page=2>; rel="next"')
    with pytest.raises(HostError, match="ander adres"):
        upsert_comment(Host.github(host.api, "sto/x", "1", "geheim"), "x")
    assert thief.calls == []


def test_a_redirect_to_another_origin_is_not_followed_with_the_token(fake):
    thief = fake()
    host = fake(redirect=f"{thief.api}/steel")
    with pytest.raises(HostError, match="ander adres"):
        upsert_comment(Host.gitlab(host.api, "1", "1", "geheim"), "x")
    assert thief.calls == []


def test_a_redirect_on_the_same_origin_is_followed(fake):
    host = fake([f"{MARKER}\noud\n"])
    host.redirect = f"{host.api}/repos/sto/x/issues/1/comments?per_page=100"
    # the old repository name answers with a 302 to the new one on the same host, which is followed
    assert upsert_comment(Host.github(host.api, "sto/oud", "1", "t"), "nieuw") == "bijgewerkt"
    assert ("GET", "/repos/sto/x/issues/1/comments") in host.calls


def test_a_next_page_that_points_at_itself_stops_with_a_message(fake):
    host = fake(["a"])
    host.next_link = f'<{host.api}/repos/sto/x/issues/1/comments?per_page=100>; rel="next"'
    with pytest.raises(HostError, match="bleef naar meer pagina"):
        upsert_comment(Host.github(host.api, "sto/x", "1", "t"), "x")
    assert len([c for c in host.calls if c[0] == "GET"]) == 2  # /user and the one page, once


def test_pages_are_capped(fake):
    host = fake(["a"] * (2 * MAX_PAGES + 2))
    with pytest.raises(HostError, match=f"{MAX_PAGES} gelezen"):
        upsert_comment(Host.gitlab(host.api, "1", "1", "t"), "x")


@pytest.mark.parametrize("raw", [b"<html>502 Bad Gateway</html>", b'{"message": "ok"}', b"[1, 2]",
                                 b'[{"body": 5}]', b"\xff\xfe", b'[{"body": "' + MARKER.encode() +
                                 b'", "user": {"login": "stodocs-bot", "id": 7}, "author": {"id": 7}, "id": "x"}]'])
def test_a_malformed_reply_is_a_message_and_exit_1(fake, tmp_path, monkeypatch, capsys, raw):
    host = fake(raw=raw)
    body = tmp_path / "commentaar.md"
    body.write_text("hallo\n", encoding="utf-8")
    for name, value in {"GITHUB_API_URL": host.api, "GITHUB_REPOSITORY": "sto/x", "STODOCS_VOORSTEL": "3",
                        "GITHUB_TOKEN": "t"}.items():
        monkeypatch.setenv(name, value)
    assert main(["github", str(body)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and "Traceback" not in err


@pytest.mark.parametrize("me", [None, {"login": 5}, [], {"id": True}])
def test_a_malformed_user_is_a_message(fake, me):
    host = fake(me=me)
    with pytest.raises(HostError, match="onverwacht antwoord"):
        upsert_comment(Host.gitlab(host.api, "1", "1", "t"), "x")
