"""A local stand-in for a git host's comment API (GitHub issue comments, GitLab merge request notes)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PAGE = 2  # small pages, so the search has to follow the Link header


class FakeHost:
    """Comments of one proposal, served the way GitHub's and GitLab's REST APIs do (paged, with a Link header)."""

    def __init__(self, comments: list[str] | None = None, refuse: int | None = None):
        self.comments = [{"id": 100 + i, "body": body} for i, body in enumerate(comments or [])]
        self.refuse = refuse
        self.calls: list[tuple[str, str]] = []
        self.headers: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, data, link: str | None = None):
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if link:
                    self.send_header("Link", link)
                self.end_headers()
                self.wfile.write(payload)

            def _body(self) -> str:
                return json.loads(self.rfile.read(int(self.headers["Content-Length"])))["body"]

            def _record(self) -> bool:
                fake.calls.append((self.command, urlparse(self.path).path))
                fake.headers.append(dict(self.headers))
                if fake.refuse:
                    self._answer(fake.refuse, {"message": "nee"})
                return not fake.refuse

            def do_GET(self):
                if self._record():
                    page = int(parse_qs(urlparse(self.path).query).get("page", ["1"])[0])
                    items = fake.comments[(page - 1) * PAGE: page * PAGE]
                    more = len(fake.comments) > page * PAGE
                    base = f"http://127.0.0.1:{fake.port}{urlparse(self.path).path}"
                    self._answer(200, items, f'<{base}?page={page + 1}>; rel="next"' if more else None)

            def do_POST(self):
                if self._record():
                    comment = {"id": 100 + len(fake.comments), "body": self._body()}
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
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
