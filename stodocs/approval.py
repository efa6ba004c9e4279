"""Vaststelling: which version of a region's content a body approved, read from vaststellingen.yaml.

A vaststelling names a commit. A version counts as approved when the region's content at that
version is identical to the content at the recorded commit, with vaststellingen.yaml itself left
out of the comparison (recording a decision must not un-approve what it records). The comparison
is by git blob hash (a source's content_ids), so it is exact and never reads a file. The working
tree counts only when its region folder, apart from vaststellingen.yaml, has no uncommitted changes.
Every git question goes through sources.py: a recorded commit is just another GitRevision.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .formatting import long_date
from .model import Vaststelling, body_in_text
from .problems import Problem
from .sources import COMMIT_HASH, CONTENT, GitRevision, commit_subjects, lookup_commit

RECORD_FILE = "vaststellingen.yaml"
LEAVE_OUT = frozenset({RECORD_FILE})


@dataclass(frozen=True)
class Approval:
    """A vaststelling together with the full hash of the commit it names."""

    vaststelling: Vaststelling
    commit: str

    @property
    def status_text(self) -> str:
        """Return e.g. 'Vastgesteld door de stuurgroep op 14 maart 2026'."""
        return status_text(self.vaststelling)


def status_text(vaststelling: Vaststelling) -> str:
    """Return the Dutch status line of a vaststelling."""
    return f"Vastgesteld door {body_in_text(vaststelling.orgaan)} op {long_date(vaststelling.datum)}"


MAX_CANDIDATES = 5  # an ambiguous prefix names at most this many commits


def resolve_commit(root: Path, prefix: str) -> tuple[str | None, str | None]:
    """Return (full hash, None) for a unique commit prefix, or (None, Dutch reason); never read as a tag."""
    if not isinstance(prefix, str) or not COMMIT_HASH.match(prefix):
        return None, "is geen commit-hash; schrijf de hash van 40 tekens (0-9 en a-f)"
    found = lookup_commit(root, prefix)
    if found.commit is not None:
        return found.commit, None
    if found.ambiguous:
        shown = ", ".join(oid[:12] for oid in found.candidates[:MAX_CANDIDATES])
        more = f" en nog {len(found.candidates) - MAX_CANDIDATES}" if len(found.candidates) > MAX_CANDIDATES else ""
        return None, (f"commit '{prefix}' is niet eenduidig: {len(found.candidates)} commits beginnen zo "
                      f"({shown}{more}); schrijf de hele hash van 40 tekens")
    hint = ("dit is een ondiepe kloon; haal de geschiedenis op met 'git fetch --unshallow'" if found.shallow else
            "controleer de hash (kopieer hem uit de geschiedenis van de hoofdtak, na het samenvoegen)")
    return None, f"commit '{prefix}' bestaat niet in deze repository; {hint}"


def content_at(root: Path, region: str, commit: str) -> dict[str, str]:
    """Return {file: blob hash} of the region at the full hash `commit`, without vaststellingen.yaml."""
    return GitRevision(root, commit).content_ids(region, LEAVE_OUT)


def find_approval(root: Path, region: str, records: tuple[Vaststelling, ...], source) -> Approval | None:
    """Return the latest vaststelling in `records` whose commit has the same content as `source`.

    `source` is a sources.WorkingTree or sources.GitRevision; None when its version is not approved.
    """
    if not records:
        return None
    current = source.content_ids(region, LEAVE_OUT)
    if not current:
        return None
    cache: dict[str, dict[str, str]] = {}
    for record in sorted(records, key=lambda v: (v.datum, v.place.line), reverse=True):
        full, _ = resolve_commit(root, record.commit)
        if full is None:
            continue
        if full not in cache:
            cache[full] = content_at(root, region, full)
        if cache[full] == current:
            return Approval(record, full)
    return None


def check_approvals(root: Path | None, region: str, records: tuple[Vaststelling, ...]) -> list[Problem]:
    """Each recorded commit exists, is unambiguous and holds this region."""
    if records and root is None:
        first = records[0].place
        return [Problem(first.path, first.line, "commit",
                        "vaststellingen verwijzen naar git-commits, maar deze map is geen git-repository")]
    problems = []
    for record in records:
        full, reason = resolve_commit(root, record.commit)
        if full is None:
            problems.append(record.place.problem("commit", reason or "onbekende commit"))
            continue
        if not content_at(root, region, full):
            problems.append(record.place.problem("commit", f"commit '{record.commit}' bevat de regio '{region}' niet "
                                            f"(geen bestanden onder content/{region}/); kies de commit van de "
                                            "vastgestelde versie van deze regio"))
    return problems


@dataclass(frozen=True)
class HistoryEntry:
    """One approved version in date order, with what changed since the approved version before it."""

    vaststelling: Vaststelling
    commit: str | None  # None when the recorded commit cannot be resolved
    previous: str | None  # full hash of the previous approved version, None for the first
    changes: str  # one Dutch line


def history(root: Path, region: str, records: tuple[Vaststelling, ...], summarize) -> list[HistoryEntry]:
    """Return every vaststelling in date order; `summarize(region, old, new)` describes each step."""
    entries, previous = [], None
    for record in sorted(records, key=lambda v: (v.datum, v.place.line)):
        full, reason = resolve_commit(root, record.commit)
        if full is None:
            entries.append(HistoryEntry(record, None, previous, f"onbekende commit: {reason}"))
            continue
        entries.append(HistoryEntry(record, full, previous, summarize(region, previous, full)))
        previous = full
    return entries


def summarize_commits(root: Path, region: str, old: str | None, new: str) -> str:
    """Describe a step by the commits that touched the region between `old` and `new`."""
    if old == new:
        return "zelfde inhoud als de vorige vaststelling"
    subjects = commit_subjects(root, old, new, f"{CONTENT}/{region}")
    if not subjects:
        return "geen inhoudelijke wijzigingen"
    first = "eerste vastgestelde versie; " if old is None else ""
    return f"{first}{len(subjects)} commit(s), laatste: {subjects[0]}"


def print_log(root: Path, regions, out) -> None:
    """Write every region's approved versions, oldest first, as text for people."""
    for region in regions:
        entries = history(root, region.id, region.vaststellingen, partial(summarize_commits, root))
        print(f"{region.naam} ({region.id}): {len(entries)} vastgestelde versie(s)", file=out)
        if not entries:
            print("  nog geen vaststellingen; zie docs/vaststellen.md om er een vast te leggen", file=out)
        for entry in entries:
            v = entry.vaststelling
            short = entry.commit[:10] if entry.commit else v.commit
            print(f"  {long_date(v.datum)} · {body_in_text(v.orgaan)} · {v.kenmerk} · {short}", file=out)
            if v.samenvatting:
                print(f"      {v.samenvatting.strip()}", file=out)
            print(f"      gewijzigd: {entry.changes}", file=out)
        print(file=out)


# The tag that publishes a vaststelling as a release: vastgesteld-<regio>-<JJJJ-MM-DD> (see docs/vaststellen.md).
RELEASE_TAG = re.compile(r"^vastgesteld-(?P<region>[a-z0-9][a-z0-9-]*)-(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})$")


def release_tag_parts(tag: str) -> tuple[str, str] | None:
    """Return (region, date) named by a release tag, or None when the tag is not one."""
    found = RELEASE_TAG.match(tag)
    return (found["region"], found["date"]) if found else None


def released_region(source, tag: str, today=None) -> str:
    """Return the region a release tag names, when its content in `source` is exactly a version approved that day.

    Raises UsageError for a tag of another form or an unknown region, ContentError when the content is not the
    approved version (or the tag's date is not the decision's).
    """
    from .pipeline import check  # the pipeline uses this module; imported here to keep the layers apart
    from .problems import ContentError, UsageError, errors
    parts = release_tag_parts(tag)
    if parts is None:
        raise UsageError(f"tag '{tag}' heeft niet de vorm vastgesteld-<regio>-<JJJJ-MM-DD>, "
                         "bijvoorbeeld vastgesteld-lindewaard-2026-03-14")
    name, day = parts
    checked = check(source, [name], today)
    if errors(checked.problems):
        raise ContentError(errors(checked.problems))
    root = source.git_root()
    approval = find_approval(root, name, checked.regions[name].vaststellingen, source) if root else None
    record = f"{CONTENT}/{name}/{RECORD_FILE}"
    if approval is None:
        raise ContentError([Problem(record, 0, "", f"tag '{tag}': de inhoud van {name} in deze versie is niet "
                                    "vastgesteld; geen vaststelling noemt een commit met precies deze inhoud. Zet "
                                    "de tag op de commit die de vaststelling vastlegt (zie docs/vaststellen.md)")])
    if approval.vaststelling.datum != day:
        place = approval.vaststelling.place
        raise ContentError([place.problem("datum", f"tag '{tag}' noemt {day}, maar deze versie is vastgesteld op "
                                                   f"{approval.vaststelling.datum} "
                                                   f"({status_text(approval.vaststelling)}); noem die datum in de tag")])
    return name
