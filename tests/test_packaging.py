"""stodocs as a package: the wheel holds every module, template and schema, and works outside the tree."""
from __future__ import annotations

import subprocess
import tomllib
import zipfile
from pathlib import Path

from gitrepo import ROOT, GitRepo, user_env


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run a program as a user would, with nothing of this project on the path."""
    return subprocess.run([*args], capture_output=True, text=True, cwd=cwd, env=user_env(), check=False)


def test_pyproject_lists_every_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    code = {".".join(p.relative_to(ROOT).parent.parts) for p in (ROOT / "stodocs").rglob("__init__.py")}
    assert code <= set(config["packages"]), "a package under stodocs/ is missing from pyproject.toml"


def test_the_wheel_holds_every_module_template_and_schema(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for folder, inside in (("stodocs", "stodocs"), ("templates", "stodocs/templates"), ("schemas", "stodocs/schemas")):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert f"{inside}/{path.relative_to(ROOT / folder).as_posix()}" in names


def test_installed_stodocs_uses_its_own_copy(installed, tmp_path):
    where = _run(str(installed.python), "-c",
                 "import stodocs.render as r, stodocs.validate as v; print(r.__file__, r.TEMPLATE_DIR, v.SCHEMA_DIR)",
                 cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    venv = installed.python.parent.parent
    assert all(Path(p).is_relative_to(venv) for p in where.stdout.split()), where.stdout


def test_the_stodocs_command_and_build_py_check_the_folder_they_work_on(installed, tmp_path):
    folder = GitRepo.example(tmp_path / "regio")
    done = _run(str(installed.stodocs), "validate", cwd=folder.root)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "1 regio gecontroleerd (lindewaard): geen fouten.\n"
    folder.replace("regio.yaml", "penvoerder: ", "penvoerder: onbekend-")
    broken = _run(str(installed.python), "build.py", "validate", cwd=folder.root)
    assert broken.returncode == 1 and broken.stderr.startswith("content/lindewaard/regio.yaml:")
    helped = _run(str(installed.stodocs), "--help", cwd=tmp_path)
    assert helped.returncode == 0 and helped.stdout.startswith("gebruik: stodocs")
    module = _run(str(installed.python), "-m", "stodocs", "validate", "--stict", cwd=folder.root)
    assert module.returncode == 2 and "gebruik: python -m stodocs" in module.stderr
