"""Problems are values: a place (file, line, field) and a Dutch message."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .formatting import one_line, printable_line

ERROR = "fout"
WARNING = "waarschuwing"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing the user must fix (or, as a warning, should look at).

    `path` is relative to the repository root with forward slashes; `line` is 1-based,
    or 0 when the problem concerns a whole file or region. `field` is the machine path of the field
    (`regels[3].prijs`, for the JSON and Code Quality reports); `label` names it for people
    ("Begrotingsregel techniekroute-po-2025-uren, prijs"). Field, label and message are always one line,
    whatever text of the user they echo: a problem prints as one `path:line: message` line.
    """

    path: str
    line: int
    field: str
    message: str
    severity: str = ERROR
    label: str = ""

    def __post_init__(self):
        for name in ("field", "message", "label"):
            value = getattr(self, name)
            if not value.isprintable():
                object.__setattr__(self, name, one_line(value))

    @property
    def shown_label(self) -> str:
        """Return the place as people read it: the label, or a field that is a plain key (never `a[2].b`)."""
        if self.label or "[" in self.field:
            return self.label
        return self.field

    def format(self) -> str:
        # A whole-file problem (line 0) prints as line 1, so editors and CI annotations can jump to it;
        # a folder has no lines.
        is_folder = "." not in self.path.rsplit("/", 1)[-1]
        where = self.path if is_folder and not self.line else f"{self.path}:{self.line or 1}"
        prefix = "waarschuwing: " if self.severity == WARNING else ""
        field = f"{self.shown_label}: " if self.shown_label else ""
        # A file name that is not UTF-8 (kept by Python as surrogates) is shown with a replacement character, and
        # a line break or ESC from the content cannot start a fake line or a terminal command.
        line = f"{where}: {prefix}{field}{self.message}"
        return printable_line(line)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """Return only the problems that are errors."""
    return [p for p in problems if p.severity == ERROR]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    """Return only the problems that are warnings."""
    return [p for p in problems if p.severity == WARNING]


class UsageError(Exception):
    """The command line was wrong, or a requested thing does not exist (exit code 2)."""


class ContentError(Exception):
    """The content cannot be processed; carries the problems (exit code 1)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problemen")
        self.problems = problems


class EnvironmentFailure(Exception):
    """The machine, not the content, stopped the work: an output folder that cannot be written, a full disk,
    a worker killed for memory, git refusing the repository. Carries a Dutch message (exit code 1)."""
