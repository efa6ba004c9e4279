"""The regions shipped under content/ are clean: no errors and no warnings, with the messages shown on failure."""
from __future__ import annotations

import pytest

from gitrepo import ROOT, TODAY
from stodocs.pipeline import check
from stodocs.sources import WorkingTree

REGIONS = WorkingTree(ROOT).region_names()


def test_there_is_an_example_region():
    assert "lindewaard" in REGIONS


@pytest.mark.parametrize("region", REGIONS)
def test_region_validates_without_problems(region: str):
    checked = check(WorkingTree(ROOT), [region], TODAY)
    assert [p.format() for p in checked.problems] == []
