"""Realisatie arithmetic against figures computed by hand (the numbers are written here, never computed)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from stodocs.administratie.model import Afschrijving, Schooljaar
from stodocs.model import Place, Totals


@pytest.fixture(scope="module")
def realisatie(example_region):
    return example_region.realisatie


def _jaartaak(realisatie, id_):
    return next(j for j in realisatie.jaartaken if j.id == id_)


def _asset(realisatie, id_):
    return next(a for a in realisatie.afschrijvingen if a.id == id_)


def test_schooljaar_runs_from_august_to_july():
    jaar = Schooljaar("2027-2028")
    assert (jaar.start, jaar.end, jaar.days) == (date(2027, 8, 1), date(2028, 7, 31), 366)


def test_full_jaartaak_is_1659_hours_times_wtf(realisatie):
    kees = _jaartaak(realisatie, "kees-de-boer-2024-2025")
    # 1659 - 100 - 83 - 50 = 1426 inzetbaar; 1426 - 700 lessen - 350 - 60 = 316 left for STO; 316 - 240 = 76
    assert (kees.betrekking, kees.inzetbaar, kees.beschikbaar) == (D("1659.0"), D("1426.0"), D("1426.0"))
    assert (kees.vrij_voor_sto, kees.sto_uren, kees.saldo) == (D("316.0"), D("240"), D("76.0"))
    marloes = _jaartaak(realisatie, "marloes-vermeulen-2024-2025")
    assert marloes.betrekking == D("1327.2")  # 1659 x 0.8


def test_verlof_for_part_of_the_schooljaar_is_pro_rata_by_days(realisatie):
    dennis = _jaartaak(realisatie, "dennis-hofman-2024-2025")
    # aanstelling 1659 x 0.9 = 1493.1; verlof 0.1 for 212 of 365 days: 165.9 x 212 / 365 = 96.36 -> 96.4
    assert dennis.betrekking == D("1396.7")
    assert dennis.saldo == D("96.7")  # 1396.7 - 210 - 600 - 300 - 40 - 150


def test_loonkosten_are_hours_times_rate_to_the_cent(realisatie):
    assert _jaartaak(realisatie, "kees-de-boer-2024-2025").loonkosten == D("13440.00")  # 240 x 56
    assert _jaartaak(realisatie, "eva-mulder-2025-2026").loonkosten == D("12474.90")  # 120 x 49,80 + 130,5 x 49,80
    ruud = next(v for v in realisatie.verklaringen if v.id == "ruud-smit-2025-2026")
    assert (ruud.sto_uren, ruud.loonkosten, ruud.geval) == (D("264"), D("10903.20"), "a")  # 110 + 154, x 41,30


def test_werkelijk_uurtarief_is_salary_over_1659_times_wtf(realisatie):
    assert _jaartaak(realisatie, "marloes-vermeulen-2024-2025").werkelijk_uurtarief == D("52.40")  # 69545,28 / 1327,2
    assert _jaartaak(realisatie, "ilse-brouwer-2024-2025").werkelijk_uurtarief == D("53.04")  # 88000 / 1659 = 53,044


def test_casus_1_printer_is_charged_by_the_month(realisatie):
    printer = _asset(realisatie, "printer-zorgrobots")
    # EUR 7.500 over 60 months = EUR 125 a month from March 2026; 34 months fall inside the project
    assert printer.per_maand == D("125.00")
    assert printer.charged() == {2026: D("1250.00"), 2027: D("1500.00"), 2028: D("1500.00")}
    assert len(printer.charges()) == 34
    assert (printer.subsidiabel, printer.niet_subsidiabel) == (D("4250.00"), D("3250.00"))
    assert printer.charged(realisatie.until) == {2026: D("1125.00")}  # peildatum 30 November 2026: 9 months


def test_depreciation_rounds_each_month_and_the_last_month_takes_the_rest():
    asset = Afschrijving("x", "", "", date(2025, 4, 15), "", D("42350.00"), 60, D("2350.00"), D("100"), "", (), "",
                         Place("", 0))
    # 40000 / 60 = 666.666... -> 666.67; the 60th month: 40000 - 59 x 666.67 = 666.47
    assert asset.per_maand == D("666.67")
    assert list(asset.charges().values())[:1] == [D("666.67")]
    early = Afschrijving("y", "", "", date(2023, 1, 1), "", D("42350.00"), 60, D("2350.00"), D("100"), "", (), "",
                         Place("", 0))
    assert early.charges()[(2027, 12)] == D("666.47")  # the last month, inside the project
    assert early.subsidiabel == D("23999.92")  # 2025-01 to 2027-12: 35 x 666.67 + 666.47


def test_share_for_sto_applies_before_the_monthly_split(realisatie):
    units = _asset(realisatie, "installatie-trainingsunits")
    # 36300 x 75% = 27225.00; / 48 = 567.1875 -> 567.19; September to December 2025: 4 months
    assert (units.af_te_schrijven, units.per_maand) == (D("27225.00"), D("567.19"))
    assert units.charged()[2025] == D("2268.76")


def test_realisatie_per_budget_line(example_region, realisatie):
    per_line = realisatie.by_line(example_region.begroting)
    # 240 x 56 + 120 x 56 (Kees de Boer) + 110 x 41,30 (Ruud Smit)
    assert per_line["leerlijn-installatie-2025-uren"] == Totals(D("24703.00"), D("24703.00"), D("0.00"))
    # invoices 24200 + 9680 + 6534 and Waardmetaal's 20000 in natura
    assert per_line["techniekdagen-2025-overig"] == Totals(D("60414.00"), D("40414.00"), D("20000.00"))
    # 15200 on invoice, 60800 in natura: exactly the budget line
    assert per_line["leerlijn-installatie-2025-inhuur"] == Totals(D("76000.00"), D("15200.00"), D("60800.00"))
    # depreciation up to the peildatum: 7333.37 + 8800.00 + 12478.18 + 1125.00
    assert per_line["fablab-lindewaard-2026-afschr"].totaal == D("29736.55")
    assert per_line["meiden-in-techniek-2027-inhuur"] == Totals()


def test_realisatie_per_year_and_category(example_region, realisatie):
    budget = example_region.begroting
    # personeel 137832.50 + afschrijvingen 56783.01 + materieel 104665 + overig 60414 + inhuur 76000
    assert realisatie.by_year(budget)[2025] == Totals(D("435694.51"), D("326894.51"), D("108800.00"))
    assert realisatie.by_year(budget)[2027] == Totals()
    assert realisatie.by_category(budget)["afschrijvingen"].totaal == D("56783.01") + D("41334.37") + D("29736.55")


def test_received_subsidie_and_cofinanciering(realisatie):
    assert realisatie.ontvangen_subsidie == D("1852300.00")  # 1046100 + 806200
    assert realisatie.ontvangen_subsidie_by_year()[2026] == D("806200.00")
    assert realisatie.cofinanciering_by_partner()["waardmetaal"] == D("107500.00")  # 20000 + 59000 + 28500
    assert realisatie.closed_years == (2025,)


def test_casus_1_as_first_written_books_the_printer_at_once_and_is_told_to_charge_by_the_month(tmp_path):
    from gitrepo import EXAMPLE, GitRepo
    from stodocs.pipeline import check
    from stodocs.sources import WorkingTree
    repo = GitRepo.example(tmp_path / "repo")
    repo.apply_case("casussen/zorgrobots")  # '1 printer x 7500' on an afschrijvingen line
    checked = check(WorkingTree(repo.root), [EXAMPLE])
    [warning] = [p for p in checked.problems if p.field.endswith(".eenheid")]
    assert "afschrijvingen in 'printer' (1 × € 7.500,00): is dit de aanschafprijs?" in warning.message.replace("\xa0", " ")
    assert "aantal maanden × afschrijving per maand" in warning.message


def test_werkelijk_uurtarief_counts_an_uitbreiding_for_part_of_the_year(realisatie):
    from dataclasses import replace
    eva = replace(_jaartaak(realisatie, "eva-mulder-2024-2025"), jaarsalaris=D("59405.00"))
    # betrekking 995,4 (0,6) + 192,7 (0,2 for 212 of 365 days) = 1188,1 klokuren; 59405 / 1188,1 = 50,00
    assert eva.werkelijk_uurtarief == D("50.00")


def test_loonkosten_round_half_up_to_the_cent():
    from stodocs.administratie.model import Inzet
    assert Inzet("r", D("150.25"), D("54.70"), None, Place("", 0)).loonkosten == D("8218.68")  # 8.218,675
    assert Inzet("r", D("37.5"), D("53.33"), None, Place("", 0)).loonkosten == D("1999.88")  # 1.999,875
    assert Inzet("r", D("0.3"), D("41.30"), None, Place("", 0)).loonkosten == D("12.39")  # exactly 12,39


# --- the cut-off (cut_off): one rule for every figure; hand-computed figures ---------------------------------

def _with_entries(realisatie):
    """The fixture's administratie plus an entry of each kind just after 31 August 2026, and a jaartaak 2026-2027."""
    from dataclasses import replace
    from stodocs.administratie.model import Inzet
    kees = _jaartaak(realisatie, "kees-de-boer-2025-2026")
    place = Place("x.yaml", 1)
    next_year = replace(kees, id="kees-de-boer-2026-2027", schooljaar=Schooljaar("2026-2027"),
                        sto=(Inzet("leerlijn-installatie-2026-uren", D("100"), D("56.00"), None, place),
                             Inzet("regie-monitoring-2027-uren", D("200"), D("56.00"), None, place)))
    invoice = realisatie.kosten[0]
    co = realisatie.cofinanciering[0]
    advance = realisatie.voorschotten[0]
    return replace(
        realisatie, peildatum=date(2026, 12, 31), jaartaken=realisatie.jaartaken + (next_year,),
        kosten=realisatie.kosten + (replace(invoice, id="late-invoice", factuurdatum=date(2026, 9, 1),
                                            regel="techniekdagen-2026-overig", bedrag=D("1000.00")),),
        cofinanciering=realisatie.cofinanciering + (replace(co, id="late-co", datum=date(2026, 9, 1)),),
        voorschotten=realisatie.voorschotten + (replace(advance, id="late-advance", datum=date(2026, 9, 1)),))


def test_cut_off_leaves_out_what_is_dated_after_the_day(example_region, realisatie):
    from stodocs.administratie.model import cut_off
    full = _with_entries(realisatie)
    cut = cut_off(full, date(2026, 8, 31), example_region.begroting)
    assert cut.peildatum == date(2026, 8, 31)
    ids = {e.id for e in cut.kosten + cut.cofinanciering + cut.voorschotten}
    assert not {"late-invoice", "late-co", "late-advance"} & ids
    assert {"late-invoice", "late-co", "late-advance"} <= {e.id for e in full.kosten + full.cofinanciering
                                                           + full.voorschotten}
    # the jaartaak 2026-2027 starts on 1 August 2026: 31 of the 153 days of 2026 in it (August to December)
    # count, 100 x 31 / 153 = 20,26 -> 20,3 uur x 56,00 = 1.136,80; its hours on the 2027 line not at all
    nxt = next(j for j in cut.jaartaken if j.id == "kees-de-boer-2026-2027")
    assert [(i.regel, i.uren, i.loonkosten) for i in nxt.sto] == [
        ("leerlijn-installatie-2026-uren", D("20.3"), D("1136.80"))]
    # verklaring linda-postma-2026, 1 January to 30 November (334 days), 580 uur: 243 days up to 31 August,
    # 580 x 243 / 334 = 421,98 -> 422,0 uur x 60,10 = 25.362,20
    linda = next(v for v in cut.verklaringen if v.id == "linda-postma-2026")
    assert (linda.sto_uren, linda.loonkosten, linda.tot_en_met) == (D("422.0"), D("25362.20"), date(2026, 8, 31))


def test_cut_off_counts_depreciation_by_whole_months(example_region, realisatie):
    from stodocs.administratie.model import cut_off
    # printer-zorgrobots: EUR 125 a month from March 2026
    for day, months in ((date(2026, 11, 30), 9), (date(2026, 11, 29), 8), (date(2026, 2, 28), 0)):
        cut = cut_off(realisatie, day, example_region.begroting)
        printer = [p for p in cut.posts(example_region.begroting) if p.ref == "printer-zorgrobots"]
        assert sum((p.kosten for p in printer), D("0.00")) == D("125.00") * months, day


def test_cut_off_twice_at_the_same_day_changes_nothing(example_region, realisatie):
    from stodocs.administratie.model import cut_off
    once = cut_off(_with_entries(realisatie), date(2026, 8, 31), example_region.begroting)
    assert cut_off(once, date(2026, 8, 31), example_region.begroting) == once


def test_cut_off_at_the_peildatum_is_what_every_total_counts(example_region, realisatie):
    from stodocs.administratie.model import cut_off
    from stodocs.verantwoording.accounts import Accounts
    full = _with_entries(realisatie)
    late = replace_peildatum(full, date(2026, 8, 31))
    accounts = Accounts(example_region, late)
    # the late invoice of 1 September 2026 (EUR 1.000) is not in G2 2026's lasten, nor in the year's total
    direct = cut_off(late, date(2026, 8, 31), example_region.begroting).totals(example_region.begroting)
    assert accounts.totaal().gerealiseerd == direct
    assert accounts.g2(2026).totale_kosten == direct.subsidie
    assert accounts.g2(2026).ontvangen_totaal == D("1852300.00")  # 1.046.100 + 806.200, not the late advance


def replace_peildatum(realisatie, day):
    from dataclasses import replace
    return replace(realisatie, peildatum=day)
