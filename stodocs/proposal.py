"""The Wijzigingsvoorstel: an Impact as a checklist the stuurgroep works through and signs (Markdown and HTML)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .formatting import capital, counted, euro, euro_delta, long_date, markdown_text, month
from .impact import REDACTIONAL, UNCLASSIFIED, Amount, Count, Day, Impact, Month, Quantity, Years
from .model import DUSI_ADDRESS, body_in_text
from .render import TEMPLATE_DIR

TITLE = "Wijzigingsvoorstel"
UNCLASSIFIED_TITLE = capital(UNCLASSIFIED)
REDACTIONAL_TITLE = capital(REDACTIONAL)
# The kenmerk is where the decision stands in the minutes: vaststellingen.yaml records it (docs/vaststellen.md).
SIGN_FIELDS = ("Besluit", "Kenmerk van het besluit", "Datum", "Door wie", "Handtekening")


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
        elif isinstance(part, Count):
            out.append(counted(part.value, part.word))
        elif isinstance(part, Years):
            out.append(years(part.values))
        else:
            out.append(str(part))
    return "".join(out)


def years(values: tuple[int, ...]) -> str:
    """Return years as people say them: `2027`, `2027 en 2028`, `2025–2028` (a run), `2025, 2027 en 2028`."""
    if not values:
        return ""
    if len(values) > 2 and list(values) == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}–{values[-1]}"
    text = [str(v) for v in values]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " en " + text[-1]


def open_steps(impact: Impact) -> list[str]:
    """Return what must be done before the decision, as checklist items (errors, toelichtingen, judgements)."""
    return [capital(say(step)) for step in impact.open_steps()]


def rule_names(names) -> str:
    """Return the rules behind a step for readers: `volgens de regel 'Nieuwe activiteit'`, or several."""
    quoted = [f"'{name}'" for name in names]
    if len(quoted) == 1:
        return f"volgens de regel {quoted[0]}"
    return f"volgens de regels {', '.join(quoted[:-1])} en {quoted[-1]}"


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
    for text in open_steps(impact):
        out.append(f"- [ ] {markdown_text(text)}")
    for text in checks:
        out.append(f"- [ ] Volgens de procedure: {markdown_text(text)}")
    for step in impact.decisions():
        out.append(f"- [ ] Besluit door {markdown_text(body_in_text(step.key))} over: "
                   f"{markdown_text(_because(step.waarom))} ({markdown_text(rule_names(step.regels))})")
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
    return "Nodig: nee.", _no_dusi_because(impact)


def _no_dusi_because(impact: Impact) -> str:
    """Return why no melding is needed: none of the rules that apply asks for one (and what is still open)."""
    names = list(dict.fromkeys(f.label for f in impact.findings))
    if names:
        said = rule_names(names).replace("volgens ", "", 1)
        why = f"{capital(said)} {'vraagt' if len(names) == 1 else 'vragen'} geen melding aan DUS-I."
    else:
        why = "Geen regel van de wijzigingsprocedure is van toepassing."
    if impact.unclassified:
        why += " Beoordeel nog of de wijzigingen die onder geen regel vallen een melding vragen."
    return why


@dataclass(frozen=True)
class Verdict:
    """Page 1 of a redline in words: who decides, whether DUS-I must be told, what is open, what changed."""

    deciders: tuple[str, ...]
    dusi: str
    dusi_why: str
    open_steps: tuple[str, ...]
    sentences: tuple[str, ...]


def verdict_of(impact: Impact) -> Verdict:
    """Return the verdict of a change: the region's own rules and words, formatted for people."""
    deciders = tuple(f"{capital(body_in_text(step.key))} besluit over: {_because(step.waarom)} "
                     f"({rule_names(step.regels)})." for step in impact.decisions())
    if not deciders:
        deciders = ("Geen regel van de wijzigingsprocedure wijst aan wie besluit: leg vast wie dat doet.",)
    verdict, explanation = _dusi(impact)
    return Verdict(deciders, verdict, explanation, tuple(f"{text}." for text in open_steps(impact)),
                   tuple(_sentence(phrase) for phrase in impact.sentences))


def _sentence(phrase) -> str:
    text = capital(say(phrase)).rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


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
        open_steps=open_steps(impact), dusi_text=" ".join(_dusi(impact)), rule_names=rule_names,
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
