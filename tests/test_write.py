"""write.py: atomic, each path once, nothing partial left behind."""
from __future__ import annotations

import os

import pytest

from stodocs.write import Writer


def test_writes_atomically_and_replaces(tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.pdf").write_bytes(b"old")
    path = Writer(tmp_path).write("r/a.pdf", b"new")
    assert path.read_bytes() == b"new"
    assert os.listdir(tmp_path / "r") == ["a.pdf"]


def test_refuses_one_path_twice(tmp_path):
    writer = Writer(tmp_path)
    writer.write("r/a.pdf", b"1")
    with pytest.raises(ValueError, match="twice"):
        writer.write("r/a.pdf", b"2")
    assert (tmp_path / "r" / "a.pdf").read_bytes() == b"1"


@pytest.mark.parametrize("path", ["../x.pdf", "/etc/x.pdf", ""])
def test_refuses_paths_outside_the_output_folder(tmp_path, path):
    with pytest.raises(ValueError):
        Writer(tmp_path / "out").write(path, b"x")


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.pdf").write_bytes(b"old")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        Writer(tmp_path).write("r/a.pdf", b"new")
    assert os.listdir(tmp_path / "r") == ["a.pdf"]
    assert (tmp_path / "r" / "a.pdf").read_bytes() == b"old"
