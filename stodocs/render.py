"""Model -> HTML: one complete, semantic HTML document per plan document (Jinja2, markdown-it-py).

Every entity gets a stable id (`activiteit-<id>`, `regel-<id>`, `partner-<id>`, ...) and the
structure is plain blocks (h1-h4, p, li, tr), so two renders can be compared block by block.
Chapter numbers come from CSS counters, not from the HTML, so inserting a chapter changes one block.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from html.parser import HTMLParser

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from . import formatting, model
from .chart import budget_chart
from .markdown import parser
from .resources import data_folder
from .model import Region
from .sources import Version

TEMPLATE_DIR = data_folder("templates")

ROLE_DUTIES = {
    "sturend": "Legitimeert de aanpak, besluit over mijlpalen en wijzigingen en bewaakt de samenhang met het beleid.",
    "coordinerend": "Plant de activiteiten, bewaakt voortgang, samenhang en budget en rapporteert aan de stuurgroep.",
    "uitvoerend": "Voert de activiteiten uit in projectteams en werkgroepen.",
    "ondersteunend": "Begeleidt, traint, coacht en adviseert de regio.",
}
PARTNER_GROUPS = {"vmbo": "Vmbo-scholen", "mbo": "Mbo-instellingen", "po": "Basisscholen",
                  "bedrijf": "Bedrijven", "overig": "Overige partners"}


class Status(str):
    """The status text a document carries, e.g. `concept` or `Vastgesteld door de stuurgroep op 12 december 2024`.

    `vastgesteld` is True only for the status of an approved version; a plain str counts as a concept.
    """

    vastgesteld: bool = False


class _Vastgesteld(Status):
    vastgesteld = True


def document_status(version: Version, approval=None) -> Status:
    """Return the status a document of `version` carries on its cover and in its footer.

    `approval` is the approval.Approval of this version, if a body approved its content.
    """
    if approval is not None:  # approval.find_approval already ignored vaststellingen.yaml itself
        return _Vastgesteld(approval.status_text)
    if not version.in_git:
        return Status("concept – buiten git, zonder versiebeheer")
    if version.dirty:
        return Status("concept – niet vastgelegd")
    return Status("concept")


def w3c_datetime(moment: datetime) -> str:
    """Return `moment` as W3C date-time in UTC with 'Z', the form WeasyPrint accepts for PDF metadata."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@pass_context
def _markdown(context, text: str) -> Markup:
    # The render's own id registry (in the context) keeps heading ids unique across one document.
    return Markup(parser().render(text or "", context["markdown_env"]))


def in_programme_order(region: Region) -> list:
    """Return the activities as the plan lists them: by programmalijn, then doelstelling, then as written."""
    rank = {doel.id: i for i, doel in enumerate(d for lijn in region.programmalijnen for d in lijn.doelstellingen)}
    return sorted(region.activiteiten, key=lambda a: rank.get(a.doelstelling, len(rank)))


@cache
def environment() -> Environment:
    """Return the Jinja2 environment: templates/ with StrictUndefined, autoescape and Dutch filters."""
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(euro=formatting.euro, euro_delta=formatting.euro_delta, number=formatting.number,
                       percentage=formatting.percentage, long_date=formatting.long_date, month=formatting.month,
                       markdown=_markdown, label=lambda key: model.PROCEDURE_WORDS.get(key, key),
                       capital=formatting.capital, counted=formatting.counted, euro_text=formatting.euro_text,
                       version_text=formatting.version_text)
    env.globals.update(CATEGORIES=model.CATEGORIES, ROLES=model.ROLES, PARTNER_GROUPS=PARTNER_GROUPS,
                       PROFILES=model.PROFILES, LEARNING_PATHS=model.LEARNING_PATHS, STATUSES=model.STATUSES,
                       YEARS=model.YEARS, DOCUMENTS=model.DOCUMENTS, CHANGE_KINDS=model.CHANGE_KINDS,
                       ROLE_DUTIES=ROLE_DUTIES, Totals=model.Totals, budget_chart=budget_chart,
                       in_programme_order=in_programme_order)
    return env


@cache
def stylesheet() -> Markup:
    """Return templates/print.css, which goes inline so the HTML is one self-contained file."""
    return Markup((TEMPLATE_DIR / "print.css").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Heading:
    id: str
    level: int
    text: str
    appendix: bool  # an annex: not numbered as a chapter


class _Outline(HTMLParser):
    """Collect the h2 and h3 headings that have an id, and the activities' h4, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[Heading] = []
        self._open: tuple[str, int, bool] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if attributes.get("id") and (tag in ("h2", "h3") or (tag == "h4" and "activity-title" in classes)):
            appendix = "bijlage" in classes
            self._open, self._text = (attributes["id"], int(tag[1]), appendix), []

    def handle_endtag(self, tag):
        if self._open and tag == f"h{self._open[1]}":
            ident, level, appendix = self._open
            self.headings.append(Heading(ident, level, " ".join("".join(self._text).split()), appendix))
            self._open = None

    def handle_data(self, data):
        if self._open:
            self._text.append(data)


def outline(body: str) -> list[Heading]:
    """Return the table of contents of a rendered body."""
    collector = _Outline()
    collector.feed(body)
    collector.close()
    return collector.headings


def render_document(region: Region, key: str, version: Version, status: str) -> str:
    """Return the complete HTML of document `key` of `region` at `version`."""
    env = environment()
    context = {
        "region": region, "key": key, "kind": model.DOCUMENTS[key], "document": region.documents[key],
        "version": version, "status": status, "shown_date": version.date,
        "created": w3c_datetime(version.date), "markdown_env": {},
    }
    body = env.get_template(f"{key}.html").render(context)
    return env.get_template("base.html").render(context, body=Markup(body), toc=outline(body), css=stylesheet())
