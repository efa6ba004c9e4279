"""HTML -> PDF bytes with WeasyPrint, behind a fetcher that serves only templates/ and the region's images.

Rendered documents live at a made-up origin: the HTML's base is `https://stodocs.invalid/regio/`, so a
region image `logo.png` is `.../regio/logo.png` (served from memory) and the stylesheet's fonts are
`/templates/fonts/...` (read from templates/). A `data:` address (inside an SVG) is decoded in memory.
Every other URL, including `file:` and anything that `..` resolves outside those two, is refused without
touching the disk or the network. What WeasyPrint logs comes back in Dutch, without the made-up origin.
"""
from __future__ import annotations

import ctypes
import logging
import mimetypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator, Mapping, Sequence
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import hyphenation
from .fonts import FONTCONFIG_FILE
from .images import KIND_OF_SUFFIX, decode_data_url
from .problems import EnvironmentFailure
from .render import TEMPLATE_DIR
from .versions import record_versions

ORIGIN = "https://stodocs.invalid"  # .invalid never resolves (RFC 2606); the fetcher never goes online anyway
REGION_BASE = f"{ORIGIN}/regio/"
TEMPLATE_PREFIX = f"{ORIGIN}/templates/"
VARIANTS = ("pdf/ua-1", "pdf/a-3u")
DEFAULT_VARIANT = "pdf/ua-1"
WORKERS = 2  # measured: two warm workers give 1.6-1.7x on two cores (docs/performance.md)
PR_SET_PDEATHSIG = 1  # prctl(2): the signal Linux sends a process when its parent ends


class RefusedURL(ValueError):
    """The document asked for something outside templates/ and the region's own images."""


def _relative_part(path: str) -> str | None:
    """Return `path` (URL-decoded) if it stays inside its folder, else None."""
    decoded = unquote(path)
    parts = PurePosixPath(decoded).parts
    if not decoded or decoded.startswith("/") or "\\" in decoded or ".." in parts or "." in parts:
        return None
    return decoded


class LockedFetcher(URLFetcher):
    """Serve templates/ from disk and the region's images from memory; refuse everything else."""

    def __init__(self, templates: Path, assets: Mapping[str, bytes]):
        super().__init__(allowed_protocols=("https",))
        self.templates = Path(templates).resolve()
        self.assets = assets
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url[:5].lower() == "data:" and (decoded := decode_data_url(url)) is not None:
            self.served.append(url)
            return URLFetcherResponse(url, decoded[1], {"Content-Type": decoded[0]})
        parts = urlsplit(url)
        data = None
        if parts.scheme == "https" and parts.netloc == "stodocs.invalid" and not parts.query:
            if url.startswith(REGION_BASE):
                name = _relative_part(parts.path[len("/regio/"):])
                data = self.assets.get(name) if name else None
            elif url.startswith(TEMPLATE_PREFIX):
                data = self._template_file(parts.path[len("/templates/"):])
        if data is None:
            self.refused.append(url)
            raise RefusedURL(f"stodocs laadt alleen templates/ en afbeeldingen uit de regiomap, niet {url}")
        self.served.append(url)
        mime = mimetypes.guess_type(parts.path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, data, {"Content-Type": mime})

    def _template_file(self, path: str) -> bytes | None:
        name = _relative_part(path)
        if name is None:
            return None
        full = (self.templates / name).resolve()
        if not full.is_relative_to(self.templates) or not full.is_file():
            return None
        return full.read_bytes()


@dataclass(frozen=True)
class PdfJob:
    """One document to turn into a PDF: its HTML, the region's images and the version's date."""

    html: str
    assets: Mapping[str, bytes] = field(repr=False)
    date: datetime
    variant: str = DEFAULT_VARIANT


@dataclass(frozen=True)
class RenderedPdf:
    """A PDF, what WeasyPrint logged while making it (in Dutch; empty when all went well), and refused URLs."""

    data: bytes
    messages: tuple[str, ...]
    refused: tuple[str, ...]


@contextmanager
def source_date_epoch(moment: datetime) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH to `moment` for the duration, unless the caller already set it."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


@contextmanager
def only_bundled_fonts() -> Iterator[None]:
    """Point fontconfig at templates/fonts/fonts.conf for the duration, whatever the caller had set.

    WeasyPrint loads fontconfig's configuration anew for every document, from FONTCONFIG_FILE; ours lists only
    templates/fonts/, so the machine's own fonts can never change a PDF (or be missing from it).
    """
    before = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    try:
        yield
    finally:
        if before is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = before


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _weasyprint_records() -> Iterator[list[logging.LogRecord]]:
    """Collect WeasyPrint's warnings and errors instead of letting them go to stderr."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


def shown_address(url: str) -> str:
    """Return how a user knows the file behind `url`: a region file by its name, a template by its path."""
    if url.startswith(REGION_BASE):
        return f"'{unquote(url[len(REGION_BASE):])}' uit de regiomap"
    if url.startswith(TEMPLATE_PREFIX):
        return f"'templates/{unquote(url[len(TEMPLATE_PREFIX):])}'"
    if url[:5].lower() == "data:":
        return "een data:-adres"
    return f"'{url}'"


def explain(record: logging.LogRecord, refused: Sequence[str]) -> str:
    """Return what WeasyPrint logged as a Dutch message that names the file and says what to do."""
    args = record.args if isinstance(record.args, tuple) else ()
    if record.msg.startswith("Failed to load image at") and len(args) == 2:
        url = str(args[0])
        if url in refused:
            if url.startswith(REGION_BASE):
                return f"afbeelding {shown_address(url)} bestaat niet; zet het bestand in de regiomap"
            return (f"een afbeelding verwijst naar {shown_address(url)}; stodocs laadt alleen afbeeldingen uit de "
                    "regiomap. Zet de afbeelding in de regiomap, of neem haar in de SVG op als data:-adres")
        kind = KIND_OF_SUFFIX.get(PurePosixPath(urlsplit(url).path).suffix.lower(), "PNG, JPEG, GIF of SVG")
        return (f"afbeelding {shown_address(url)} kon niet gelezen worden; controleer of het bestand echt een "
                f"{kind}-afbeelding is en exporteer het zo nodig opnieuw")
    if record.msg.startswith("Failed to render SVG image") and args:
        return (f"SVG-afbeelding {shown_address(str(args[0]))} kon niet getekend worden; bewaar de tekening opnieuw "
                "als 'Normale SVG' (bijvoorbeeld met Inkscape)")
    text = record.getMessage().replace(REGION_BASE, "").replace(TEMPLATE_PREFIX, "templates/").replace(ORIGIN, "")
    return (f"WeasyPrint meldt ({record.levelname.lower()}): {text}. Is dit niet op te lossen in de inhoud, "
            "meld het dan aan de beheerders van stodocs")


def html_to_pdf(job: PdfJob) -> RenderedPdf:
    """Return the PDF of `job`: tagged (or archival), fonts embedded, reproducible for the same input."""
    if job.variant not in VARIANTS:
        raise ValueError(f"unknown PDF variant {job.variant!r}")
    fetcher = LockedFetcher(TEMPLATE_DIR, job.assets)
    hyphenation.install()  # Dutch compounds break at their parts (cached: once per process)
    with only_bundled_fonts(), source_date_epoch(job.date), _weasyprint_records() as records:
        document = HTML(string=job.html, base_url=REGION_BASE, url_fetcher=fetcher)
        data = document.write_pdf(pdf_variant=job.variant, finisher=record_versions)  # versions: stodocs/versions.py
    messages = [explain(r, fetcher.refused) for r in records]
    explained = {str(r.args[0]) for r in records if r.msg.startswith("Failed to load image at") and r.args}
    messages += [f"{shown_address(url)} is niet geladen: stodocs laadt alleen templates/ en afbeeldingen uit de regiomap"
                 for url in dict.fromkeys(fetcher.refused) if url not in explained]
    return RenderedPdf(data, tuple(messages), tuple(fetcher.refused))


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # what a terminal, a time-out or CI sends on cancel


class WorkerDied(EnvironmentFailure):
    """A PDF worker ended without being asked to (e.g. killed for memory); the build cannot finish."""


def _serve(jobs: Sequence[PdfJob], parent: int, conn) -> None:
    """A PDF worker: render the job whose index comes in, send the result back; end on None or a closed pipe.

    Ctrl-C is the parent's to handle. SIGTERM and SIGHUP end the worker at once: it holds no lock that the
    parent waits for (each worker has a pipe of its own), so a signal to the whole group cannot hang the build.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handlers are not ours: just stop
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    else:
        threading.Thread(target=_end_with_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent ended before we asked
        os._exit(0)
    while True:
        try:
            index = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        if index is None:
            os._exit(0)
        try:
            conn.send((index, html_to_pdf(jobs[index]), None))
        except Exception as exc:  # a bug: the parent reports it as an internal error
            conn.send((index, None, f"{type(exc).__name__}: {exc}"))


def _end_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def render_pdfs(jobs: Sequence[PdfJob], workers: int = WORKERS,
                on_done: Callable[[int, RenderedPdf], None] | None = None) -> list[RenderedPdf]:
    """Render every job, in forked workers when there are several; results in job order.

    Each worker gets its jobs by index over a pipe of its own (the jobs are in its memory since the fork) and
    nothing else is shared, so no worker can die holding a lock the parent needs. Leaving early, by Ctrl-C,
    SIGTERM or SIGHUP (the parent's KeyboardInterrupt) or an error, kills every worker before it returns.
    """
    results: dict[int, RenderedPdf] = {}
    forking = workers > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods()
    if not forking:
        for i, job in enumerate(jobs):
            results[i] = html_to_pdf(job)
            if on_done:
                on_done(i, results[i])
        return [results[i] for i in range(len(jobs))]
    context = multiprocessing.get_context("fork")
    # Fork after WeasyPrint is imported (at the top of this module), so no worker imports it again. The stop
    # signals stay blocked until a worker has set up its own handling, so an early one cannot reach it.
    started = []
    try:
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            for _ in range(min(workers, len(jobs))):
                ours, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(jobs, os.getpid(), theirs), daemon=True)
                process.start()
                theirs.close()
                started.append((process, ours))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        pending = iter(range(len(jobs)))
        busy = {}
        for process, conn in started:
            index = next(pending, None)
            if index is not None:
                conn.send(index)
                busy[conn] = process
        while busy:
            for conn in multiprocessing.connection.wait(list(busy)):
                try:
                    index, result, failure = conn.recv()
                except (EOFError, OSError):
                    raise WorkerDied("een PDF-werkproces is onverwacht gestopt (bijvoorbeeld door een tekort aan "
                                     "geheugen); probeer het opnieuw, en meld het aan de beheerders als het blijft")
                if failure:
                    raise RuntimeError(f"PDF-werkproces: {failure}")
                results[index] = result
                if on_done:
                    on_done(index, result)
                following = next(pending, None)
                if following is None:
                    conn.send(None)
                    del busy[conn]
                else:
                    conn.send(following)
    finally:
        for process, conn in started:
            if process.is_alive() and process.exitcode is None:
                process.kill()
            conn.close()
        for process, _ in started:
            process.join()
    return [results[i] for i in range(len(jobs))]
