"""Post the proposal comment to the git host: one comment per proposal, found by its marker and updated in place.

Run by the shipped pipelines: `python -m stodocs.hostcomment github|gitlab BESTAND`. Only the standard library, and
only the host's documented REST API (GitHub: issue comments; GitLab: merge request notes).
"""
from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

from .diff.comment import MARKER


class HostError(Exception):
    """The git host refused or could not be reached; the message says what to check."""


@dataclass(frozen=True)
class Host:
    """Where a proposal's comments live, and how to list, add and change one."""

    list_url: str  # GET: a page of comments (JSON list of objects with "id" and "body")
    create_url: str  # POST {"body": ...}
    item_url: str  # PUT or PATCH {"body": ...}, with {id}
    update_method: str
    headers: dict[str, str]

    @classmethod
    def github(cls, api: str, repository: str, number: str, token: str) -> Host:
        base = f"{api.rstrip('/')}/repos/{repository}/issues"
        return cls(f"{base}/{number}/comments?per_page=100", f"{base}/{number}/comments", f"{base}/comments/{{id}}",
                   "PATCH", {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                             "X-GitHub-Api-Version": "2022-11-28"})

    @classmethod
    def gitlab(cls, api: str, project: str, iid: str, token: str) -> Host:
        base = f"{api.rstrip('/')}/projects/{project}/merge_requests/{iid}/notes"
        return cls(f"{base}?per_page=100&sort=asc", base, f"{base}/{{id}}", "PUT", {"PRIVATE-TOKEN": token})


def _call(host: Host, method: str, url: str, body: dict | None = None) -> tuple[object, dict]:
    data = json.dumps(body).encode("utf-8") if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={**host.headers, "Content-Type": "application/json",
                                              "User-Agent": "stodocs"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        hint = (" Heeft het token schrijfrechten op voorstellen (GitHub: permissions pull-requests: write; "
                "GitLab: een project access token met scope api)?" if exc.code in (401, 403, 404) else "")
        raise HostError(f"de git-host weigerde {method} {url.split('?')[0]}: HTTP {exc.code}.{hint}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise HostError(f"de git-host is niet bereikbaar ({url.split('?')[0]}): {exc}") from None


def _next_page(headers: dict) -> str | None:
    """Return the next page's address from a Link header (GitHub and GitLab both send one)."""
    for part in headers.get("Link", headers.get("link", "")).split(","):
        if 'rel="next"' in part:
            return part.split(";")[0].strip().strip("<>")
    return None


def find_comment(host: Host) -> int | None:
    """Return the id of the comment that starts with the marker, or None."""
    url: str | None = host.list_url
    while url:
        comments, headers = _call(host, "GET", url)
        for comment in comments or []:
            if str(comment.get("body", "")).startswith(MARKER):
                return comment["id"]
        url = _next_page(headers)
    return None


def upsert_comment(host: Host, body: str) -> str:
    """Update the proposal's stodocs comment, or add it when there is none; return what was done."""
    if not body.startswith(MARKER):
        body = f"{MARKER}\n{body}"
    found = find_comment(host)
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
