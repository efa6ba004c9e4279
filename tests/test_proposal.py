"""proposal.py and its inputs: the Wijzigingsvoorstel's signature blocks and wording, and the diff file names."""
from __future__ import annotations

from dataclasses import replace

import pytest

from stodocs.approval import Approval
from stodocs.diff.pipeline import diff_base, impact_of
from stodocs.model import Place, Region, Vaststelling
from stodocs.proposal import proposal_html, proposal_markdown


def without_goal(region: Region, goal_id: str) -> Region:
    """Return `region` as if doelstelling `goal_id` did not exist yet."""
    lijnen = tuple(replace(lijn, doelstellingen=tuple(d for d in lijn.doelstellingen if d.id != goal_id))
                   for lijn in region.programmalijnen)
    return replace(region, programmalijnen=lijnen)


def test_every_deciding_body_gets_its_own_signature_block(compared):
    impact = impact_of(compared)
    assert [s.key for s in impact.decisions()] == ["stuurgroep", "programmamanager"]
    markdown = proposal_markdown(impact, level=3)
    signing = markdown[markdown.index("#### Besluit\n"):]
    assert signing.count("| Handtekening |") == 2
    assert signing.index("##### Besluit van de stuurgroep") < signing.index("##### Besluit van de programmamanager")
    assert "Over: verschuiving in de begroting onder de drempel." in signing
    html = proposal_html(impact)
    assert html.count('<table class="ondertekening">') == 2
    assert "<h3>Besluit van de stuurgroep</h3>" in html and "<h3>Besluit van de programmamanager</h3>" in html


def test_without_a_deciding_body_there_is_one_signature_block(compared):
    impact = replace(impact_of(compared), findings=())
    assert proposal_markdown(impact).count("| Handtekening |") == 1
    assert proposal_html(impact).count('<table class="ondertekening">') == 1


@pytest.mark.parametrize("approved, wording", [(False, "de vorige versie"), (True, "de vastgestelde versie")])
def test_a_new_goal_is_missing_from_the_approved_version_only_when_it_was_approved(compared, approved, wording):
    record = Vaststelling("0123456789", "2026-03-14", "stuurgroep", "SG-1", "Vastgesteld.",
                          Place("content/lindewaard/vaststellingen.yaml", 2))
    approval = Approval(record, "0123456789" * 4) if approved else None
    old = without_goal(compared.old, "lob-en-studiekeuze")  # the new activity's doelstelling
    impact = impact_of(replace(compared, old=old, old_approval=approval))
    [goal] = [f for f in impact.findings if f.soort == "nieuwe-doelstelling"]
    assert (f"het regioplan zelf wijzigt: de doelstelling staat niet in {wording}",) in goal.details


def test_shortened_redline_has_its_own_file_names(compared):
    full, short = diff_base(compared), diff_base(compared, only_changes=True)
    assert short == full + "-alleen-wijzigingen"
    assert full.startswith("diffs/lindewaard/lindewaard-")
