"""Post the proposal comment to the git host: one comment per proposal, found by its marker and updated in place.

Run by the shipped pipelines: `python -m stodocs.hostcomment github|gitlab BESTAND`. Only the standard library, and
only the host's documented REST API (GitHub: issue comments; GitLab: merge request notes).
"""
from __future__ import annotations

import http.client
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .diff.comment import MARKER


class HostError(Exception):
    """The git host refused, could not be reached or answered nonsense; the message says what to check."""


# Pages of 100 comments: a proposal with more than 10,000 comments is not one stodocs should search to the end.
MAX_PAGES = 100
# GitHub Actions' GITHUB_TOKEN may not ask who it is (GET /user answers 403); its comments are written by this user.
GITHUB_ACTIONS_LOGIN = "github-actions[bot]"


@dataclass(frozen=True)
class Host:
    """Where a proposal's comments live, how to list, add and change one, and how to tell our own comments."""

    list_url: str  # GET: a page of comments (JSON list of objects with "id" and "body")
    create_url: str  # POST {"body": ...}
    item_url: str  # PUT or PATCH {"body": ...}, with {id}
    update_method: str
    headers: dict[str, str]
    user_url: str  # GET: the token's own user
    author_field: str  # the comment's field that holds its author ("user" on GitHub, "author" on GitLab)
    user_key: str  # what identifies a user: "login" on GitHub, "id" on GitLab

    @classmethod
    def github(cls, api: str, repository: str, number: str, token: str) -> Host:
        base = f"{api.rstrip('/')}/repos/{repository}/issues"
        return cls(f"{base}/{number}/comments?per_page=100", f"{base}/{number}/comments", f"{base}/comments/{{id}}",
                   "PATCH", {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                             "X-GitHub-Api-Version": "2022-11-28"}, f"{api.rstrip('/')}/user", "user", "login")

    @classmethod
    def gitlab(cls, api: str, project: str, iid: str, token: str) -> Host:
        base = f"{api.rstrip('/')}/projects/{project}/merge_requests/{iid}/notes"
        return cls(f"{base}?per_page=100&sort=asc", base, f"{base}/{{id}}", "PUT", {"PRIVATE-TOKEN": token},
                   f"{api.rstrip('/')}/user", "author", "id")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the origin of the request: the token never goes to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if _origin(newurl) != _origin(req.full_url):
            raise HostError(f"de git-host stuurde {req.get_method()} {_shown(req.full_url)} door naar een ander adres "
                            f"({_shown(newurl)}); stodocs stuurt het token alleen naar de git-host zelf")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SameOriginRedirects)


def _shown(url: str) -> str:
    """Return an address without its query, for a message."""
    return url.split("?")[0]


def _call(host: Host, method: str, url: str, body: dict | None = None) -> tuple[object, dict]:
    data = json.dumps(body).encode("utf-8") if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={**host.headers, "Content-Type": "application/json",
                                              "User-Agent": "stodocs"})
    try:
        with _OPENER.open(request, timeout=30) as response:
            raw, headers = response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        hint = (" Heeft het token schrijfrechten op voorstellen (GitHub: permissions pull-requests: write; "
                "GitLab: een project access token met scope api)?" if exc.code in (401, 403, 404) else "")
        raise HostError(f"de git-host weigerde {method} {_shown(url)}: HTTP {exc.code}.{hint}") from None
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
        raise HostError(f"de git-host is niet bereikbaar ({_shown(url)}): {exc}") from None
    try:
        return json.loads(raw or b"null"), headers
    except (ValueError, UnicodeDecodeError):
        raise HostError(f"de git-host gaf op {method} {_shown(url)} geen JSON terug") from None


def _next_page(headers: dict, current: str) -> str | None:
    """Return the next page's address from a Link header (GitHub and GitLab both send one), on the same origin."""
    for part in headers.get("Link", headers.get("link", "")).split(","):
        if 'rel="next"' in part:
            url = urllib.parse.urljoin(current, part.split(";")[0].strip().strip("<>"))
            if _origin(url) != _origin(current):
                raise HostError(f"de git-host wees voor de volgende pagina een ander adres aan ({_shown(url)}); "
                                "stodocs stuurt het token alleen naar de git-host zelf")
            return url
    return None


def _malformed(url: str, what: str) -> HostError:
    return HostError(f"onverwacht antwoord van de git-host op GET {_shown(url)}: {what}")


def own_user(host: Host) -> object:
    """Return what identifies the token's own user (GitHub: login; GitLab: id)."""
    try:
        user, _ = _call(host, "GET", host.user_url)
    except HostError as exc:
        if host.user_key == "login" and "HTTP 403" in str(exc):
            return GITHUB_ACTIONS_LOGIN  # GITHUB_TOKEN may not read /user; its comments are by this bot
        raise
    if not isinstance(user, dict) or not isinstance(user.get(host.user_key), (str, int)) \
            or isinstance(user.get(host.user_key), bool):
        raise _malformed(host.user_url, f"geen gebruiker met een {host.user_key}")
    return user[host.user_key]


def find_comment(host: Host, user: object) -> int | None:
    """Return the id of `user`'s comment that starts with the marker, or None; others' comments are never ours."""
    url: str | None = host.list_url
    seen: set[str] = set()
    while url:
        if url in seen or len(seen) >= MAX_PAGES:
            raise HostError(f"de git-host bleef naar meer pagina's met commentaar verwijzen ({len(seen)} gelezen, "
                            f"de laatste {_shown(url)}); stodocs zoekt niet verder")
        seen.add(url)
        comments, headers = _call(host, "GET", url)
        if not isinstance(comments, list):
            raise _malformed(url, "geen lijst met commentaren")
        for comment in comments:
            if not isinstance(comment, dict) or not isinstance(comment.get("body", ""), (str, type(None))):
                raise _malformed(url, "een commentaar zonder tekst")
            author = comment.get(host.author_field)
            if not (str(comment.get("body") or "").startswith(MARKER) and isinstance(author, dict)
                    and author.get(host.user_key) == user):
                continue
            if not isinstance(comment.get("id"), int) or isinstance(comment["id"], bool):
                raise _malformed(url, "een commentaar zonder geldig id")
            return comment["id"]
        url = _next_page(headers, url)
    return None


def upsert_comment(host: Host, body: str) -> str:
    """Update the proposal's stodocs comment, or add it when there is none; return what was done."""
    if not body.startswith(MARKER):
        body = f"{MARKER}\n{body}"
    found = find_comment(host, own_user(host))
    if found is None:
        _call(host, "POST", host.create_url, {"body": body})
        return "geplaatst"
    _call(host, host.update_method, host.item_url.format(id=found), {"body": body})
    return "bijgewerkt"


def host_from_environment(kind: str, env: dict[str, str]) -> Host:
    """Return the host of the running CI job from its standard variables (and STODOCS_* where there is none)."""
    def need(*names: str) -> list[str]:
        missing = [n for n in names if not env.get(n)]
        if missing:
            raise HostError(f"omgevingsvariabele(n) {', '.join(missing)} ontbreken; draait dit in de CI van {kind}?")
        return [env[n] for n in names]
    if kind == "github":
        return Host.github(env.get("GITHUB_API_URL", "https://api.github.com"),
                           *need("GITHUB_REPOSITORY", "STODOCS_VOORSTEL", "GITHUB_TOKEN"))
    return Host.gitlab(*need("CI_API_V4_URL", "CI_PROJECT_ID", "CI_MERGE_REQUEST_IID", "STODOCS_GITLAB_TOKEN"))


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("github", "gitlab"):
        print("gebruik: python -m stodocs.hostcomment github|gitlab BESTAND", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as source:
            body = source.read()
        done = upsert_comment(host_from_environment(argv[0], dict(os.environ)), body)
    except OSError as exc:
        print(f"fout: kan {argv[1]} niet lezen: {exc.strerror}", file=sys.stderr)
        return 2
    except HostError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    print(f"Commentaar bij het voorstel {done}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
