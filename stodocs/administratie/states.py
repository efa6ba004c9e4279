"""The status of a verantwoording document (a rapportage, model G2, a statement to sign): one value that its
cover, every page, its metadata, its CSV and its file name all show.

The states, as a penvoerder uses them (docs/verantwoording.md, "De status van een document"):
- concept: the period is covered by the projectadministratie, but nobody has declared the content final;
- voorlopig: the period (the verslagjaar, the schooljaar, the rapportage's peildatum) is still open: the
  administratie's peildatum lies before its end;
- ter ondertekening: the period is closed and the content vastgesteld, ready to sign;
- ingediend: handed in (to DUS-I, the accountant), on a date with a kenmerk.
The last two are steps someone takes: they are recorded in rapportages/indieningen.yaml, the register of
the verantwoording, as vaststellingen.yaml records the plan's vaststellingen.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..formatting import long_date
from ..model import Place

STATES = ("concept", "voorlopig", "ter-ondertekening", "ingediend")
STATE_NAMES = {"concept": "concept", "voorlopig": "voorlopig", "ter-ondertekening": "ter ondertekening",
               "ingediend": "ingediend"}  # as a reader writes them; the keys are what the register holds
REGISTER_FILE = "indieningen.yaml"  # in rapportages/


@dataclass(frozen=True)
class Step:
    """One recorded step of a document to a status: `document` is its key (g2-2025, voortgangsrapportage-2026,
    bijlage-4-csg-lindewaard-2025, ...), `status` ter-ondertekening or ingediend."""

    document: str
    status: str
    datum: date
    kenmerk: str
    place: Place


class DocumentState(str):
    """A document's status as the text it carries (str), with its parts: `key` (one of STATES), the date and
    kenmerk of the recorded step, and for a voorlopig document the day up to which the administratie is complete."""

    key: str
    datum: date | None
    kenmerk: str
    peildatum: date | None

    def __new__(cls, key: str, datum: date | None = None, kenmerk: str = "", peildatum: date | None = None):
        if key == "voorlopig":
            text = (f"voorlopig: de administratie is bijgewerkt tot en met {long_date(peildatum)}" if peildatum
                    else "voorlopig: de administratie heeft nog geen peildatum")
        elif key == "ter-ondertekening":
            text = f"ter ondertekening sinds {long_date(datum)}" if datum else "ter ondertekening"
        elif key == "ingediend":
            text = f"ingediend op {long_date(datum)}" + (f", kenmerk {kenmerk}" if kenmerk else "")
        else:
            text = "concept"
        self = super().__new__(cls, text)
        self.key, self.datum, self.kenmerk, self.peildatum = key, datum, kenmerk, peildatum
        return self

    @property
    def name(self) -> str:
        """The state in a word or two, as the CSV's Status column says it: `ter ondertekening`."""
        return STATE_NAMES[self.key]

    @property
    def in_file_name(self) -> str:
        """What the state adds to a file name: `-voorlopig`, `-ter-ondertekening`, `-ingediend`; nothing for a concept,
        the default, so that `-concept` in a name keeps its one meaning (uncommitted content, see the README)."""
        return "" if self.key == "concept" else f"-{self.key}"

    @property
    def concept(self) -> bool:
        """Whether the document is a concept: only then does every page carry the CONCEPT watermark."""
        return self.key == "concept"


def document_state(document: str, steps: tuple[Step, ...], peildatum: date | None, period_end: date) -> DocumentState:
    """Return the status of `document`, whose period ends on `period_end`, with the administratie complete up to `peildatum`.

    Ingediend (recorded) stays ingediend. Otherwise a period the administratie does not cover yet is voorlopig,
    whatever is recorded; a closed period is ter ondertekening once recorded so, else concept.
    """
    recorded = [s for s in steps if s.document == document]
    last = max(recorded, key=lambda s: (s.datum, STATES.index(s.status)), default=None)
    if last is not None and last.status == "ingediend":
        return DocumentState("ingediend", last.datum, last.kenmerk)
    if peildatum is None or peildatum < period_end:
        return DocumentState("voorlopig", peildatum=peildatum)
    if last is not None:
        return DocumentState("ter-ondertekening", last.datum, last.kenmerk)
    return DocumentState("concept")
