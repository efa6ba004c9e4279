"""A redline of a rapportage between two versions, with the plan redlines' machinery (diff/redline.py).

Both versions are rendered whole, figures included, and their <main> compared block by block
and word by word; so a changed text, a changed stand and a changed amount all show in place.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from markupsafe import escape

from ..diff.document import css_string
from ..diff.htmltree import Element, parse, to_html
from ..diff.pipeline import ONLY_CHANGES_SUFFIX
from ..diff.redline import collapse_unchanged, drop_dead_links, has_change, number_headings, redline
from ..formatting import version_text
from ..pipeline import region_versions
from ..problems import ContentError, UsageError
from ..render import TEMPLATE_DIR
from ..sources import Version
from .reporting import Made, gather, rendered_reports, to_pdfs, write_files
from .reports import report_key
from .schedule import REPORT_ARTICLES, REPORT_KINDS, REPORT_TITLES

OUTPUT = "diffs"


def _main(html: str) -> tuple[Element, Element]:
    """Return a render's root and its <main>, with the section numbers of this version written into its headings."""
    root, doctype = parse(html)
    main = root.find("main") or Element("main")
    number_headings(main)
    return root, main


# The parts of a rapportage a reader looks for, by the id the template gives them, in reading order.
PARTS = {
    "kerncijfers-verantwoording": "Kerncijfers", "toets-cofinanciering-gerealiseerd": "Cofinanciering door bedrijven",
    "realisatie-per-jaar": "Begroting en realisatie per jaar",
    "realisatie-per-categorie": "Begroting en realisatie per kostencategorie",
    "realisatie-per-programmalijn": "Begroting en realisatie per programmalijn en activiteit",
    "afwijkingen": "Afwijkingen en toelichting", "planwijzigingen": "Oorspronkelijk plan en huidig plan",
    "planwijzigingen-regels": "Gewijzigde begrotingsregels", "prognose": "Prognose van de besteding",
}


def changed_parts(main: Element) -> list[tuple[str, str]]:
    """Return (id, label) of each marked part: the general text, each indicator and activity, each money table."""
    out = []
    if any(has_change(c) for c in main.children
           if isinstance(c, Element) and c.get("id") not in ("voortgang", "financien")):
        out.append(("", "Algemene tekst"))
    for element in main.iter():
        ident = element.get("id") or ""
        if element.has_class("activity") and has_change(element):
            heading = element.find("h4")
            out.append((ident, f"Activiteit: {heading.text() if heading is not None else ident}"))
        elif element.has_class("doelstelling") and any(has_change(c) for c in element.children
                                                       if isinstance(c, Element) and not c.has_class("activity")):
            label = element.find("p")
            out.append((ident, f"Indicator bij {label.text() if label is not None else ident}"))
        elif ident in PARTS and has_change(element):
            out.append((ident, PARTS[ident]))
    return out


def _note(old_label: str, new_label: str, parts: list[tuple[str, str]]) -> Element:
    items = "".join(f'<li><a href="#{escape(i)}">{escape(label)}</a></li>' if i else f"<li>{escape(label)}</li>"
                    for i, label in parts)
    body = (f'<h2 class="redline-section">Gewijzigd ({len(parts)})</h2><ul class="redline-items">{items}</ul>'
            '<p class="redline-legend">Leeswijzer: <ins>toegevoegde tekst</ins> is onderstreept, <del>geschrapte '
            'tekst</del> is doorgestreept; een streep in de kantlijn markeert een gewijzigd blok; bij een bedrag staan '
            'oud, nieuw en het verschil.</p>' if parts else '<p class="redline-legend">Er is niets gewijzigd.</p>')
    html = (f'<section class="redline-overview" id="wijzigingen"><p class="redline-mark">{escape(MARK)}</p>'
            f'<p class="redline-region">Wijzigingen in de '
            f'rapportage</p><table class="redline-versions"><tbody><tr><th scope="row">Van</th><td>{escape(old_label)}'
            f'</td></tr><tr><th scope="row">Naar</th><td>{escape(new_label)}</td></tr></tbody></table>{body}</section>')
    return parse(html)[0].find("section")


MARK = "Redline: de wijzigingen in de rapportage, niet om in te dienen"


def _mark_as_redline(root: Element, old_label: str, new_label: str) -> None:
    """Mark the rapportage as a redline on its cover, in every footer and with the WIJZIGINGEN watermark, so it
    is never sent to DUS-I by mistake."""
    body = root.find("body")
    if body is not None:
        classes = [c for c in (body.get("class") or "").split() if c != "concept"]
        body.attrs["class"] = " ".join(classes + ["stodocs-redline"])
    cover = next((e for e in root.iter() if e.tag == "header" and e.has_class("cover")), None)
    if cover is not None:
        cover.children.insert(0, Element("p", {"class": "redline-mark"}, [MARK]))
        versions = next((e for e in cover.iter() if e.has_class("cover-version")), None)
        if versions is not None:
            versions.children = [f"Wijzigingen van {old_label} naar {new_label}"]
    footer = css_string(f"Redline: wijzigingen van {old_label} naar {new_label}")
    style = root.find("style")
    style.children.append(f'\n@page {{ @bottom-left {{ content: "{footer}"; }} }}\n'
                          f'@page :first {{ @bottom-left {{ content: none; }} }}\n')


def redline_report(old_html: str, new_html: str, old_label: str, new_label: str,
                   only_changes: bool = False) -> tuple[str, bool]:
    """Return the new rapportage's HTML with its body marked up against the old one and a list of the changed
    parts on top, and whether anything changed."""
    _, old_main = _main(old_html)
    root, doctype = parse(new_html)
    new_main = number_headings(root.find("main"))
    marked = redline(old_main, new_main)
    parts = changed_parts(marked)
    if only_changes:
        collapse_unchanged(marked)
    changed = has_change(marked)
    new_main.children = [_note(old_label, new_label, parts)] + marked.children
    drop_dead_links(root)  # a compact redline folds away headings that the table of contents links to
    style = root.find("style")
    style.children.append("\n" + (TEMPLATE_DIR / "redline.css").read_text(encoding="utf-8"))
    _mark_as_redline(root, old_label, new_label)
    return to_html(root, doctype), changed


def _rendered(source, names: list[str] | None) -> tuple[dict[tuple[str, int], tuple[str, dict]], Version,
                                                       dict[str, Version]]:
    """Return every rapportage of every region as (HTML, images) by (region, year), the revision's version, and
    each region's own version (the one its documents print, as in a build)."""
    available = source.region_names()
    present = [n for n in names if n in available] if names else None
    if names and not present:
        return {}, source.version(), {}
    gathered, version = gather(source, present)
    regions = {n: d.region for n, d in gathered.items()}
    versions = region_versions(source, sorted(regions))
    rendered = rendered_reports(source, regions, versions, "html")
    year_of = {report_key(year): year for year in REPORT_KINDS}
    out = {(r.region.id, year_of[r.key]): (r.html, dict(r.region.assets)) for r in rendered}
    return out, version, versions


def _both_sides(old_source, new_source, names: list[str] | None):
    """Render both versions' rapportages; the problems of both raise together, named by revision."""
    problems, sides = [], []
    for source in (old_source, new_source):
        try:
            sides.append(_rendered(source, names))
        except ContentError as exc:
            rev = getattr(source, "rev", None)
            problems += [replace(p, path=f"{rev}:{p.path}") if rev else p for p in exc.problems]
    if problems:
        raise ContentError(problems)
    return sides


EMPTY = "<!DOCTYPE html><html><body><main></main></body></html>"  # a rapportage that did not exist yet


def diff_reports(old_source, new_source, names: list[str] | None, jaar: int | None, output: Path,
                 only_changes: bool = False, changed_only: bool = False) -> list[Path]:
    """Write a redline PDF and HTML of rapportage `jaar` (None: every year) of each region that has it.

    A rapportage that is new in the new version is shown as inserted whole. With `changed_only`
    (as `build.py diff` asks), a rapportage without changes gets no files.
    """
    if jaar is not None and jaar not in REPORT_KINDS:
        raise UsageError(f"er is geen rapportage {jaar}; kies {', '.join(str(y) for y in REPORT_KINDS)}")
    (old, old_version, old_versions), (new, new_version, new_versions) = _both_sides(old_source, new_source, names)
    wanted = sorted(k for k in new if jaar is None or k[1] == jaar)
    if jaar is not None and not wanted:
        soort = REPORT_KINDS[jaar]
        raise UsageError(f"{REPORT_ARTICLES[soort]} {REPORT_TITLES[soort].lower()} {jaar} staat niet in de nieuwe versie; maak hem eerst (zie docs/verantwoording.md)")
    made = []
    for name, year in wanted:
        # each side as its rapportage prints it: the region's own version
        old_label = version_text(old_versions[name]) if name in old_versions else "(bestond niet)"
        new_label = version_text(new_versions[name])
        old_html, old_assets = old.get((name, year), (EMPTY, {}))
        html, changed = redline_report(old_html, new[(name, year)][0], old_label, new_label, only_changes)
        if changed_only and not changed:
            continue
        base = f"{OUTPUT}/{name}/rapportages/{report_key(year)}-{old_version.slug}-naar-{new_version.slug}"
        base += ONLY_CHANGES_SUFFIX if only_changes else ""
        made.append(Made(f"{base}.pdf", html, {**old_assets, **new[(name, year)][1]}))
    pdfs = to_pdfs(made, new_version, "pdf")
    files = {}
    for m in made:
        files[m.path] = pdfs[m.path]
        files[m.path[:-4] + ".html"] = m.html.encode("utf-8")
    return write_files(output, files)
