"""build.py status: the next deadline, each kind of "missing" and each risk, on fixed dates."""
from __future__ import annotations

import shutil
from datetime import date

from gitrepo import EXAMPLE, GitRepo
from stodocs.verantwoording.reporting import gather
from stodocs.verantwoording.schedule import CALENDAR, due_soon, next_deadline
from stodocs.sources import WorkingTree
from stodocs.verantwoording.status import region_status

R = f"content/{EXAMPLE}"
V = f"{R}/rapportages/2026"


def _status(folder: GitRepo, today: date):
    gathered, _ = gather(WorkingTree(folder.root), None)
    data = gathered[EXAMPLE]
    return region_status(data.region, data.reports, today, data.accounts, steps=data.steps)


def _messages(status) -> dict[str, list[str]]:
    return {d.deadline.key: [p.format().replace("\xa0", " ") for p in d.missing] for d in status.deadlines}


def test_calendar_holds_the_deadlines_of_the_regulation_in_order():
    dates = [d.datum for d in CALENDAR]
    assert dates == sorted(dates)
    keyed = {d.key: d.datum for d in CALENDAR}
    assert keyed["plan-2025-2026"] == date(2025, 4, 15)
    assert keyed["voortgang-2026"] == date(2026, 10, 1)
    assert keyed["voortgang-2028"] == date(2028, 10, 1)
    assert keyed["einde-besteding"] == date(2028, 12, 31)
    assert keyed["eindverslag"] == date(2029, 6, 1)
    assert keyed["g2-2025"] == date(2026, 7, 1)  # the jaarverslag 2025, published before 1 July 2026


def test_next_deadline_and_the_sixty_day_window():
    assert next_deadline(date(2026, 8, 15)).key == "voortgang-2026"
    assert next_deadline(date(2026, 10, 1)).key == "voortgang-2026"  # due today is still next
    assert next_deadline(date(2026, 10, 2)).key == "g2-2026"
    assert next_deadline(date(2030, 7, 2)) is None
    assert [d.key for d in due_soon(date(2026, 8, 15))] == ["voortgang-2026"]
    assert due_soon(date(2026, 7, 31)) == []  # 62 days before 1 October
    assert [d.key for d in due_soon(date(2028, 11, 15))] == ["einde-besteding"]


B = f"{R}/begroting.yaml:3: waarschuwing: "
BEHIND_2025 = (B + "in 2025 is € 435.694,51 besteed van € 1.154.900,00 begroot (37,7%): meer dan 20,0% achter op "
               "het plan")
# tempo of 2025: 326.894,51 of 1.046.100,00 subsidie; 2026 at that tempo 251.928,45, but 304.159,52 is realised by
# the administratie's peildatum (30 November, test_reporting.py), so the running year counts that: forecast
# 326.894,51 + 304.159,52 + 274.583,89 + 349.674,94 = 1.255.312,86 of 3.850.000,00
RECLAIM = (B + "bij het huidige bestedingstempo blijft op 31 december 2028 € 2.594.687,14 van de subsidie "
           "(€ 3.850.000,00) onbesteed; dat bedrag wordt teruggevorderd")


def test_complete_rapportage_misses_nothing_but_money_is_at_risk(folder: GitRepo):
    status = _status(folder, date(2026, 8, 15))
    assert _messages(status) == {"voortgang-2026": []}
    assert [p.format().replace("\xa0", " ") for p in status.risks] == [
        RECLAIM, BEHIND_2025,
        f"{V}/fablab-lindewaard.md:2: waarschuwing: status: activiteit 'Fablab digitale fabricage' is vertraagd; meld dat "
        "aan DUS-I met het wijzigingsformulier en leg het besluit vast volgens de wijzigingsprocedure"]


def test_missing_projectadministratie(folder: GitRepo):
    shutil.rmtree(folder.file("realisatie"))
    status = _status(folder, date(2026, 8, 15))
    assert _messages(status)["voortgang-2026"] == [
        f"{R}/realisatie: waarschuwing: er is nog geen projectadministratie; leg de realisatie vast in "
        f"{R}/realisatie/ (zie docs/inhoud.md)"]
    assert not any("begroting.yaml" in p.path for p in status.risks)  # nothing realised, nothing to judge


def test_year_not_closed_for_the_g2(folder: GitRepo):
    # G2 2026 is due 1 July 2027; the administratie runs to 30 November 2026
    assert _messages(_status(folder, date(2027, 5, 15)))["g2-2026"] == [
        f"{R}/realisatie/verantwoording.yaml:4: waarschuwing: peildatum: de projectadministratie is bijgewerkt tot "
        "en met 30 november 2026; voor deze termijn moet 2026 helemaal geboekt zijn. Zet de peildatum op 31 december "
        "2026 of later als alles geboekt is"]


def test_g2_without_beschikking_and_receipts(folder: GitRepo):
    folder.file("realisatie/subsidie.yaml").unlink()
    shutil.rmtree(folder.file("rapportages"))  # a rapportage without the beschikking is an error of its own
    missing = _messages(_status(folder, date(2026, 5, 15)))["g2-2025"]
    assert missing == [
        f"{R}/realisatie/subsidie.yaml:1: waarschuwing: beschikking: de beschikking (kenmerk, datum en bedrag) "
        "ontbreekt; model G2 noemt ze",
        f"{R}/realisatie/subsidie.yaml:1: waarschuwing: voorschotten: er is in 2025 geen ontvangen subsidie "
        "(voorschot) geboekt; klopt dat?"]


def test_costs_without_a_budget_line_in_their_year(repo: GitRepo):
    # an invoice of 2026 booked on the 2025 line for leskisten: the budget has no such line for 2026. The
    # projectadministratie's own check may call it an error (listed first) or a warning; status names it either way.
    repo.replace("realisatie/kosten.yaml", "factuurdatum: 2025-09-09", "factuurdatum: 2026-01-09")
    done = repo.run_cli("status", "--datum", "2026-08-15")
    assert (f"{R}/realisatie/kosten.yaml:11: waarschuwing: € 18.150,00 uit 2026 staat op begrotingsregel "
            "'techniekroute-po-2025-materiaal' van 2025: de begroting heeft voor deze kosten geen regel in 2026. Boek "
            "ze op een regel van 2026 of wijzig de begroting") in done.stdout.replace("\xa0", " ").splitlines()


def test_content_errors_are_listed_first(repo: GitRepo):
    repo.replace("rapportages/2026/rapportage.md", "{{ gerealiseerd 2025 }}", "{{ gerealiseed 2025 }}")
    done = repo.run_cli("status", "--datum", "2026-08-15")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[:2] == [
        "Eerst te herstellen: 1 fout in de inhoud (ook 'build.py validate' toont ze):",
        f"{V}/rapportage.md:23: onbekend gegeven '{{{{ gerealiseed }}}}'; bedoelde u '{{{{ gerealiseerd }}}}'? "
        "bekend zijn: begroot, subsidie, gerealiseerd, verschil, besteed"]
    assert lines[2].startswith("Techniekregio Lindewaard: uiterlijk 1 oktober 2026")


def test_cofinanciering_by_bedrijven_below_the_norm_is_a_risk(folder: GitRepo):
    # Only the penvoerder's 13.000 in cash stays (a vmbo school, not a bedrijf): 0,00 against 10% of the realised
    # cost 846.354,03 - 80.800 - 106.500 natura that no longer counts = 659.054,03, so 65.905,41 (rounded up)
    text = folder.file("realisatie/cofinanciering.yaml").read_text(encoding="utf-8")
    folder.file("realisatie/cofinanciering.yaml").write_text(text[:text.index("  - id: waardmetaal-festival-2025")],
                                                             encoding="utf-8")
    risks = [p.format().replace("\xa0", " ") for p in _status(folder, date(2026, 8, 15)).risks]
    assert (B + "cofinanciering door bedrijven is tot nu toe € 0,00, minder dan 10% van de gerealiseerde kosten "
            "(€ 65.905,41); blijft dat zo, dan stelt DUS-I de subsidie lager vast") in risks


def test_schooljaar_without_statements(folder: GitRepo):
    # With the administratie up to 30 September 2028, schooljaar 2027-2028 (internal staff budgeted in 2027
    # and 2028) has ended, but no jaartaak or verklaring covers it. 2026-2027 is covered by a verklaring that
    # runs to November 2026.
    folder.replace("realisatie/verantwoording.yaml", "peildatum: 2026-11-30", "peildatum: 2028-09-30")
    missing = _messages(_status(folder, date(2028, 9, 15)))["voortgang-2028"]
    assert (f"{R}/realisatie/personeel.yaml:1: waarschuwing: voor schooljaar 2027-2028 is eigen personeel begroot, "
            "maar er is geen jaartaak (Bijlage 1) of verklaring (Bijlage 2) vastgelegd") in missing
    assert not any("schooljaar 2026-2027" in m or "schooljaar 2025-2026" in m for m in missing)


def test_missing_rapportage(folder: GitRepo):
    shutil.rmtree(folder.file("rapportages"))
    assert _messages(_status(folder, date(2026, 8, 15)))["voortgang-2026"] == [
        f"{V}/rapportage.md:1: waarschuwing: de voortgangsrapportage (2026) is nog niet begonnen: maak "
        f"{V}/rapportage.md met titel en peildatum, en per activiteit een tekst (zie docs/verantwoording.md)"]


def test_missing_progress_text_resultaten_and_indicator(folder: GitRepo):
    folder.file("rapportages/2026/techniekdagen.md").unlink()
    folder.replace("rapportages/2026/regie-monitoring.md", "    stand: behaald\n---", "---")
    folder.replace("rapportages/2026/regie-monitoring.md",
                   "  - resultaat: Tijdig ingediende voortgangsrapportages (2026 en 2028) en eindverslag (2029).\n---", "---")
    folder.replace("rapportages/2026/rapportage.md", "  regionale-samenwerking: De eerste regiomonitor verscheen in "
                   "maart 2026; de stuurgroep besprak de voortgang vijf keer.\n", "")
    folder.replace("rapportages/2026/praktijkleren-bedrijven.md", "Het praktijkleren bij de partnerbedrijven is "
                   "gestart in september 2025. De leermeesters van de bedrijven kregen een korte training in het "
                   "begeleiden van vmbo-leerlingen.", "")
    assert _messages(_status(folder, date(2026, 8, 15)))["voortgang-2026"] == [
        f"{V}/praktijkleren-bedrijven.md:10: waarschuwing: de tekst over activiteit 'praktijkleren-bedrijven' is leeg; "
        "beschrijf wat er bereikt is",
        f"{V}/rapportage.md:5: waarschuwing: indicatoren: de stand van de indicator van doelstelling "
        "'regionale-samenwerking' ontbreekt; voeg onder 'indicatoren:' een regel 'regionale-samenwerking: ...' toe",
        f"{V}/regie-monitoring.md:3: waarschuwing: resultaten: de stand van 1 van de 2 resultaten uit het plan ontbreekt",
        f"{V}/techniekdagen.md:1: waarschuwing: voortgangstekst ontbreekt voor activiteit 'techniekdagen' "
        "(Techniekfestival en regionale doe-dagen), die begon in maart 2025; maak dit bestand aan"]


def test_activity_starting_after_the_peildatum_owes_no_text(folder: GitRepo):
    # meiden-in-techniek starts in 2027-01: the fixture has no text for it, and none is missing
    assert not folder.file("rapportages/2026/meiden-in-techniek.md").exists()
    assert _messages(_status(folder, date(2026, 8, 15)))["voortgang-2026"] == []


def test_plan_for_2027_2028_not_worked_out(folder: GitRepo):
    text = folder.file("begroting.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: techniekroute-po-2027-uren")
    end = text.index("  - id: techniekroute-po-2028-uren")
    folder.file("begroting.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    assert _messages(_status(folder, date(2026, 8, 15)))["voortgang-2026"] == [
        f"{R}/activiteiten.yaml:2: waarschuwing: Activiteit Techniekroute basisonderwijs: activiteit 'techniekroute-po' loopt in 2027 maar "
        "heeft voor 2027 geen begrotingsregels; werk de begroting voor dat jaar uit in begroting.yaml"]


def test_far_from_the_deadline_findings_are_notes_not_warnings(folder: GitRepo):
    shutil.rmtree(folder.file("rapportages/2026"))
    status = _status(folder, date(2026, 7, 2))  # 91 days before 1 October 2026
    [deadline] = status.deadlines
    assert deadline.deadline.key == "voortgang-2026" and deadline.days == 91
    assert [p.severity for p in deadline.missing] == ["opmerking"]
    assert "waarschuwing" not in deadline.missing[0].format()


def test_eindverslag_wants_every_activity_finished(folder: GitRepo):
    shutil.copytree(folder.file("rapportages/2026"), folder.file("rapportages/2029"))
    folder.replace("rapportages/2029/rapportage.md", "peildatum: 2026-08-31", "peildatum: 2029-03-31")
    missing = _messages(_status(folder, date(2029, 5, 1)))["eindverslag"]
    assert (f"{R}/rapportages/2029/fablab-lindewaard.md:2: waarschuwing: status: activiteit 'fablab-lindewaard' "
            "staat op 'vertraagd'; in het eindverslag is elke activiteit afgerond of vervallen") in missing
    assert (f"{R}/rapportages/2029/meiden-in-techniek.md:1: waarschuwing: voortgangstekst ontbreekt voor activiteit "
            "'meiden-in-techniek' (Meiden kiezen techniek), die begon in januari 2027; maak dit bestand aan") in missing


def test_overdue_activity_is_a_risk(folder: GitRepo):
    folder.replace("activiteiten.yaml", "eind: 2028-06\n    status: lopend", "eind: 2026-06\n    status: lopend")
    risks = [p.format() for p in _status(folder, date(2026, 8, 15)).risks]
    assert (f"{R}/activiteiten.yaml:8: waarschuwing: eind: activiteit 'Techniekroute basisonderwijs' had in juni 2026 klaar moeten "
            "zijn maar staat op 'lopend'; pas de planning aan of zet de status op afgerond") in risks


def test_cli_status_names_the_deadline_and_fails_only_when_strict(repo: GitRepo):
    shutil.rmtree(repo.file("rapportages/2026"))
    done = repo.run_cli("status", "--datum", "2026-08-15")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == ("Techniekregio Lindewaard: uiterlijk 1 oktober 2026 (over 47 dagen): eerste "
                                           "voortgangsrapportage en uitgewerkt plan en meerjarenbegroting 2027-2028.")
    assert f"{V}/rapportage.md:1: waarschuwing: de voortgangsrapportage (2026) is nog niet begonnen" in done.stdout
    assert repo.run_cli("status", "--datum", "2026-08-15", "--strict").returncode == 1
    assert repo.run_cli("status", "--datum", "2026-05-01", "--strict").returncode == 0  # 153 days: notes only
    wrong = repo.run_cli("status", "--datum", "15-08-2026")
    assert wrong.returncode == 2 and "'15-08-2026' is geen datum" in wrong.stderr


OVERDUE_2026 = ("TE LAAT: uiterlijk 1 oktober 2026 ({days} dagen geleden): eerste voortgangsrapportage en uitgewerkt "
                "plan en meerjarenbegroting 2027-2028. De termijn is verstreken en er is geen indiening vastgelegd; lever "
                "zo snel mogelijk in en leg de indiening (datum en kenmerk) vast in rapportages/indieningen.yaml als "
                "'voortgangsrapportage-2026'.")


def test_cli_status_keeps_an_overdue_rapportage_until_it_is_recorded_as_ingediend(repo: GitRepo):
    done = repo.run_cli("status", "--datum", "2026-10-02")
    assert done.stdout.splitlines()[0] == ("Techniekregio Lindewaard: "
                                           + OVERDUE_2026.format(days=1).replace("(1 dagen", "(1 dag"))
    # 2 December 2026, 62 days later: still overdue (it used to disappear after 60 days)
    later = repo.run_cli("status", "--datum", "2026-12-02")
    assert "Techniekregio Lindewaard: " + OVERDUE_2026.format(days=62) in later.stdout.splitlines()
    # G2 2025 is recorded as ingediend in the fixture's register: not named, before or after its deadline
    assert "jaarverslag 2025" not in later.stdout
    with open(repo.file("rapportages/indieningen.yaml"), "a", encoding="utf-8") as register:
        register.write("  - document: voortgangsrapportage-2026\n    status: ingediend\n    datum: 2026-12-03\n"
                       "    kenmerk: DUS-I/STO25-0417/VR1\n")
    recorded = repo.run_cli("status", "--datum", "2026-12-04")
    assert "TE LAAT" not in recorded.stdout and "voortgangsrapportage" not in recorded.stdout.splitlines()[0]


def test_status_after_the_eindverslag_deadline_names_every_document_not_handed_in(folder: GitRepo):
    # 2 July 2029: the eindverslag (1 June) and G2 2028 (1 July) are overdue, as is every earlier one not recorded
    status = _status(folder, date(2029, 7, 2))
    overdue = {d.deadline.key: d.days for d in status.deadlines if d.days < 0}
    assert overdue == {"voortgang-2026": -1005, "g2-2026": -732, "g2-2027": -366, "voortgang-2028": -274,
                       "eindverslag": -31, "g2-2028": -1}
    # 1 August 2029: nothing is dropped, and the eindverslag that is not there is named as missing
    status = _status(folder, date(2029, 8, 1))
    keys = [d.deadline.key for d in status.deadlines]
    assert {"eindverslag", "g2-2028", "g2-2029"} <= set(keys)
    eindverslag = next(d for d in status.deadlines if d.deadline.key == "eindverslag")
    assert any("het eindverslag (2029) is nog niet begonnen" in p.message for p in eindverslag.missing)


def test_cli_status_takes_today_from_source_date_epoch(repo: GitRepo):
    done = repo.run_cli("status", today=date(2028, 9, 1))
    assert ("Techniekregio Lindewaard: uiterlijk 1 oktober 2028 (over 30 dagen): tweede voortgangsrapportage."
            in done.stdout.splitlines())


def test_missing_eindverslag_is_named_with_its_article(folder: GitRepo):
    missing = _messages(_status(folder, date(2029, 5, 1)))["eindverslag"]
    assert missing[0] == (f"{R}/rapportages/2029/rapportage.md:1: waarschuwing: het eindverslag (2029) is nog niet "
                          f"begonnen: maak {R}/rapportages/2029/rapportage.md met titel en peildatum, en per activiteit "
                          "een tekst (zie docs/verantwoording.md)")
