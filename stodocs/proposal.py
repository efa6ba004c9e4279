"""The Wijzigingsvoorstel: an Impact as a checklist the stuurgroep works through and signs (Markdown and HTML)."""
from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .formatting import capital, counted, euro, euro_delta, long_date, markdown_text, month
from .impact import REDACTIONAL, UNCLASSIFIED, Amount, Day, Impact, Month, Quantity
from .model import DUSI_ADDRESS, body_in_text
from .render import TEMPLATE_DIR

TITLE = "Wijzigingsvoorstel"
UNCLASSIFIED_TITLE = capital(UNCLASSIFIED)
REDACTIONAL_TITLE = capital(REDACTIONAL)
SIGN_FIELDS = ("Besluit", "Datum", "Door wie", "Handtekening")


def say(phrase) -> str:
    """Return a finding's phrase (words with Amounts, Months, ...) as Dutch text: the one place they are formatted."""
    if isinstance(phrase, str):
        return phrase
    out = []
    for part in phrase:
        if isinstance(part, Amount):
            out.append(euro_delta(part.value) if part.signed else euro(part.value))
        elif isinstance(part, Month):
            out.append(month(part.value))
        elif isinstance(part, Day):
            out.append(long_date(part.value))
        elif isinstance(part, Quantity):
            out.append(counted(part.value, part.unit))
        else:
            out.append(str(part))
    return "".join(out)


def _fix_first(impact: Impact) -> str:
    """Return the step that comes before any decision when the new version breaks the rules, or ''."""
    if not impact.fouten:
        return ""
    return (f"Herstel eerst {counted(impact.fouten, 'fout')} in de nieuwe versie (zie de eerste pagina): "
            "zo kan zij niet worden vastgesteld")


def _because(reasons) -> str:
    return "; ".join(r[0].lower() + r[1:] for r in reasons)


def proposal_markdown(impact: Impact, level: int = 2, versions: tuple = ()) -> str:
    """Return the Wijzigingsvoorstel as Markdown with task-list checkboxes, headings from `level`.

    `versions` is ((role, label, status), ...), e.g. ('Van', 'v1.0 (…)', 'Vastgesteld door …').
    """
    h, hh = "#" * level, "#" * (level + 1)
    out = [f"{h} {TITLE}", "",
           f"Wat deze wijziging volgens de wijzigingsprocedure van {markdown_text(impact.region_naam)} vraagt "
           f"(regels uit de {markdown_text(impact.procedure_from)}). Werk de lijst af en onderteken het besluit.", ""]
    out += [f"- {role}: {markdown_text(label)}, status: **{markdown_text(status)}**" for role, label, status in versions]
    out += [""] if versions else []
    out += [f"{hh} Wat verandert er", ""]
    if impact.findings:
        out += ["| Soort wijziging | Wijziging | Besluit | Volgens | DUS-I-melding |", "|---|---|---|---|---|"]
        for f in impact.findings:
            what = say(f.titel) + (": " + "; ".join(say(d) for d in f.details) if f.details else "")
            out.append(f"| {markdown_text(f.label)} | {markdown_text(what)} | {markdown_text(body_in_text(f.rule.besluit))} | "
                       f"{markdown_text(say(f.grond))} | {'ja' if f.dusi_melding else 'nee'} |")
    else:
        out.append("Geen wijziging die onder een regel van de wijzigingsprocedure valt.")
    out.append("")
    checks = impact.checks()
    out += [f"{hh} Stappen", ""]
    if impact.fouten:
        out.append(f"- [ ] {markdown_text(_fix_first(impact))}")
    for text in checks:
        out.append(f"- [ ] Volgens de procedure: {markdown_text(text)}")
    for step in impact.decisions():
        out.append(f"- [ ] Besluit door {markdown_text(body_in_text(step.key))} over: "
                   f"{markdown_text(_because(step.waarom))} (regels {markdown_text(', '.join(step.regels))})")
    if not impact.findings:
        out.append("- [ ] Beoordeel de wijzigingen hieronder en leg vast wie erover besluit")
    out += ["", f"{hh} Informeren", ""]
    out += [f"- [ ] {markdown_text(s.wie)} (vanwege: {markdown_text(_because(s.waarom))})"
            for s in impact.informing()] or ["Niemand volgens de regels."]
    out += ["", f"{hh} Vastleggen", ""]
    out += [f"- [ ] {markdown_text(s.wie)} (vanwege: {markdown_text(_because(s.waarom))})"
            for s in impact.records()] or ["Niets volgens de regels."]
    out += ["", f"{hh} DUS-I-melding", ""]
    verdict, explanation = _dusi(impact)
    out.append(f"**{verdict}** {markdown_text(explanation)}")
    out += ["", f"{hh} {UNCLASSIFIED_TITLE}", ""]
    if impact.unclassified:
        out.append("Deze wijzigingen vallen onder geen regel van de wijzigingsprocedure. "
                   "Beoordeel per wijziging wie besluit en wie geïnformeerd wordt.")
        out.append("")
        for f in impact.unclassified:
            out.append(f"- [ ] {_finding_text(f)}")
    else:
        out.append("Geen: elke wijziging valt onder een regel van de wijzigingsprocedure.")
    if impact.redactional:
        out += ["", f"{hh} {REDACTIONAL_TITLE}", "",
                "Deze wijzigingen zijn volgens de wijzigingsprocedure redactioneel: ter kennisname, zonder besluit.", ""]
        out += [f"- {_finding_text(f)}" for f in impact.redactional]
    out += ["", f"{hh} Besluit", ""]
    blocks = signature_blocks(impact)
    if len(blocks) > 1:
        out += ["Elk orgaan dat besluit, tekent zijn eigen blok.", ""]
    for title, about in blocks:
        if title:
            out += [f"{hh}# {markdown_text(title)}", ""]
        if about:
            out += [f"Over: {markdown_text(about)}.", ""]
        out += ["| | |", "|---|---|"]
        out += [f"| {name} | ____________________________ |" for name in SIGN_FIELDS]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _finding_text(finding) -> str:
    """Return a finding and its details as Markdown text: `titel (detail; detail)`."""
    details = f" ({'; '.join(say(d) for d in finding.details)})" if finding.details else ""
    return markdown_text(say(finding.titel) + details)


def signature_blocks(impact: Impact) -> list[tuple[str, str]]:
    """Return (title, what it is about) per body that decides, weightiest first; one untitled block if none does."""
    return [(f"Besluit van {body_in_text(step.key)}", _because(step.waarom)) for step in impact.decisions()] or [("", "")]


def _dusi(impact: Impact) -> tuple[str, str]:
    """Return whether a DUS-I-melding is needed, and what to do about it."""
    if impact.dusi_melding:
        why = [say(f.titel) for f in impact.findings if f.dusi_melding]
        return "Nodig: ja.", f"Meld onverwijld met het DUS-I-wijzigingsformulier ({DUSI_ADDRESS}): {'; '.join(why)}."
    return "Nodig: nee", "(volgens de regels van de wijzigingsprocedure)."


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
    env.filters["because"] = _because
    env.filters["say"] = say
    return env


def proposal_html(impact: Impact, versions: tuple = ()) -> str:
    """Return the Wijzigingsvoorstel as an HTML section (for the redline document)."""
    return _environment().get_template("wijzigingsvoorstel.html").render(
        impact=impact, title=TITLE, unclassified_title=UNCLASSIFIED_TITLE, redactional_title=REDACTIONAL_TITLE,
        fix_first=_fix_first(impact), dusi_text=" ".join(_dusi(impact)),
        sign_fields=SIGN_FIELDS, body_of=body_in_text, versions=versions,
        signature_blocks=signature_blocks(impact))


def with_proposal(redline_html: str, impact: Impact, versions: tuple = ()) -> str:
    """Return the redline HTML with the Wijzigingsvoorstel as its second part, after the overview."""
    section = proposal_html(impact, versions)
    marker = '<section class="redline-document'
    at = redline_html.find(marker)
    if at < 0:
        at = redline_html.rindex("</body>")
    return redline_html[:at] + section + "\n" + redline_html[at:]
