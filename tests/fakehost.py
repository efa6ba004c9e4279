"""A local stand-in for a git host's comment API (GitHub issue comments, GitLab merge request notes)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PAGE = 2  # small pages, so the search has to follow the Link header
ME = {"id": 7, "login": "stodocs-bot"}  # the token's own user
SOMEONE = {"id": 8, "login": "iemand"}


class FakeHost:
    """Comments of one proposal, served the way GitHub's and GitLab's REST APIs do (paged, with a Link header).

    A comment given as a string is written by the token's own user (ME); as (body, user) by that user. `user_status`
    answers GET /user with that status (GitHub's GITHUB_TOKEN gets 403); `next_link` replaces every page's Link;
    `redirect` answers every other GET of comments with a 302 to that address; `raw` answers it with those bytes.
    """

    def __init__(self, comments: list | None = None, refuse: int | None = None, user_status: int = 200,
                 next_link: str | None = None, redirect: str | None = None, raw: bytes | None = None,
                 me: object = ME):
        self.comments = [{"id": 100 + i, **self._comment(c)} for i, c in enumerate(comments or [])]
        self.refuse, self.user_status, self.next_link, self.redirect, self.raw, self.me = \
            refuse, user_status, next_link, redirect, raw, me
        self.calls: list[tuple[str, str]] = []
        self.headers: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, data, link: str | None = None, payload: bytes | None = None):
                payload = json.dumps(data).encode() if payload is None else payload
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                if link:
                    self.send_header("Link", link)
                self.end_headers()
                self.wfile.write(payload)

            def _body(self) -> str:
                return json.loads(self.rfile.read(int(self.headers["Content-Length"])))["body"]

            def _record(self) -> bool:
                fake.calls.append((self.command, urlparse(self.path).path))
                fake.headers.append(dict(self.headers))
                if urlparse(self.path).path.endswith("/user"):
                    self._answer(fake.user_status, fake.me if fake.user_status == 200 else {"message": "nee"})
                    return False
                if fake.refuse:
                    self._answer(fake.refuse, {"message": "nee"})
                elif fake.redirect and self.command == "GET" and urlparse(fake.redirect).path != urlparse(self.path).path:
                    self.send_response(302)
                    self.send_header("Location", fake.redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return False
                elif fake.raw is not None:
                    self._answer(200, None, payload=fake.raw)
                    return False
                return not (fake.refuse or fake.raw is not None)

            def do_GET(self):
                if self._record():
                    page = int(parse_qs(urlparse(self.path).query).get("page", ["1"])[0])
                    items = fake.comments[(page - 1) * PAGE: page * PAGE]
                    more = len(fake.comments) > page * PAGE
                    base = f"http://127.0.0.1:{fake.port}{urlparse(self.path).path}"
                    link = f'<{base}?page={page + 1}>; rel="next"' if more else None
                    self._answer(200, items, fake.next_link or link)

            def do_POST(self):
                if self._record():
                    comment = {"id": 100 + len(fake.comments), **fake._comment(self._body())}
                    fake.comments.append(comment)
                    self._answer(201, comment)

            def _update(self):
                if self._record():
                    wanted = int(self.path.rsplit("/", 1)[1])
                    comment = next(c for c in fake.comments if c["id"] == wanted)
                    comment["body"] = self._body()
                    self._answer(200, comment)

            do_PATCH = do_PUT = _update

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @staticmethod
    def _comment(given) -> dict:
        body, user = (given, ME) if isinstance(given, str) else given
        return {"body": body, "user": dict(user), "author": dict(user)}  # GitHub says user, GitLab author

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
