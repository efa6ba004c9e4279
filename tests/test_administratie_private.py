"""--realisatie MAP: the projectadministratie in a private folder outside the plan repository (docs/privacy.md)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gitrepo import EXAMPLE, GitRepo


@pytest.fixture
def split(folder: GitRepo, tmp_path: Path) -> tuple[GitRepo, Path]:
    """The example without realisatie/, and that realisatie in a private folder of its own."""
    private = tmp_path / "prive"
    shutil.move(folder.file("realisatie"), private / EXAMPLE)
    return folder, private


def test_the_private_realisatie_is_checked_with_its_own_path(split):
    repo, private = split
    path = private / EXAMPLE / "personeel.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("uren: 240", "uren: 400", 1), encoding="utf-8")
    done = repo.run_cli("validate", "--realisatie", str(private))
    assert done.returncode == 1
    assert f"{path}:64: Jaartaak Kees de Boer 2024-2025, sto: 400 STO-uren passen niet in de jaartaak" in done.stderr
    assert repo.run_cli("validate").returncode == 0  # without it, the plan alone is checked


def test_build_reads_the_private_realisatie_and_writes_the_statements_privately(split, tmp_path):
    repo, private = split
    done = repo.run_cli("build", "--format", "html", "--realisatie", str(private),
                        "--administratie", str(tmp_path / "verklaringen"))
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "verklaringen" / EXAMPLE).glob("bijlage-*.html"))) == 29
    assert not list((repo.root / "output").rglob("bijlage-*"))


def test_a_realisatie_in_two_places_is_refused(folder: GitRepo, tmp_path: Path):
    private = tmp_path / "prive"
    shutil.copytree(folder.file("realisatie"), private / EXAMPLE)
    done = folder.run_cli("validate", "--realisatie", str(private))
    assert done.returncode == 1
    assert f"content/{EXAMPLE}/realisatie: de realisatie staat zowel hier als in {private / EXAMPLE}" in done.stderr


def test_unknown_files_and_a_missing_peildatum_in_the_private_folder(split):
    repo, private = split
    (private / EXAMPLE / "verantwoording.yaml").unlink()
    (private / EXAMPLE / "personeel.yaml").rename(private / EXAMPLE / "personel.yaml")
    done = repo.run_cli("validate", "--realisatie", str(private))
    assert done.returncode == 1
    assert f"{private / EXAMPLE / 'personel.yaml'}:1: onbekend bestand; bedoelde u 'personeel.yaml'?" in done.stderr
    assert f"{private / EXAMPLE / 'verantwoording.yaml'}:1: bestand ontbreekt" in done.stderr


def test_a_missing_private_folder_is_a_usage_error(folder: GitRepo, tmp_path: Path):
    done = folder.run_cli("validate", "--realisatie", str(tmp_path / "nergens"))
    assert done.returncode == 2
    assert "die map bestaat niet" in done.stderr


def test_a_linked_private_realisatie_folder_is_an_error_not_ignored(split, tmp_path):
    repo, private = split
    elsewhere = tmp_path / "elders"
    shutil.move(private / EXAMPLE, elsewhere)
    (private / EXAMPLE).symlink_to(elsewhere, target_is_directory=True)
    done = repo.run_cli("validate", "--realisatie", str(private))
    assert done.returncode == 1 and f"{private / EXAMPLE}: deze map is een symbolische koppeling" in done.stderr


@pytest.mark.parametrize("committed", [False, True])
def test_a_linked_realisatie_folder_in_the_region_is_an_error_not_ignored(folder: GitRepo, tmp_path, committed):
    elsewhere = tmp_path / "elders"
    shutil.move(folder.file("realisatie"), elsewhere)
    folder.file("realisatie").symlink_to(elsewhere, target_is_directory=True)
    if committed:
        folder.commit("Realisatie als koppeling")
    done = folder.run_cli("validate")
    assert done.returncode == 1
    assert f"content/{EXAMPLE}/realisatie: realisatie is geen map maar een symbolische koppeling" in done.stderr
