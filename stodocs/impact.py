"""What a change requires: classify every change in a change set by the region's change procedure.

Each Change from diff.py ends up in at least one Finding. A Finding with a `soort` carries the rule
of the region's wijzigingsprocedure (who decides, whom to inform, what to record); a Finding without
one is listed for the stuurgroep to judge ("niet geclassificeerd – beoordelen"). The rules in force
are those of the old version: a proposal cannot change the procedure by which it is itself decided.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Union

from .diff.changeset import BudgetComparison, ChangeSet, TotalsComparison
from .diff.summary import word_changes
from .formatting import capital, plural
from .model import (BODIES, CATEGORIES, CHANGE_KINDS, PROCEDURE_WORDS, RECORD_STEPS, ChangeRule, Procedure, Region,
                    Totals)

# Who decides: the bodies, weightiest first.
DECIDERS = {key: capital(PROCEDURE_WORDS[key]) for key in BODIES}
# Whom to inform, in checklist order.
AUDIENCES = {key: capital(PROCEDURE_WORDS[key]) for key in (
    "penvoerder", "projectleider", "stuurgroep", "programmamanager", "bestuurlijk-overleg", "regiocoordinator",
    "partnerscholen", "dus-i")}
RECORDS = RECORD_STEPS
DUSI_RECORD = "dus-i-wijzigingsformulier"
UNCLASSIFIED = "niet geclassificeerd – beoordelen"
REDACTIONAL = "redactioneel – geen besluit nodig"
PEOPLE_TITLE = "Personen of rollen gewijzigd"
# Fields of a person that are their role in the region; a changed name or e-mail address is not.
ROLE_FIELDS = ("functie", "rol", "partner", "stuurgroep")
# The BudgetComparison mappings a shift is measured over, and how to say it. Shifts between lines are
# measured too, but said line by line.
SHIFT_DIMENSIONS = (
    ("per_jaar", "tussen jaren"),
    ("per_categorie", "tussen kostencategorieën"),
    ("per_activiteit", "tussen activiteiten"),
    ("per_programmalijn", "tussen programmalijnen"),
    ("per_regel", "tussen begrotingsregels"),
)
# Fields of a budget line that move its money elsewhere without changing its total.
PLACE_FIELDS = ("activiteit", "categorie", "jaar")
# Fields of a budget line that are only its words: a change there is redactional.
LINE_WORDS = ("omschrijving", "toelichting", "eenheid")


# --- what a finding says: words with numbers, formatted only by the reporter (proposal.py) ---------------------

@dataclass(frozen=True)
class Amount:
    """Money in a finding's text; `signed` shows it as a mutatie (+ or −)."""

    value: Decimal
    signed: bool = False


@dataclass(frozen=True)
class Month:
    value: str  # YYYY-MM


@dataclass(frozen=True)
class Day:
    value: str  # YYYY-MM-DD


@dataclass(frozen=True)
class Quantity:
    """A number of units of a budget line: `2400 uur`."""

    value: Decimal
    unit: str


@dataclass(frozen=True)
class Count:
    """A number of things: `3 fouten`."""

    value: int
    word: str


@dataclass(frozen=True)
class Years:
    """The years something runs: `2027`, `2027 en 2028`, `2025–2028`."""

    values: tuple[int, ...]


Part = Union[str, Amount, Month, Day, Quantity, Count, Years]
Phrase = tuple  # of Parts, said in order


def words(*parts) -> Phrase:
    """Return a phrase from parts; nested phrases are flattened, empty strings dropped."""
    out: list = []
    for part in parts:
        if isinstance(part, tuple):
            out += list(words(*part))
        elif part != "":
            out.append(part)
    return tuple(out)


def joined(items: list[Phrase], last: str = " en ") -> Phrase:
    """Return `a, b en c` of phrases."""
    if len(items) <= 1:
        return words(*items)
    out = []
    for i, item in enumerate(items):
        out.append(item)
        if i < len(items) - 2:
            out.append(", ")
        elif i == len(items) - 2:
            out.append(last)
    return words(*out)


@dataclass(frozen=True)
class Finding:
    """One consequence of the change: a class of the procedure (or None), what it is about, and the changes behind it.

    `titel` and `details` are phrases (words with Amounts, Months, ...); `grond` says which rule of the region
    applies and, for a threshold, how the change measures against it.
    """

    soort: str | None
    titel: Phrase
    details: tuple[Phrase, ...] = ()
    changes: tuple[Any, ...] = ()
    rule: ChangeRule | None = None
    bedrag: Decimal | None = None
    grond: Phrase = ()
    redactioneel: bool = False

    @property
    def label(self) -> str:
        if self.rule is not None:
            return self.rule.naam
        if self.soort:
            return CHANGE_KINDS.get(self.soort, self.soort)
        return REDACTIONAL if self.redactioneel else UNCLASSIFIED

    @property
    def dusi_melding(self) -> bool:
        return self.rule is not None and (DUSI_RECORD in self.rule.vastleggen or "dus-i" in self.rule.informeren)


@dataclass(frozen=True)
class Step:
    """One line of the checklist: what to do, and for whom or about what."""

    key: str  # the procedure's word: 'stuurgroep', 'penvoerder', 'begroting', ...
    wie: str
    waarom: tuple[str, ...]
    regels: tuple[str, ...] = ()  # the rules that ask for this step, by name (ChangeRule.naam)


@dataclass(frozen=True)
class Impact:
    """Every finding of a change set, and the checklist derived from them.

    Holds: every change of the change set is in `changes` of at least one finding.
    """

    region: str
    region_naam: str
    findings: tuple[Finding, ...]
    unclassified: tuple[Finding, ...]
    procedure_from: str  # 'oude versie' or 'nieuwe versie'
    names: dict = field(default_factory=dict)  # audience key -> names of the people/bodies it means
    redactional: tuple[Finding, ...] = ()
    fouten: int = 0  # errors of the new version: it cannot be approved as it is
    zonder_toelichting: tuple[str, ...] = ()  # the budget lines whose mutatie asks for a toelichting, by omschrijving
    sentences: tuple[Phrase, ...] = ()  # what changed, one sentence per change (change_sentences)

    @property
    def all_findings(self) -> tuple[Finding, ...]:
        return self.findings + self.unclassified + self.redactional

    @property
    def dusi_melding(self) -> bool:
        return any(f.dusi_melding for f in self.findings)

    def open_steps(self) -> list[Phrase]:
        """Return what must be done before anyone can decide: errors fixed, toelichtingen written, changes judged."""
        steps: list[Phrase] = []
        if self.fouten:
            steps.append(words("herstel ", Count(self.fouten, "fout"), " in de nieuwe versie: zo kan zij niet worden "
                               "vastgesteld"))
        if self.zonder_toelichting:
            steps.append(words("schrijf een toelichting bij ", joined([("'", name, "'") for name in
                                                                        self.zonder_toelichting]),
                               ": de mutatie is groter dan de drempel voor een toelichting"))
        if self.unclassified:
            steps.append(words("beoordeel ", Count(len(self.unclassified), "wijziging"), " die onder geen regel van "
                               "de wijzigingsprocedure ", "valt" if len(self.unclassified) == 1 else "vallen",
                               ": wie besluit en wie wordt geïnformeerd"))
        return steps

    def decisions(self) -> list[Step]:
        """Return one step per deciding body, the weightiest first, with the classes it decides on."""
        return self._steps(lambda rule: (rule.besluit,), DECIDERS)

    def informing(self) -> list[Step]:
        return self._steps(lambda rule: rule.informeren, AUDIENCES, with_names=True)

    def records(self) -> list[Step]:
        return self._steps(lambda rule: rule.vastleggen, RECORDS)

    def checks(self) -> list[str]:
        """Return the assessments the region's rules ask for, from their toelichting."""
        seen = []
        for finding in self.findings:
            text = finding.rule.toelichting.strip() if finding.rule else ""
            if text and text not in seen:
                seen.append(text)
        return seen

    def _steps(self, keys, labels: dict, with_names: bool = False) -> list[Step]:
        reasons: dict[str, list[str]] = defaultdict(list)
        rules: dict[str, list[str]] = defaultdict(list)
        for finding in self.findings:
            for key in keys(finding.rule):
                if finding.label not in reasons[key]:
                    reasons[key].append(finding.label)
                if finding.label not in rules[key]:
                    rules[key].append(finding.label)
        order = list(labels)
        ordered = sorted(reasons, key=lambda k: (order.index(k) if k in order else len(order), k))
        steps = []
        for key in ordered:
            label = labels.get(key, key)
            who = self.names.get(key) if with_names else None
            if key == "projectleider" and who and "," in who:
                label = capital(plural(PROCEDURE_WORDS[key]) or label)
            steps.append(Step(key, f"{label} ({who})" if who else label, tuple(reasons[key]), tuple(rules[key])))
        return steps


# --- classification ---------------------------------------------------------------------

def classify(changeset: ChangeSet, old: Region | None, new: Region | None, old_approved: bool = False) -> Impact:
    """Return the impact of `changeset` between the `old` and `new` region models it was made from.

    `old_approved` says whether a body approved the old version: only then is it "de vastgestelde versie".
    """
    changes = changeset.changes
    region = new or old
    fouten = len(changeset.new_errors)
    unread = [_finding(None, ("Bestand ", f.path, " gewijzigd, maar niet te lezen"),
                       [("de wijziging staat regel voor regel in de redline; beoordeel haar nadat het bestand "
                         "is hersteld",)]) for f in changeset.files]
    if region is None:  # neither version could be modelled: only the files' text is compared
        return Impact(changeset.region, changeset.region, (), tuple(unread), "oude versie", {}, (), fouten)
    procedure: Procedure = (old or new).procedure
    found: list[Finding] = []
    if old is None or new is None:
        what = "Nieuwe regio: het hele plan wordt voor het eerst vastgesteld" if old is None else \
            "De regio is verwijderd"
        found.append(_finding(None, what, changes=changes))
        return _impact(region, found + unread, old, fouten)  # no rule of the procedure classifies it

    rule = procedure.rule
    by_entity: dict[str, list] = defaultdict(list)
    for change in changes:
        by_entity[change.entity].append(change)

    not_in_old = ("het regioplan zelf wijzigt: de doelstelling staat niet in de "
                  + ("vastgestelde versie" if old_approved else "vorige versie"))
    new_goal_findings = _goals(by_entity, old, new, rule, found, not_in_old)
    partner_findings = _partners(by_entity.get("partner", []), old, new, rule, found)
    _activities(by_entity.get("activiteit", []), old, new, procedure, found, new_goal_findings, partner_findings,
                not_in_old)
    _people(by_entity.get("persoon", []), old, new, rule, found)
    _budget(by_entity.get("begrotingsregel", []), changeset.budget, old, new, procedure, found)
    _rest(changes, found, rule, old, new)
    lines = new.begroting.lines_by_id
    missing = tuple(lines[i].omschrijving if i in lines else i for i in changeset.budget.toelichting_ontbreekt)
    return _impact(region, found + unread, old, fouten, missing,
                   change_sentences(changeset, old, new, tuple(found + unread)))


def _impact(region: Region, found: list[Finding], old, fouten: int, zonder_toelichting: tuple[str, ...] = (),
            sentences: tuple[Phrase, ...] = ()) -> Impact:
    return Impact(region.id, region.naam, tuple(f for f in found if f.soort),
                  tuple(f for f in found if not f.soort and not f.redactioneel),
                  "oude versie" if old is not None else "nieuwe versie", _names(region),
                  tuple(f for f in found if f.redactioneel), fouten, zonder_toelichting,
                  sentences or tuple(f.titel for f in found))


def _names(region: Region) -> dict:
    """Return who each audience is in this region, for the checklist."""
    partners = region.partners_by_id
    names = {}
    if region.penvoerder in partners:
        names["penvoerder"] = partners[region.penvoerder].naam
    if region.regiocoordinator:
        names["regiocoordinator"] = region.regiocoordinator
    leaders = [p.naam for p in region.personen if p.functie.lower() == "projectleider"]
    if leaders:
        names["projectleider"] = ", ".join(leaders)
    managers = [p.naam for p in region.personen if p.functie.lower() == "programmamanager"]
    if managers:
        names["programmamanager"] = ", ".join(managers)
    schools = [p.naam for p in region.partners if p.is_school and not p.uitgetreden]
    if schools:
        names["partnerscholen"] = ", ".join(schools)
    return names


def _finding(soort: str | None, titel, details=(), changes=(), rule=None, bedrag=None, grond=(),
             redactioneel: bool = False) -> Finding:
    return Finding(soort, words(titel), tuple(words(d) for d in details), tuple(changes), rule, bedrag,
                   words(grond), redactioneel)


def _which(rule: ChangeRule) -> Phrase:
    """Return the rule as a reader names it: `de regel 'Nieuwe activiteit' van de wijzigingsprocedure`."""
    if rule.place is None:
        return ("de standaardregel '", rule.naam, "' van de regeling (de wijzigingsprocedure noemt deze soort niet)")
    return ("de regel '", rule.naam, "' van de wijzigingsprocedure")


def _rule_finding(rule, soort: str, titel, details=(), changes=(), bedrag=None, grond=()) -> Finding:
    found = rule(soort)
    return _finding(soort, titel, details, changes, found, bedrag,
                    words(_which(found), ": " if grond else "", grond))


def _name_of(things: dict, key: str) -> str:
    thing = things.get(key)
    return thing.naam if thing is not None else key


def _goals(by_entity, old: Region, new: Region, rule, found: list, not_in_old: str) -> dict[str, int]:
    """Add a finding per doelstelling that is new; return {doelstelling id: index in found}."""
    index = {}
    old_goals = old.doelstellingen_by_id
    new_goals = new.doelstellingen_by_id
    lines = new.programmalijnen_by_id
    for change in by_entity.get("doelstelling", []):
        goal = new_goals.get(change.id)
        if change.kind == "toegevoegd" and goal is not None and change.id not in old_goals:
            lijn = lines.get(goal.programmalijn)
            index[change.id] = len(found)
            found.append(_rule_finding(
                rule, "nieuwe-doelstelling", f"Nieuwe doelstelling '{goal.naam}'",
                [f"onder programmalijn '{lijn.naam if lijn else goal.programmalijn}'", not_in_old],
                [change]))
        else:
            name = (goal or old_goals.get(change.id))
            found.append(_finding(None, f"Doelstelling '{name.naam if name else change.id}' {change.kind}",
                                  ["een wijziging van het regioplan die de wijzigingsprocedure niet noemt"],
                                  [change]))
    # A programmalijn whose only change is in its doelstellingen is covered by those findings.
    for change in by_entity.get("programmalijn", []):
        fields = {fc.field.split(".")[0].split("[")[0] for fc in change.fields}
        lijn = lines.get(change.id)
        own_new_goals = [i for g, i in index.items() if lijn and new_goals[g].programmalijn == lijn.id]
        if change.kind == "gewijzigd" and fields <= {"doelstellingen"} and own_new_goals:
            i = own_new_goals[0]
            found[i] = _with_change(found[i], change)
        else:
            naam = lijn or old.programmalijnen_by_id.get(change.id)
            found.append(_finding(None, f"Programmalijn '{naam.naam if naam else change.id}' {change.kind}",
                                  ["een wijziging van het regioplan die de wijzigingsprocedure niet noemt"],
                                  [change]))
    return index


def _with_change(finding: Finding, change, *details) -> Finding:
    new = [words(d) for d in details]
    details = finding.details + tuple(d for d in dict.fromkeys(new) if d not in finding.details)
    return Finding(finding.soort, finding.titel, details, finding.changes + (change,), finding.rule, finding.bedrag,
                   finding.grond, finding.redactioneel)


def _activities(changes, old: Region, new: Region, procedure: Procedure, found: list, goal_findings: dict,
                partner_findings: dict, not_in_old: str) -> None:
    rule = procedure.rule
    old_acts, new_acts = old.activiteiten_by_id, new.activiteiten_by_id
    goals = new.doelstellingen_by_id
    old_goals = old.doelstellingen_by_id
    for change in changes:
        before, after = old_acts.get(change.id), new_acts.get(change.id)
        if change.kind == "toegevoegd" and after is not None:
            goal = goals.get(after.doelstelling)
            serves = (f"dient de bestaande doelstelling '{goal.naam}'" if after.doelstelling in old_goals else
                      f"dient een doelstelling die nog niet in het regioplan staat: "
                      f"'{goal.naam if goal else after.doelstelling}'")
            found.append(_rule_finding(rule, "nieuwe-activiteit", f"Nieuwe activiteit '{after.naam}'",
                                       [serves, ("looptijd ", Month(after.start), " tot en met ", Month(after.eind)),
                                        ("trekker ", _name_of(new.personen_by_id, after.trekker))],
                                       [change]))
            if after.doelstelling not in old_goals:
                if after.doelstelling in goal_findings:
                    i = goal_findings[after.doelstelling]
                    found[i] = _with_change(found[i], change, f"nodig voor de nieuwe activiteit '{after.naam}'")
                else:
                    goal_findings[after.doelstelling] = len(found)
                    found.append(_rule_finding(
                        rule, "nieuwe-doelstelling",
                        f"Nieuwe doelstelling '{goal.naam if goal else after.doelstelling}'",
                        [f"nodig voor de nieuwe activiteit '{after.naam}'", not_in_old],
                        [change]))
        elif change.kind == "verwijderd" and before is not None:
            found.append(_rule_finding(rule, "activiteit-vervallen", f"Activiteit '{before.naam}' vervalt",
                                       ["de activiteit is uit het activiteitenplan verwijderd; meld dit aan DUS-I"],
                                       [change]))
        elif before is not None and after is not None:
            _changed_activity(change, before, after, old, new, procedure, found, partner_findings)
        else:
            found.append(_finding(None, f"Activiteit '{change.id}' {change.kind}", (), [change]))


def _changed_activity(change, before, after, old: Region, new: Region, procedure: Procedure, found: list,
                      partner_findings) -> None:
    """Split an activity's changed fields over the classes they belong to: substance, delay, persons, or redactional."""
    rule = procedure.rule
    fields = [f for f in ("naam", "doelstelling", "omschrijving", "resultaten", "status", "start", "eind",
                          "trekker", "partners") if getattr(before, f) != getattr(after, f)]
    title = f"'{after.naam}'"
    left = set(fields)
    if after.status == "vervallen" and before.status != "vervallen":
        found.append(_rule_finding(rule, "activiteit-vervallen", f"Activiteit {title} vervalt",
                                   [f"status {before.status} → vervallen"], [change]))
        left.discard("status")
    delayed = []
    if after.status == "vertraagd" and before.status != "vertraagd":
        delayed.append(f"status {before.status} → vertraagd")
        left.discard("status")
    if after.eind > before.eind:
        delayed.append(("eind ", Month(before.eind), " → ", Month(after.eind)))
        left.discard("eind")
    if after.start > before.start:
        delayed.append(("start ", Month(before.start), " → ", Month(after.start)))
        left.discard("start")
    if delayed:
        found.append(_rule_finding(rule, "activiteit-vertraagd", f"Activiteit {title} vertraagd", delayed, [change]))
    if "trekker" in left:  # a new trekker is a change of persons, whatever else it is
        people = old.personen_by_id | new.personen_by_id
        found.append(_rule_finding(rule, "personen-gewijzigd", f"Nieuwe trekker voor activiteit {title}",
                                   [f"trekker {_name_of(people, before.trekker)} → {_name_of(people, after.trekker)}"],
                                   [change]))
        if "trekker" not in procedure.inhoudelijk:
            left.discard("trekker")
    if "partners" in left:
        # A partner that joins or leaves the region joins or leaves its activities: part of that finding.
        added = [p for p in after.partners if p not in before.partners]
        removed = [p for p in before.partners if p not in after.partners]
        if (added or removed) and all(p in partner_findings for p in added + removed):
            for p in added + removed:
                i = partner_findings[p]
                verb = "doet mee aan" if p in added else "stopt met"
                found[i] = _with_change(found[i], change, f"{verb} activiteit '{after.naam}'")
            left.discard("partners")
    substance = [f for f in fields if f in left and f in procedure.inhoudelijk]
    if substance:
        found.append(_rule_finding(rule, "activiteit-gewijzigd", f"Activiteit {title} inhoudelijk gewijzigd",
                                   _activity_details(before, after, substance, old, new), [change],
                                   grond=("inhoudelijk zijn: ", ", ".join(procedure.inhoudelijk))))
        left -= set(substance)
    if left:
        found.append(_finding(None, f"Activiteit {title} redactioneel gewijzigd",
                              _activity_details(before, after, [f for f in fields if f in left], old, new),
                              [change], redactioneel=True))


def _activity_details(before, after, fields, old: Region, new: Region) -> list:
    """Say each changed field of an activity, with names for the ids it refers to."""
    goals = old.doelstellingen_by_id | new.doelstellingen_by_id
    people = old.personen_by_id | new.personen_by_id
    partners = old.partners_by_id | new.partners_by_id
    out = []
    for name in fields:
        old_value, new_value = getattr(before, name), getattr(after, name)
        if name == "naam":
            out.append(f"naam '{old_value}' → '{new_value}'")
        elif name == "doelstelling":
            out.append(f"doelstelling '{_name_of(goals, old_value)}' → '{_name_of(goals, new_value)}'")
        elif name == "trekker":
            out.append(f"trekker {_name_of(people, old_value)} → {_name_of(people, new_value)}")
        elif name == "omschrijving":
            out.append("omschrijving gewijzigd")
        elif name == "resultaten":
            out.append("beoogde resultaten gewijzigd")
        elif name in ("start", "eind"):
            out.append((f"{name} ", Month(old_value), " → ", Month(new_value)))
        elif name == "partners":
            added = [_name_of(partners, x) for x in new_value if x not in old_value]
            removed = [_name_of(partners, x) for x in old_value if x not in new_value]
            parts = ([f"erbij: {', '.join(added)}"] if added else []) + \
                    ([f"eraf: {', '.join(removed)}"] if removed else [])
            out.append(f"partners: {'; '.join(parts) or 'volgorde gewijzigd'}")
        else:
            out.append(f"{name}: {old_value} → {new_value}")
    return out


def _partners(changes, old: Region, new: Region, rule, found: list) -> dict[str, int]:
    """Add joining and leaving partners; return {partner id: index of its finding in found}."""
    joined: dict[str, int] = {}
    old_p, new_p = old.partners_by_id, new.partners_by_id
    for change in changes:
        before, after = old_p.get(change.id), new_p.get(change.id)
        if change.kind == "toegevoegd" and after is not None:
            joined[after.id] = len(found)
            details = [f"soort: {after.soort}" + (f", {after.plaats}" if after.plaats else "")]
            if after.profielen:
                details.append("profielen: " + ", ".join(after.profielen))
            if after.leerwegen:
                details.append("leerwegen: " + ", ".join(after.leerwegen))
            if after.toegetreden:
                details.append(("toegetreden per ", Day(after.toegetreden)))
            found.append(_rule_finding(rule, "partner-toetreding", f"Toetreding van {after.naam}", details, [change]))
        elif change.kind == "verwijderd" and before is not None:
            joined[before.id] = len(found)
            found.append(_rule_finding(rule, "partner-uittreding", f"Uittreding van {before.naam}",
                                       ["de partner is uit de lijst van partners verwijderd"], [change]))
        elif before is not None and after is not None and after.uitgetreden and not before.uitgetreden:
            joined[after.id] = len(found)
            found.append(_rule_finding(rule, "partner-uittreding", f"Uittreding van {after.naam}",
                                       [("uitgetreden per ", Day(after.uitgetreden))], [change]))
        else:
            naam = (after or before).naam if (after or before) else change.id
            found.append(_finding(None, f"Gegevens van partner {naam} gewijzigd",
                                  [f"{fc.field}: {fc.old} → {fc.new}" for fc in change.fields], [change]))
    return joined


def _people(changes, old: Region, new: Region, rule, found: list) -> None:
    """Add who comes, goes or changes role to one finding; other changed details stay for assessment."""
    old_p, new_p = old.personen_by_id, new.personen_by_id
    partners = old.partners_by_id | new.partners_by_id
    for change in changes:
        before, after = old_p.get(change.id), new_p.get(change.id)
        role = [fc for fc in change.fields if fc.field in ROLE_FIELDS]
        other = [fc for fc in change.fields if fc.field not in ROLE_FIELDS]
        naam = (after or before).naam if (after or before) else change.id
        if change.kind == "toegevoegd" and after:
            details = [f"{after.naam} komt erbij als {after.functie}"]
        elif change.kind == "verwijderd" and before:
            details = [f"{before.naam} ({before.functie}) vertrekt"]
        else:
            details = [_role_detail(naam, fc, partners) for fc in role]
        if details:
            same = next((i for i, f in enumerate(found) if f.titel == words(PEOPLE_TITLE)), None)
            if same is None:
                found.append(_rule_finding(rule, "personen-gewijzigd", PEOPLE_TITLE, details, [change]))
            else:
                found[same] = _with_change(found[same], change, *details)
        if other:
            found.append(_finding(None, f"Gegevens van {naam} gewijzigd",
                                  [f"{fc.field}: {fc.old or '(leeg)'} → {fc.new or '(leeg)'}" for fc in other],
                                  [change]))


def _role_detail(naam: str, change, partners: dict) -> str:
    if change.field == "stuurgroep":
        return f"{naam} {'komt in' if change.new else 'verlaat'} de stuurgroep"
    if change.field == "functie":
        return f"{naam}: {change.old} → {change.new}"
    if change.field == "partner":
        return f"{naam}: partner {_name_of(partners, change.old)} → {_name_of(partners, change.new)}"
    return f"{naam}: {change.field} {change.old} → {change.new}"


# --- the budget ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Shift:
    """Money moved within one dimension (years, categories, ...): where it came from, where it went, the balance.

    Holds: sum of `targets` − sum of `sources` == `saldo`; `moved` = min(sum of sources, sum of targets).
    """

    dimension: str
    label: str
    sources: tuple[tuple[str, Decimal], ...]  # name, amount that left (positive)
    targets: tuple[tuple[str, Decimal], ...]  # name, amount that came (positive)

    @property
    def moved(self) -> Decimal:
        return min(sum((d for _, d in self.sources), Decimal(0)), sum((d for _, d in self.targets), Decimal(0)))

    @property
    def saldo(self) -> Decimal:
        return sum((d for _, d in self.targets), Decimal(0)) - sum((d for _, d in self.sources), Decimal(0))


def _budget(changes, budget: BudgetComparison, old: Region, new: Region, procedure: Procedure, found: list) -> None:
    """Classify the budget as a whole: shifts, the total subsidie and the cofinanciering norm."""
    money_changes = [c for c in changes if c.id in budget.per_regel]
    if not changes and not budget.totaal.changed and not budget.cofinanciering_bedrijven.changed:
        return
    rule = procedure.rule
    covered: list = []
    shifts = _shifts(budget, old, new)
    moved = max((s.moved for s in shifts), default=Decimal(0))
    lines = [_line_detail(c, budget, old, new) for c in money_changes]
    if moved > 0:
        above = moved > procedure.drempel_verschuiving
        soort = "verschuiving-boven-drempel" if above else "verschuiving-onder-drempel"
        details = [_shift_detail(s, budget) for s in shifts if s.dimension != "per_regel"] + lines
        found.append(_rule_finding(rule, soort, ("Verschuiving van ", Amount(moved), " in de begroting"), details,
                                   money_changes, moved,
                                   grond=(Amount(moved), " verschoven, ", "meer dan" if above else "niet meer dan",
                                          " de drempel van ", Amount(procedure.drempel_verschuiving))))
        covered += money_changes
    old_t, new_t = budget.totaal.old, budget.totaal.new
    if old_t.subsidie != new_t.subsidie:
        delta = new_t.subsidie - old_t.subsidie
        found.append(_rule_finding(
            rule, "subsidie-gewijzigd", "Totale subsidie gewijzigd",
            [("subsidie van ", Amount(old_t.subsidie), " naar ", Amount(new_t.subsidie), ", ", Amount(delta, True))]
            + ([("totale kosten van ", Amount(old_t.totaal), " naar ", Amount(new_t.totaal), ", ",
                 Amount(new_t.totaal - old_t.totaal, True))] if old_t.totaal != new_t.totaal else [])
            + ([] if covered else lines),
            [c for c in money_changes if c not in covered] or money_changes, delta,
            grond=("de totale subsidie wijzigt met ", Amount(delta, True))))
        covered += money_changes
    bedrijven, norm = budget.cofinanciering_bedrijven, budget.cofinanciering_norm
    if bedrijven.new < norm.new and (bedrijven.old >= norm.old or bedrijven.changed):
        found.append(_rule_finding(
            rule, "cofinanciering-onder-norm", "Cofinanciering door bedrijven onder de norm van 10%",
            [("cofinanciering door bedrijven van ", Amount(bedrijven.old), " naar ", Amount(bedrijven.new), ", ",
              Amount(bedrijven.mutatie, True)),
             ("nodig is minstens ", Amount(norm.new), " (10% van ", Amount(new_t.totaal), "); er ontbreekt ",
              Amount(norm.new - bedrijven.new))],
            [c for c in changes if c not in covered], norm.new - bedrijven.new,
            grond=(Amount(bedrijven.new), " is minder dan de norm van ", Amount(norm.new))))
        covered += changes
    rest = [c for c in changes if c not in covered]
    for change in rest:
        if change.kind == "gewijzigd" and all(fc.field in LINE_WORDS for fc in change.fields):
            found.append(_finding(None, ("Begrotingsregel '", _line_name(change), "' redactioneel gewijzigd"),
                                  [", ".join(fc.field for fc in change.fields) + " gewijzigd"], [change],
                                  redactioneel=True))
        else:
            found.append(_finding(None, "Begrotingsregel gewijzigd zonder verschuiving of gevolg voor de subsidie",
                                  [_line_detail(change, budget, old, new)], [change]))


def _line_name(change) -> str:
    snap = change.new or change.old or {}
    return str(snap.get("omschrijving") or change.id)


def _line_detail(change, budget: BudgetComparison, old: Region, new: Region) -> Phrase:
    """Say one line's mutatie: `regel 'X' (activiteit, 2027): van € a naar € b, − € c (aantal 2.400 → 2.200 uur)`."""
    activities = old.activiteiten_by_id | new.activiteiten_by_id
    partners = old.partners_by_id | new.partners_by_id
    snap = change.new or change.old
    same = Totals(snap["totaal"], snap["subsidie"], snap["cofinanciering"])
    comparison = budget.per_regel.get(change.id) or TotalsComparison(same, same, same - same)
    where = (_name_of(activities, snap["activiteit"]), ", ", str(snap["jaar"]), ", ",
             CATEGORIES.get(snap["categorie"], snap["categorie"]).lower())
    head = ("regel '", _line_name(change), "' (", *where, ")")
    mutatie = (": van ", Amount(comparison.old.totaal), " naar ", Amount(comparison.new.totaal), ", ",
               Amount(comparison.mutatie.totaal, True))
    if change.kind == "toegevoegd":
        return words("nieuwe ", head, mutatie)
    if change.kind == "verwijderd":
        return words(head, " vervalt", mutatie)
    fields = []
    for fc in change.fields:
        if fc.field == "aantal":
            fields.append(("aantal ", Quantity(fc.old, change.old["eenheid"]), " → ",
                           Quantity(fc.new, change.new["eenheid"])))
        elif fc.field in ("prijs", "cofinanciering"):
            fields.append((fc.field, " ", Amount(fc.old), " → ", Amount(fc.new)))
        elif fc.field == "activiteit":
            fields.append(("activiteit ", _name_of(activities, fc.old), " → ", _name_of(activities, fc.new)))
        elif fc.field == "categorie":
            fields.append(("categorie ", CATEGORIES.get(fc.old, fc.old).lower(), " → ",
                           CATEGORIES.get(fc.new, fc.new).lower()))
        elif fc.field == "jaar":
            fields.append(("jaar ", str(fc.old), " → ", str(fc.new)))
        elif fc.field == "cofinancier":
            fields.append(("cofinancier ", _name_of(partners, fc.old) if fc.old else "(geen)", " → ",
                           _name_of(partners, fc.new) if fc.new else "(geen)"))
    said = (" (", joined(fields, "; "), ")") if fields else ()
    if comparison.mutatie.totaal == 0:
        moved = any(fc.field in PLACE_FIELDS for fc in change.fields)
        return words(head, ": ", Amount(comparison.new.totaal), " blijft", ", maar verschuift" if moved else "", said)
    return words(head, mutatie, said)


def _shifts(budget: BudgetComparison, old: Region, new: Region) -> list[Shift]:
    """Return per dimension that moved money (some key went up and another down) where it came from and went."""
    names = {**_shift_names(old), **_shift_names(new)}
    out = []
    for dimension, label in SHIFT_DIMENSIONS:
        comparisons: dict[Any, TotalsComparison] = getattr(budget, dimension)
        moves = [(names.get((dimension, key), str(key)), c.mutatie.totaal) for key, c in comparisons.items()
                 if c.mutatie.totaal != 0]
        sources = tuple((k, -d) for k, d in moves if d < 0)
        targets = tuple((k, d) for k, d in moves if d > 0)
        if sources and targets:
            out.append(Shift(dimension, label, sources, targets))
    return out


def _shift_names(region: Region) -> dict[tuple[str, Any], str]:
    """Return the human name of each key of the BudgetComparison mappings that has one."""
    names: dict[tuple[str, Any], str] = {("per_programmalijn", p.id): p.naam for p in region.programmalijnen}
    names.update({("per_activiteit", a.id): a.naam for a in region.activiteiten})
    names.update({("per_categorie", key): naam.lower() for key, naam in CATEGORIES.items()})
    names.update({("per_regel", l.id): l.omschrijving for l in region.begroting.lines})
    return names


def _shift_detail(shift: Shift, budget: BudgetComparison) -> Phrase:
    """Say a shift so that it adds up: `tussen jaren: van 2026 (€ a) naar 2027 (€ b) en 2028 (€ c); ...`."""
    def side(keyed) -> Phrase:
        return joined([(name, " (", Amount(amount), ")") for name, amount in keyed])
    said = words(shift.label, ": van ", side(shift.sources), " naar ", side(shift.targets))
    if shift.saldo == 0:
        return said
    total = budget.totaal.mutatie.totaal
    if shift.saldo == total:
        verb = "stijgen" if total > 0 else "dalen"
        return words(said, "; het verschil: de totale kosten ", verb, " met ", Amount(abs(total)))
    return words(said, "; per saldo ", Amount(shift.saldo, True))


def _rest(changes, found: list, rule, old: Region, new: Region) -> None:
    """Texts, the reglement, region facts, and anything not yet covered: nothing is dropped."""
    covered = {id(c) for f in found for c in f.changes}
    reglement: list = []
    for change in changes:
        if id(change) in covered:
            continue
        if change.document == "huishoudelijk-reglement" or change.entity == "wijzigingsregel":
            if change.kind == "verplaatst" and not change.fields:
                found.append(_moved(change))
            else:
                reglement.append(change)
        elif change.entity == "regio" and any(fc.field == "maximale_subsidie" for fc in change.fields):
            found.append(_rule_finding(rule, "subsidie-gewijzigd", "Maximale subsidie van de regio gewijzigd",
                                       [("maximale subsidie van ", Amount(fc.old), " naar ", Amount(fc.new))
                                        if fc.field == "maximale_subsidie" and fc.old is not None and fc.new is not None
                                        else f"{fc.field}: {fc.old} → {fc.new}" for fc in change.fields], [change]))
        elif change.kind == "verplaatst" and not change.fields:
            found.append(_moved(change))
        else:
            where = f" in het {change.document.replace('-', ' ')}" if change.document else ""
            label = getattr(change, "label", change.id)
            details = [f"{fc.field} gewijzigd" for fc in change.fields[:5] if fc.field != "tekst"]
            if any(fc.field == "tekst" for fc in change.fields):
                details += word_changes(change.old["tekst"], change.new["tekst"])
            details += [f"link '{link.tekst}': {link.old} → {link.new}" for link in change.links]
            found.append(_finding(None, f"{change.entity.capitalize()} '{label}' {change.kind}{where}", details,
                                  [change]))
    if reglement:
        details = sorted({"tekst van het reglement" if c.entity == "tekst" else
                          f"wijzigingsprocedure: {c.id}" for c in reglement})
        found.append(_rule_finding(rule, "reglement-gewijzigd", "Huishoudelijk reglement gewijzigd", details,
                                   reglement))


def _moved(change) -> Finding:
    label = getattr(change, "label", change.id)
    where = f" in het {change.document.replace('-', ' ')}" if change.document else ""
    return _finding(None, f"Verplaatst: {change.entity} '{label}'{where}",
                    ["alleen verplaatst, de tekst is gelijk; geen besluit nodig"], [change], redactioneel=True)


# --- what changed, in sentences a member reads aloud -------------------------------------------------------------

BUDGET_SOORTEN = ("verschuiving-boven-drempel", "verschuiving-onder-drempel", "cofinanciering-onder-norm")
DETAILS_IN_SENTENCE = 2  # a sentence names at most this many details of a finding; the proposal has them all


def change_sentences(changeset: ChangeSet, old: Region, new: Region, findings: tuple[Finding, ...]) -> tuple[Phrase, ...]:
    """Return one sentence per change: the budget per activity, the totals, then every other finding in its words."""
    budget_said, covered = _budget_sentences(changeset, old, new)
    out = list(budget_said)
    for finding in findings:
        if finding.soort in BUDGET_SOORTEN or _only_budget(finding):
            continue
        if finding.soort == "subsidie-gewijzigd" and all(c.entity == "begrotingsregel" for c in finding.changes):
            continue  # the totals sentence says it
        if finding.soort == "nieuwe-activiteit" and all(c.id in covered for c in finding.changes):
            continue
        shown = finding.details[:DETAILS_IN_SENTENCE] if not finding.redactioneel else ()
        more = len(finding.details) - len(shown)
        tail = words(": ", joined(list(shown), "; "), f" (en {more} meer)" if more else "") if shown else ()
        out.append(words(finding.titel, tail))
    return tuple(out)


def _only_budget(finding: Finding) -> bool:
    return bool(finding.changes) and all(getattr(c, "entity", "") == "begrotingsregel" for c in finding.changes)


def _budget_sentences(changeset: ChangeSet, old: Region, new: Region) -> tuple[list[Phrase], set[str]]:
    """Return the budget's sentences (new, dropped, richer and poorer activities; the totals), and the new
    activities they name."""
    budget = changeset.budget
    if not changeset.budget_changed:
        return [], set()
    names = {a.id: a.naam for a in old.activiteiten} | {a.id: a.naam for a in new.activiteiten}
    added = [c.id for c in changeset.of("activiteit", "toegevoegd")]
    removed = [c.id for c in changeset.of("activiteit", "verwijderd")]
    lines = [c for c in changeset.of("begrotingsregel")]
    by_activity: dict[str, list] = defaultdict(list)
    for change in lines:
        for snap in {id(s): s for s in (change.old, change.new) if s}.values():
            if change not in by_activity[snap["activiteit"]]:
                by_activity[snap["activiteit"]].append(change)
    per = budget.per_activiteit
    mutatie = {key: c.mutatie.totaal for key, c in per.items()}
    existing = [key for key in per if key not in added and key not in removed]
    sources = [(names.get(k, k), -mutatie[k]) for k in existing if mutatie[k] < 0]
    richer = [k for k in existing if mutatie[k] > 0]
    paid = words(", betaald uit ", joined([(name, " (", Amount(-amount, True), ")") for name, amount in sources]))
    out: list[Phrase] = []
    attach = bool(sources) and (len(added) + len(richer) == 1)
    for key in added:
        total = per[key].new.totaal if key in per else Decimal(0)
        years = tuple(sorted({line.jaar for line in new.begroting.lines if line.activiteit == key}))
        money = (" (", Years(years), ", ", Amount(total), ")") if total else " (nog zonder begroting)"
        out.append(words("Nieuwe activiteit ", names.get(key, key), money, paid if attach else ()))
    for key in removed:
        total = per[key].old.totaal if key in per else Decimal(0)
        out.append(words("Activiteit ", names.get(key, key), " vervalt", (" (", Amount(-total, True), ")") if total
                         else ()))
    for key in richer:
        c = per[key]
        out.append(words("Meer budget voor ", names.get(key, key), ": ", Amount(c.old.totaal), " → ",
                         Amount(c.new.totaal), " (", Amount(c.mutatie.totaal, True), ")", _reasons(by_activity[key]),
                         paid if attach and not added else ()))
    if sources and not attach:
        out.append(words("Minder budget voor ", joined([(name, " (", Amount(-amount, True), ")")
                                                         for name, amount in sources])))
    for key in existing:  # money moved inside one activity: its total stays
        if mutatie[key] == 0 and by_activity.get(key):
            reasons = _reasons(by_activity[key])
            if reasons:
                out.append(words("Binnen ", names.get(key, key), " (", Amount(per[key].new.totaal), " blijft)",
                                 reasons))
    out.append(_totals_sentence(budget))
    return out, set(added)


def _reasons(changes: list) -> Phrase:
    """Say briefly why lines changed: `: aantal 2.400 → 2.628 uur in 2027; nieuwe regel 'X' in 2028`."""
    said = []
    for change in changes:
        snap = change.new or change.old
        year = str(snap["jaar"])
        if change.kind == "toegevoegd":
            said.append(("nieuwe regel '", _line_name(change), "' in ", year))
        elif change.kind == "verwijderd":
            said.append(("regel '", _line_name(change), "' in ", year, " vervalt"))
        else:
            for fc in change.fields:
                if fc.field == "aantal":
                    said.append(("aantal ", Quantity(fc.old, change.old["eenheid"]), " → ",
                                 Quantity(fc.new, change.new["eenheid"]), " in ", year))
                elif fc.field in ("prijs", "cofinanciering"):
                    said.append((fc.field, " ", Amount(fc.old), " → ", Amount(fc.new), " in ", year))
                elif fc.field == "jaar":
                    said.append(("regel '", _line_name(change), "' van ", str(fc.old), " naar ", str(fc.new)))
                elif fc.field == "categorie":
                    said.append(("regel '", _line_name(change), "' naar ",
                                 CATEGORIES.get(fc.new, fc.new).lower()))
    return words(": ", joined(said, "; ")) if said else ()


def _totals_sentence(budget: BudgetComparison) -> Phrase:
    """Say what happens to the whole budget: the totals stay, or rise or fall, and what the subsidie does."""
    t = budget.totaal
    if t.mutatie.totaal == 0 and t.mutatie.subsidie == 0:
        return words("De totale kosten blijven ", Amount(t.new.totaal), " en de subsidie blijft ",
                     Amount(t.new.subsidie))
    verb = "stijgen" if t.mutatie.totaal > 0 else "dalen" if t.mutatie.totaal < 0 else "blijven"
    head = words("De totale kosten ", verb, " ", *(("van ", Amount(t.old.totaal), " naar ", Amount(t.new.totaal),
                                                     " (", Amount(t.mutatie.totaal, True), ")") if t.mutatie.totaal
                                                    else (Amount(t.new.totaal),)))
    if t.mutatie.subsidie == 0:
        return words(head, "; de subsidie blijft ", Amount(t.new.subsidie),
                     ", het verschil is cofinanciering" if t.mutatie.totaal else "")
    return words(head, "; de subsidie gaat van ", Amount(t.old.subsidie), " naar ", Amount(t.new.subsidie), " (",
                 Amount(t.mutatie.subsidie, True), ")")
