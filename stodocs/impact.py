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
from typing import Any

from .diff.changeset import BudgetComparison, ChangeSet, TotalsComparison
from .formatting import capital, euro, euro_delta, long_date, month
from .model import BODIES, CATEGORIES, CHANGE_TITLES, PROCEDURE_WORDS, ChangeRule, Procedure, Region

# Who decides: the bodies, weightiest first.
DECIDERS = {key: capital(PROCEDURE_WORDS[key]) for key in BODIES}
# Whom to inform, in checklist order; there may be several projectleiders.
AUDIENCES = {key: capital(PROCEDURE_WORDS[key]) for key in (
    "penvoerder", "projectleider", "stuurgroep", "programmamanager", "bestuurlijk-overleg", "regiocoordinator",
    "partnerscholen", "dus-i")} | {"projectleider": "Projectleider(s)"}
DUSI_ADDRESS = "sto.dus-i@minvws.nl"
RECORDS = {
    "regioplan": "Regioplan aanpassen",
    "activiteitenplan": "Activiteitenplan aanpassen",
    "begroting": "Meerjarenbegroting aanpassen",
    "administratie": "Verslaglegging in de projectadministratie",
    "huishoudelijk-reglement": "Huishoudelijk reglement aanpassen",
    "dus-i-wijzigingsformulier": f"DUS-I-wijzigingsformulier insturen ({DUSI_ADDRESS})",
    "ocw-communicatie": "Communicatie naar OCW",
}
DUSI_RECORD = "dus-i-wijzigingsformulier"
UNCLASSIFIED = "niet geclassificeerd – beoordelen"
PEOPLE_TITLE = "Personen of rollen gewijzigd"
# Fields of a person that are their role in the region; a changed name or e-mail address is not.
ROLE_FIELDS = ("functie", "rol", "partner", "stuurgroep")
# Fields of an activity that are its substance (domain.md, §8: "changed in substance").
SUBSTANCE = ("naam", "omschrijving", "doelstelling", "resultaten")
# The BudgetComparison mappings a shift is measured over, and how to say it.
SHIFT_DIMENSIONS = (
    ("per_programmalijn", "tussen programmalijnen"),
    ("per_categorie", "tussen kostencategorieën"),
    ("per_activiteit", "tussen activiteiten"),
    ("per_jaar", "tussen jaren"),
    ("per_regel", "tussen begrotingsregels"),
)
# Fields of a budget line that move its money elsewhere without changing its total.
PLACE_FIELDS = ("activiteit", "categorie", "jaar")


@dataclass(frozen=True)
class Finding:
    """One consequence of the change: a class of the procedure (or None), what it is about, and the changes behind it."""

    soort: str | None
    titel: str
    details: tuple[str, ...] = ()
    changes: tuple[Any, ...] = ()
    rule: ChangeRule | None = None
    bedrag: Decimal | None = None

    @property
    def label(self) -> str:
        return CHANGE_TITLES.get(self.soort, UNCLASSIFIED) if self.soort else UNCLASSIFIED

    @property
    def dusi_melding(self) -> bool:
        return self.rule is not None and (DUSI_RECORD in self.rule.vastleggen or "dus-i" in self.rule.informeren)


@dataclass(frozen=True)
class Step:
    """One line of the checklist: what to do, and for whom or about what."""

    key: str  # the procedure's word: 'stuurgroep', 'penvoerder', 'begroting', ...
    wie: str
    waarom: tuple[str, ...]


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

    @property
    def all_findings(self) -> tuple[Finding, ...]:
        return self.findings + self.unclassified

    @property
    def dusi_melding(self) -> bool:
        return any(f.dusi_melding for f in self.findings)

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
        for finding in self.findings:
            for key in keys(finding.rule):
                if finding.label not in reasons[key]:
                    reasons[key].append(finding.label)
        order = list(labels)
        ordered = sorted(reasons, key=lambda k: (order.index(k) if k in order else len(order), k))
        steps = []
        for key in ordered:
            label = labels.get(key, key)
            who = self.names.get(key) if with_names else None
            steps.append(Step(key, f"{label} ({who})" if who else label, tuple(reasons[key])))
        return steps


# --- classification ---------------------------------------------------------------------

def classify(changeset: ChangeSet, old: Region | None, new: Region | None, old_approved: bool = False) -> Impact:
    """Return the impact of `changeset` between the `old` and `new` region models it was made from.

    `old_approved` says whether a body approved the old version: only then is it "de vastgestelde versie".
    """
    changes = changeset.changes
    region = new or old
    procedure: Procedure = (old or new).procedure
    found: list[Finding] = []
    if old is None or new is None:
        what = "Nieuwe regio: het hele plan wordt voor het eerst vastgesteld" if old is None else \
            "De regio is verwijderd"
        found.append(Finding(None, what, changes=changes))
        return _impact(region, [], found, old)  # no rule of the procedure classifies it: a finding without one

    rule = procedure.rule
    by_entity: dict[str, list] = defaultdict(list)
    for change in changes:
        by_entity[change.entity].append(change)

    not_in_old = ("het regioplan zelf wijzigt: de doelstelling staat niet in de "
                  + ("vastgestelde versie" if old_approved else "vorige versie"))
    new_goal_findings = _goals(by_entity, old, new, rule, found, not_in_old)
    partner_findings = _partners(by_entity.get("partner", []), old, new, rule, found)
    _activities(by_entity.get("activiteit", []), old, new, rule, found, new_goal_findings, partner_findings,
                not_in_old)
    _people(by_entity.get("persoon", []), old, new, rule, found)
    _budget(by_entity.get("begrotingsregel", []), changeset.budget, old, new, procedure, found)
    _rest(changes, found, rule, old, new)
    classified = [f for f in found if f.soort]
    unclassified = [f for f in found if not f.soort]
    return _impact(region, classified, unclassified, old)


def _impact(region: Region, classified, unclassified, old) -> Impact:
    return Impact(region.id, region.naam, tuple(classified), tuple(unclassified),
                  "oude versie" if old is not None else "nieuwe versie", _names(region))


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


def _rule_finding(rule, soort: str, titel: str, details=(), changes=(), bedrag=None) -> Finding:
    return Finding(soort, titel, tuple(details), tuple(changes), rule(soort), bedrag)


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
            found.append(Finding(None, f"Doelstelling '{name.naam if name else change.id}' {change.kind}",
                                 ("een wijziging van het regioplan die de wijzigingsprocedure niet noemt",),
                                 (change,)))
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
            found.append(Finding(None, f"Programmalijn '{naam.naam if naam else change.id}' {change.kind}",
                                 ("een wijziging van het regioplan die de wijzigingsprocedure niet noemt",),
                                 (change,)))
    return index


def _with_change(finding: Finding, change, *details: str) -> Finding:
    details = finding.details + tuple(d for d in dict.fromkeys(details) if d not in finding.details)
    return Finding(finding.soort, finding.titel, details, finding.changes + (change,), finding.rule, finding.bedrag)


def _activities(changes, old: Region, new: Region, rule, found: list, goal_findings: dict,
                partner_findings: dict, not_in_old: str) -> None:
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
                                       [serves, f"looptijd {month(after.start)} tot en met {month(after.eind)}"],
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
            _changed_activity(change, before, after, rule, found, old_goals, goals, partner_findings)
        else:
            found.append(Finding(None, f"Activiteit '{change.id}' {change.kind}", (), (change,)))


def _changed_activity(change, before, after, rule, found: list, old_goals, goals, partner_findings) -> None:
    """Split an activity's changed fields over the classes they belong to; leftovers stay unclassified."""
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
        delayed.append(f"eind {month(before.eind)} → {month(after.eind)}")
        left.discard("eind")
    if after.start > before.start:
        delayed.append(f"start {month(before.start)} → {month(after.start)}")
        left.discard("start")
    if delayed:
        found.append(_rule_finding(rule, "activiteit-vertraagd", f"Activiteit {title} vertraagd", delayed, [change]))
    substance = [f for f in SUBSTANCE if f in left]
    if substance:
        details = []
        if "naam" in substance:
            details.append(f"naam '{before.naam}' → '{after.naam}'")
        if "doelstelling" in substance:
            old_goal, new_goal = old_goals.get(before.doelstelling), goals.get(after.doelstelling)
            details.append(f"doelstelling '{old_goal.naam if old_goal else before.doelstelling}' → "
                           f"'{new_goal.naam if new_goal else after.doelstelling}'")
        if "omschrijving" in substance:
            details.append("omschrijving gewijzigd")
        if "resultaten" in substance:
            details.append("beoogde resultaten gewijzigd")
        found.append(_rule_finding(rule, "activiteit-gewijzigd", f"Activiteit {title} inhoudelijk gewijzigd",
                                   details, [change]))
        left -= set(substance)
    if "trekker" in left:
        found.append(_rule_finding(rule, "personen-gewijzigd", f"Nieuwe trekker voor activiteit {title}",
                                   [f"trekker {before.trekker} → {after.trekker}"], [change]))
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
    if left:
        found.append(Finding(None, f"Activiteit {title}: {', '.join(sorted(left))} gewijzigd",
                             tuple(_field_details(before, after, sorted(left))), (change,)))


def _field_details(before, after, fields) -> list[str]:
    out = []
    for name in fields:
        old, new = getattr(before, name), getattr(after, name)
        if isinstance(old, tuple):
            added = [x for x in new if x not in old]
            removed = [x for x in old if x not in new]
            parts = ([f"erbij: {', '.join(added)}"] if added else []) + ([f"eraf: {', '.join(removed)}"] if removed else [])
            out.append(f"{name}: {'; '.join(parts) or 'volgorde gewijzigd'}")
        else:
            out.append(f"{name}: {old} → {new}")
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
                details.append(f"toegetreden per {long_date(after.toegetreden)}")
            found.append(_rule_finding(rule, "partner-toetreding", f"Toetreding van {after.naam}", details, [change]))
        elif change.kind == "verwijderd" and before is not None:
            joined[before.id] = len(found)
            found.append(_rule_finding(rule, "partner-uittreding", f"Uittreding van {before.naam}",
                                       ["de partner is uit de lijst van partners verwijderd"], [change]))
        elif before is not None and after is not None and after.uitgetreden and not before.uitgetreden:
            joined[after.id] = len(found)
            found.append(_rule_finding(rule, "partner-uittreding", f"Uittreding van {after.naam}",
                                       [f"uitgetreden per {long_date(after.uitgetreden)}"], [change]))
        else:
            naam = (after or before).naam if (after or before) else change.id
            found.append(Finding(None, f"Gegevens van partner {naam} gewijzigd",
                                 tuple(f"{fc.field}: {fc.old} → {fc.new}" for fc in change.fields), (change,)))
    return joined


def _people(changes, old: Region, new: Region, rule, found: list) -> None:
    """Add who comes, goes or changes role to one finding; other changed details stay for assessment."""
    old_p, new_p = old.personen_by_id, new.personen_by_id
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
            details = [_role_detail(naam, fc) for fc in role]
        if details:
            same = next((i for i, f in enumerate(found) if f.titel == PEOPLE_TITLE), None)
            if same is None:
                found.append(_rule_finding(rule, "personen-gewijzigd", PEOPLE_TITLE, details, [change]))
            else:
                found[same] = _with_change(found[same], change, *details)
        if other:
            found.append(Finding(None, f"Gegevens van {naam} gewijzigd",
                                 tuple(f"{fc.field}: {fc.old or '(leeg)'} → {fc.new or '(leeg)'}" for fc in other),
                                 (change,)))


def _role_detail(naam: str, change) -> str:
    if change.field == "stuurgroep":
        return f"{naam} {'komt in' if change.new else 'verlaat'} de stuurgroep"
    if change.field == "functie":
        return f"{naam}: {change.old} → {change.new}"
    return f"{naam}: {change.field} {change.old} → {change.new}"


def _budget(changes, budget: BudgetComparison, old: Region, new: Region, procedure: Procedure, found: list) -> None:
    """Classify the budget as a whole: shifts, the total subsidie and the cofinanciering norm."""
    if not changes and not budget.totaal.changed and not budget.cofinanciering_bedrijven.changed:
        return
    rule = procedure.rule
    covered: list = []
    shifts = _shifts(budget, old, new)
    moved = max((amount for _, amount, _ in shifts), default=Decimal(0))
    money_changes = [c for c in changes if c.id in budget.per_regel or
                     any(fc.field in PLACE_FIELDS for fc in c.fields)]
    if moved > 0:
        above = moved > procedure.drempel_verschuiving
        soort = "verschuiving-boven-drempel" if above else "verschuiving-onder-drempel"
        where = "boven" if above else "op of onder"
        details = [f"{euro(moved)} verschoven, {where} de drempel van {euro(procedure.drempel_verschuiving)}"]
        details += [_shift_detail(label, amount, moves) for label, amount, moves in shifts]
        found.append(_rule_finding(rule, soort, f"Verschuiving van {euro(moved)} in de begroting", details,
                                   money_changes, moved))
        covered += money_changes
    old_t, new_t = budget.totaal.old, budget.totaal.new
    if old_t.subsidie != new_t.subsidie:
        found.append(_rule_finding(
            rule, "subsidie-gewijzigd", "Totale subsidie gewijzigd",
            [f"subsidie {euro(old_t.subsidie)} → {euro(new_t.subsidie)} ({euro_delta(new_t.subsidie - old_t.subsidie)})",
             f"totale kosten {euro(old_t.totaal)} → {euro(new_t.totaal)}"],
            [c for c in changes if c not in covered] or money_changes, new_t.subsidie - old_t.subsidie))
        covered += changes
    bedrijven, norm = budget.cofinanciering_bedrijven, budget.cofinanciering_norm
    if bedrijven.new < norm.new and (bedrijven.old >= norm.old or bedrijven.changed):
        found.append(_rule_finding(
            rule, "cofinanciering-onder-norm", "Cofinanciering door bedrijven onder 10%",
            [f"cofinanciering bedrijven {euro(bedrijven.old)} → {euro(bedrijven.new)}; "
             f"nodig is minstens {euro(norm.new)} (10% van {euro(new_t.totaal)})"],
            [c for c in changes if c not in covered], norm.new - bedrijven.new))
        covered += changes
    rest = [c for c in changes if c not in covered]
    if rest:
        found.append(Finding(None, "Begrotingsregels gewijzigd zonder verschuiving of gevolg voor de subsidie",
                             tuple(f"{c.id}: {', '.join(fc.field for fc in c.fields) or c.kind}" for c in rest),
                             tuple(rest)))


def _shifts(budget: BudgetComparison, old: Region, new: Region) -> list[tuple[str, Decimal, list[tuple[str, Decimal]]]]:
    """Return per dimension that moved money: its label, the amount moved, and each changed key with its mutatie.

    The amount moved within a dimension is what went up there and is matched by what went down:
    min(sum of increases, sum of decreases). A line moved to another year is a shift between years.
    """
    names = {**_shift_names(old), **_shift_names(new)}
    out = []
    for dimension, label in SHIFT_DIMENSIONS:
        comparisons: dict[Any, TotalsComparison] = getattr(budget, dimension)
        moves = [(names.get((dimension, key), str(key)), c.mutatie.totaal) for key, c in comparisons.items()
                 if c.mutatie.totaal != 0]
        up = sum((d for _, d in moves if d > 0), Decimal(0))
        down = -sum((d for _, d in moves if d < 0), Decimal(0))
        if min(up, down) > 0:
            out.append((label, min(up, down), moves))
    return out


def _shift_names(region: Region) -> dict[tuple[str, Any], str]:
    """Return the human name of each key of the BudgetComparison mappings that has one."""
    names: dict[tuple[str, Any], str] = {("per_programmalijn", p.id): p.naam for p in region.programmalijnen}
    names.update({("per_activiteit", a.id): a.naam for a in region.activiteiten})
    names.update({("per_categorie", key): naam for key, naam in CATEGORIES.items()})
    return names


def _shift_detail(label: str, moved: Decimal, moves: list[tuple[str, Decimal]]) -> str:
    """Say where money went: 'tussen jaren: 2026 → 2027 (€ 28.500,00)'; each key's mutatie when there are several."""
    sources = [(k, d) for k, d in moves if d < 0]
    targets = [(k, d) for k, d in moves if d > 0]

    def side(keyed: list[tuple[str, Decimal]]) -> str:
        if len(keyed) == 1 and abs(keyed[0][1]) == moved:
            return keyed[0][0]
        return ", ".join(f"{k} ({euro_delta(d)})" for k, d in keyed)
    return f"{label}: {side(sources)} → {side(targets)} ({euro(moved)})"


def _rest(changes, found: list, rule, old: Region, new: Region) -> None:
    """Texts, the reglement, region facts, and anything not yet covered: nothing is dropped."""
    covered = {id(c) for f in found for c in f.changes}
    reglement: list = []
    for change in changes:
        if id(change) in covered:
            continue
        if change.document == "huishoudelijk-reglement" or change.entity == "wijzigingsregel":
            reglement.append(change)
        elif change.entity == "regio" and any(fc.field == "maximale_subsidie" for fc in change.fields):
            found.append(_rule_finding(rule, "subsidie-gewijzigd", "Maximale subsidie van de regio gewijzigd",
                                       [f"{fc.field}: {fc.old} → {fc.new}" for fc in change.fields], [change]))
        elif change.kind == "verplaatst":
            found.append(Finding(None, f"Volgorde gewijzigd: {change.entity} '{getattr(change, 'label', change.id)}'",
                                 ("alleen verplaatst; waarschijnlijk geen besluit nodig",), (change,)))
        else:
            where = f" in het {change.document.replace('-', ' ')}" if change.document else ""
            label = getattr(change, "label", change.id)
            found.append(Finding(None, f"{change.entity.capitalize()} '{label}' {change.kind}{where}",
                                 tuple(f"{fc.field} gewijzigd" for fc in change.fields[:5]), (change,)))
    if reglement:
        details = sorted({"tekst van het reglement" if c.entity == "tekst" else
                          f"wijzigingsprocedure: {c.id}" for c in reglement})
        found.append(_rule_finding(rule, "reglement-gewijzigd", "Huishoudelijk reglement gewijzigd", details,
                                   reglement))
