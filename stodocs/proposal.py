"""The Wijzigingsvoorstel: an Impact as a checklist the stuurgroep works through and signs (Markdown and HTML)."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .impact import UNCLASSIFIED, Impact

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TITLE = "Wijzigingsvoorstel"
SIGN_FIELDS = ("Besluit", "Datum", "Door wie", "Handtekening")


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _because(reasons) -> str:
    return "; ".join(r[0].lower() + r[1:] for r in reasons)


def proposal_markdown(impact: Impact, level: int = 2, versions: tuple = ()) -> str:
    """Return the Wijzigingsvoorstel as Markdown with task-list checkboxes, headings from `level`.

    `versions` is ((role, label, status), ...), e.g. ('Van', 'v1.0 (…)', 'Vastgesteld door …').
    """
    h, hh = "#" * level, "#" * (level + 1)
    out = [f"{h} {TITLE}", "",
           f"Wat deze wijziging volgens de wijzigingsprocedure van {impact.region_naam} vraagt "
           f"(regels uit de {impact.procedure_from}). Werk de lijst af en onderteken het besluit.", ""]
    out += [f"- {role}: {label}, status: **{status}**" for role, label, status in versions]
    out += [""] if versions else []
    out += [f"{hh} Wat verandert er", ""]
    if impact.findings:
        out += ["| Soort wijziging | Wijziging | Besluit | DUS-I-melding |", "|---|---|---|---|"]
        for f in impact.findings:
            what = f.titel + (": " + "; ".join(f.details) if f.details else "")
            out.append(f"| {_cell(f.label)} | {_cell(what)} | {_cell(_body(f.rule.besluit))} | "
                       f"{'ja' if f.dusi_melding else 'nee'} |")
    else:
        out.append("Geen wijziging die onder een regel van de wijzigingsprocedure valt.")
    out.append("")
    checks = impact.checks()
    out += [f"{hh} Stappen", ""]
    for text in checks:
        out.append(f"- [ ] Volgens de procedure: {text}")
    for step in impact.decisions():
        out.append(f"- [ ] Besluit door {_body(step.key)} over: {_because(step.waarom)}")
    if not impact.findings:
        out.append("- [ ] Beoordeel de wijzigingen hieronder en leg vast wie erover besluit")
    out += ["", f"{hh} Informeren", ""]
    out += [f"- [ ] {s.wie} (vanwege: {_because(s.waarom)})" for s in impact.informing()] or ["Niemand volgens de regels."]
    out += ["", f"{hh} Vastleggen", ""]
    out += [f"- [ ] {s.wie} (vanwege: {_because(s.waarom)})" for s in impact.records()] or ["Niets volgens de regels."]
    out += ["", f"{hh} DUS-I-melding", ""]
    out.append(_dusi_text(impact))
    out += ["", f"{hh} {UNCLASSIFIED[0].upper() + UNCLASSIFIED[1:]}", ""]
    if impact.unclassified:
        out.append("Deze wijzigingen vallen onder geen regel van de wijzigingsprocedure. "
                   "Beoordeel per wijziging wie besluit en wie geïnformeerd wordt.")
        out.append("")
        for f in impact.unclassified:
            out.append(f"- [ ] {f.titel}" + (f" ({'; '.join(f.details)})" if f.details else ""))
    else:
        out.append("Geen: elke wijziging valt onder een regel van de wijzigingsprocedure.")
    out += ["", f"{hh} Besluit", ""]
    blocks = signature_blocks(impact)
    if len(blocks) > 1:
        out += ["Elk orgaan dat besluit, tekent zijn eigen blok.", ""]
    for title, about in blocks:
        if title:
            out += [f"{hh}# {title}", ""]
        if about:
            out += [f"Over: {about}.", ""]
        out += ["| | |", "|---|---|"]
        out += [f"| {name} | ____________________________ |" for name in SIGN_FIELDS]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def signature_blocks(impact: Impact) -> list[tuple[str, str]]:
    """Return (title, what it is about) per body that decides, weightiest first; one untitled block if none does."""
    return [(f"Besluit van {_body(step.key)}", _because(step.waarom)) for step in impact.decisions()] or [("", "")]


def _dusi_text(impact: Impact) -> str:
    if impact.dusi_melding:
        why = [f.titel for f in impact.findings if f.dusi_melding]
        return ("**Nodig: ja.** Meld onverwijld met het DUS-I-wijzigingsformulier (sto.dus-i@minvws.nl): "
                + "; ".join(why) + ".")
    return "**Nodig: nee** (volgens de regels van de wijzigingsprocedure)."


def _body(key: str) -> str:
    return {"stuurgroep": "de stuurgroep", "bestuurlijk-overleg": "het bestuurlijk overleg",
            "penvoerder": "de penvoerder", "programmamanager": "de programmamanager"}.get(key, key)


def proposal_html(impact: Impact, versions: tuple = ()) -> str:
    """Return the Wijzigingsvoorstel as an HTML section (for the redline document)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
    env.filters["because"] = _because
    return env.get_template("wijzigingsvoorstel.html").render(
        impact=impact, title=TITLE, unclassified_title=UNCLASSIFIED[0].upper() + UNCLASSIFIED[1:],
        dusi_text=_dusi_plain(impact), sign_fields=SIGN_FIELDS, body_of=_body, versions=versions,
        signature_blocks=signature_blocks(impact))


def _dusi_plain(impact: Impact) -> str:
    if impact.dusi_melding:
        why = [f.titel for f in impact.findings if f.dusi_melding]
        return ("Nodig: ja. Meld onverwijld met het DUS-I-wijzigingsformulier (sto.dus-i@minvws.nl): "
                + "; ".join(why) + ".")
    return "Nodig: nee (volgens de regels van de wijzigingsprocedure)."


def with_proposal(redline_html: str, impact: Impact, versions: tuple = ()) -> str:
    """Return the redline HTML with the Wijzigingsvoorstel as its second part, after the overview."""
    section = proposal_html(impact, versions)
    marker = '<section class="redline-document'
    at = redline_html.find(marker)
    if at < 0:
        at = redline_html.rindex("</body>")
    return redline_html[:at] + section + "\n" + redline_html[at:]
