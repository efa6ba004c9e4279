"""A redline of a rapportage between two versions, with the plan redlines' machinery (diff/redline.py).

Both versions are rendered whole, figures included, and their <main> compared block by block
and word by word; so a changed text, a changed stand and a changed amount all show in place.
"""
from __future__ import annotations

from pathlib import Path

from markupsafe import escape

from .diff.htmltree import Element, parse, to_html
from .diff.redline import collapse_unchanged, has_change, redline
from .diff.summary import version_label
from .problems import ContentError, UsageError
from .render import TEMPLATE_DIR
from .reporting import Made, basis_of, gather, render_report, to_pdfs, write_files
from .schedule import REPORT_KINDS, REPORT_TITLES
from .sources import Version

OUTPUT = "diffs"


def _main(html: str) -> tuple[Element, Element]:
    root, doctype = parse(html)
    return root, root.find("main") or Element("main")


def redline_report(old_html: str, new_html: str, old_label: str, new_label: str, only_changes: bool = False) -> str:
    """Return the new rapportage's HTML with its body marked up against the old one, and a note on top."""
    _, old_main = _main(old_html)
    root, doctype = parse(new_html)
    new_main = root.find("main")
    marked = redline(old_main, new_main)
    if only_changes:
        collapse_unchanged(marked)
    note = parse(
        f'<section class="redline-overview" id="wijzigingen"><p class="redline-region">Wijzigingen in de rapportage</p>'
        f'<table class="redline-versions"><tbody><tr><th scope="row">Van</th><td>{escape(old_label)}</td></tr>'
        f'<tr><th scope="row">Naar</th><td>{escape(new_label)}</td></tr></tbody></table>'
        f'<p class="redline-legend">{"Er is niets gewijzigd." if not has_change(marked) else "Leeswijzer: "}'
        + ('' if not has_change(marked) else
           '<ins>toegevoegde tekst</ins> is onderstreept, <del>geschrapte tekst</del> is doorgestreept; een streep in '
           'de kantlijn markeert een gewijzigd blok; bij een bedrag staan oud, nieuw en het verschil.')
        + '</p></section>')[0].find("section")
    new_main.children = [note] + marked.children
    style = root.find("style")
    style.children.append("\n" + (TEMPLATE_DIR / "redline.css").read_text(encoding="utf-8"))
    return to_html(root, doctype)


def _rendered(source, names: list[str] | None, jaar: int) -> tuple[dict[str, tuple[str, dict]], Version]:
    gathered, version = gather(source, names)
    from .pipeline import statuses
    status = statuses(source, {n: d.region for n, d in gathered.items()}, version)
    out = {}
    for name, data in gathered.items():
        report = data.reports.get(jaar)
        if report is not None:
            html = render_report(data, report, basis_of(source, data, report), version, status[name])
            out[name] = (html, dict(data.region.assets))
    return out, version


def diff_reports(old_source, new_source, names: list[str] | None, jaar: int, output: Path,
                 only_changes: bool = False) -> list[Path]:
    """Write a redline PDF and HTML of rapportage `jaar` for each region that has it in both versions."""
    if jaar not in REPORT_KINDS:
        raise UsageError(f"er is geen rapportage {jaar}; kies {', '.join(str(y) for y in REPORT_KINDS)}")
    problems = []
    sides = []
    for source in (old_source, new_source):
        try:
            sides.append(_rendered(source, names, jaar))
        except ContentError as exc:
            rev = getattr(source, "rev", None)
            problems += [p.__class__(f"{rev}:{p.path}" if rev else p.path, p.line, p.field, p.message, p.severity)
                         for p in exc.problems]
    if problems:
        raise ContentError(problems)
    (old, old_version), (new, new_version) = sides
    both = sorted(set(old) & set(new))
    if not both:
        kind = REPORT_TITLES[REPORT_KINDS[jaar]].lower()
        raise UsageError(f"de {kind} {jaar} staat niet in beide versies; een redline vergelijkt twee versies ervan")
    old_label, new_label = version_label(old_version), version_label(new_version)
    made = []
    for name in both:
        html = redline_report(old[name][0], new[name][0], old_label, new_label, only_changes)
        key = "eindverslag" if REPORT_KINDS[jaar] == "eindverslag" else f"voortgangsrapportage-{jaar}"
        base = f"{OUTPUT}/{name}/{key}-{old_version.slug}-naar-{new_version.slug}"
        made.append(Made(f"{base}.pdf", html, {**old[name][1], **new[name][1]}))
    pdfs = to_pdfs(made, new_version, "pdf")
    files = {}
    for m in made:
        files[m.path] = pdfs[m.path]
        files[m.path[:-4] + ".html"] = m.html.encode("utf-8")
    return write_files(output, files)
