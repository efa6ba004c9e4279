"""Budget arithmetic: exact in Decimal, per year, category, activity and programmalijn."""
from __future__ import annotations

from decimal import Decimal

import pytest

from gitrepo import TODAY, copy_example
from stodocs.model import (BODIES, CATEGORIES, ACTIVITY_FIELDS, CHANGE_KINDS, DEFAULT_CHANGE_RULES, PROCEDURE_WORDS, RECORD_STEPS, YEARS,
                           Budget, BudgetLine, Place, Totals, money, sum_lines)
from stodocs.pipeline import check
from stodocs.sources import WorkingTree
from stodocs.validate import load_schema


def _line(id_, activiteit, jaar, categorie, aantal, prijs, cofi="0", cofinancier=""):
    return BudgetLine(id_, activiteit, jaar, categorie, "", Decimal(aantal), "uur", money(prijs), money(cofi),
                      cofinancier, "", Place("begroting.yaml", 1))


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    root = tmp_path_factory.mktemp("repo")
    copy_example(root)
    checked = check(WorkingTree(root), None, TODAY)
    assert checked.ok
    return checked.regions["lindewaard"]


def test_line_total_is_exact_p_times_q():
    line = _line("a", "x", 2025, "personeel-intern", "0.1", "0,30", "0,01")
    assert line.totaal == Decimal("0.03") and line.whole_cents
    assert line.subsidie == Decimal("0.02")
    assert sum(_line(str(i), "x", 2025, "personeel-intern", "0.1", "0,10").totaal for i in range(3)) == Decimal("0.03")


def test_line_that_is_not_whole_cents_keeps_its_exact_value():
    line = _line("a", "x", 2025, "personeel-intern", "0.333", "0,10")
    assert not line.whole_cents and line.totaal == Decimal("0.0333")


def test_money_reads_whole_numbers_and_text_with_cents():
    assert money(7500) == Decimal("7500.00")
    assert money("49,95") == money("49.95") == Decimal("49.95")
    assert money(None) == Decimal("0.00")


def test_grouped_totals():
    budget = Budget((
        _line("a", "x", 2025, "personeel-intern", "10", "50", "100", "bedrijf"),
        _line("b", "x", 2026, "materiele-kosten", "3", "19,99"),
        _line("c", "y", 2025, "materiele-kosten", "1", "0,01"),
    ))
    assert budget.totals == Totals(Decimal("559.98"), Decimal("459.98"), Decimal("100.00"))
    by_year = budget.by_year()
    assert list(by_year) == list(YEARS)
    assert by_year[2025] == Totals(Decimal("500.01"), Decimal("400.01"), Decimal("100.00"))
    assert by_year[2027] == Totals()
    by_category = budget.by_category()
    assert list(by_category) == list(CATEGORIES)
    assert by_category["materiele-kosten"].totaal == Decimal("59.98")
    assert budget.by_activity() == {"x": Totals(Decimal("559.97"), Decimal("459.97"), Decimal("100.00")),
                                    "y": Totals(Decimal("0.01"), Decimal("0.01"), Decimal("0.00"))}
    assert budget.by_year_and_category()[(2026, "materiele-kosten")].totaal == Decimal("59.97")


def test_example_totals_add_up_every_way(region):
    total = region.begroting.totals
    assert all(isinstance(v, Decimal) for v in (total.totaal, total.subsidie, total.cofinanciering))
    assert total.totaal == total.subsidie + total.cofinanciering
    for grouping in (region.begroting.by_year(), region.begroting.by_category(), region.begroting.by_activity(),
                     region.budget_by_programmalijn()):
        assert sum(grouping.values(), Totals()) == total
    assert total == sum_lines(region.begroting.lines)


def test_example_figures(region):
    # Recomputed from begroting.yaml by hand-checkable sums, not by the model.
    assert region.begroting.totals.subsidie == Decimal("3850000.00") == region.effective_maximum
    assert region.begroting.totals.totaal == Decimal("4371600.00")
    assert region.cofinanciering_bedrijven == Decimal("508600.00")


def test_ten_percent_norm_is_rounded_up_to_the_cent(region):
    assert region.cofinanciering_norm == Decimal("437160.00")
    odd = Budget((_line("a", "x", 2025, "overige-kosten", "1", "100,01"),))
    from dataclasses import replace
    assert replace(region, begroting=odd).cofinanciering_norm == Decimal("10.01")  # 10.001 -> 10.01


def test_penvoerder_cofinanciering_does_not_count_for_bedrijven(region):
    kinds = {p.id: p.soort for p in region.partners}
    by_others = sum(l.cofinanciering for l in region.begroting.lines if kinds.get(l.cofinancier) != "bedrijf")
    assert region.begroting.totals.cofinanciering - region.cofinanciering_bedrijven == by_others > 0


def test_techniekluw_maximum_is_capped(region):
    from dataclasses import replace
    assert replace(region, soort="techniekluw", maximale_subsidie=None).effective_maximum == Decimal("4000000")
    assert replace(region, soort="techniekluw",
                   maximale_subsidie=Decimal("3000000")).effective_maximum == Decimal("3000000")


def test_places_point_at_fields(region):
    line = region.begroting.lines[0]
    assert line.place.path == "content/lindewaard/begroting.yaml"
    assert line.place.name("prijs") == "regels[1].prijs"
    assert line.place.of("prijs") > line.place.line == line.place.of("id")


def test_every_word_the_schemas_allow_has_its_dutch_name():
    rules = load_schema("wijzigingsprocedure")["regels"]["schema"]["schema"]
    assert set(rules["soort"]["allowed"]) == set(CHANGE_KINDS) == set(DEFAULT_CHANGE_RULES)
    assert set(rules["vastleggen"]["schema"]["allowed"]) == set(RECORD_STEPS)
    schema = load_schema("wijzigingsprocedure")
    assert tuple(schema["inhoudelijke_velden"]["schema"]["allowed"]) == ACTIVITY_FIELDS
    assert set(rules["besluit"]["allowed"]) == set(BODIES)
    used = set(BODIES) | set(rules["informeren"]["schema"]["allowed"]) | set(rules["vastleggen"]["schema"]["allowed"])
    assert used == set(PROCEDURE_WORDS)
    assert set(load_schema("vaststellingen")["vaststellingen"]["schema"]["schema"]["orgaan"]["allowed"]) <= set(BODIES)
