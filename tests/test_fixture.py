"""The tests' own region: tests/fixture/ is what every test reads, and content/ (the users' example) is not."""
from __future__ import annotations

import shutil

import pytest

from gitrepo import EXAMPLE, FIXTURE, ROOT, TODAY
from stodocs.pipeline import check
from stodocs.sources import WorkingTree


def test_the_fixture_region_is_clean():
    assert [p.format() for p in check(WorkingTree(FIXTURE), [EXAMPLE], TODAY).problems] == []


@pytest.mark.parametrize("read", [
    lambda: (ROOT / "content" / EXAMPLE / "regio.yaml").read_bytes(),
    lambda: WorkingTree(ROOT).region_names(),
    lambda: check(WorkingTree(ROOT), [EXAMPLE]),
    lambda: shutil.copytree(ROOT / "content", "/nonexistent/never-written"),
], ids=["open", "list", "check", "copy"])
def test_no_test_but_test_content_reads_the_example(read):
    with pytest.raises(RuntimeError, match="read only by tests/test_content.py"):
        read()
