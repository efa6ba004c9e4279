"""The only writer under output/: every file lands whole or not at all, and a set of files lands together.

Two ways to write:
- `Writer.write` outside `together()`: one file, via a temporary file in the same folder and a rename.
- inside `with writer.together():` every file goes to a hidden staging folder `output/.staging-<pid>-<random>/`
  first; when the block ends without an error, the files are renamed into place one after another with the stop
  signals (Ctrl-C, SIGTERM, SIGHUP) held back, so a stop can no longer split the set. On an error, or a stop
  before that moment, the staging folder is removed and nothing appears. Only a SIGKILL or a power cut during
  those few renames could leave part of a set.

Temporary files and staging folders carry the process id of the build that made them. A later build removes
those whose process is gone (a build killed with SIGKILL), and leaves a running build's files alone.

The staging folder mirrors the output's layout (`<region>/<file>`), so anything that wants to add files to the
same set (a manifest, say) writes them with `write` inside the same `together()` block.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

from .dependencies import SHARED_INPUTS
from .problems import EnvironmentFailure, UsageError

STAGING_PREFIX = ".staging-"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_LEFTOVER = re.compile(r"^\.(?:staging-(\d+)-.+|.+\.(\d+)-[^.]*\.tmp)$")
_LEGACY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # a temporary file of a stodocs before 2026-12, without a pid
LEGACY_AGE = 600  # seconds: no single write takes this long


class Writer:
    """Write files below `root` atomically, each path at most once per build; inside `together()` as one set."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.written: list[Path] = []
        self._together = False
        self._staging: Path | None = None
        self._staged: list[tuple[Path, Path]] = []  # (file in the staging folder, where it goes)

    def write(self, relative: str, data: bytes) -> Path:
        """Write `data` to `root/relative`: at once, or inside `together()` when the block ends."""
        target = self._target(relative)
        if target in self.written:
            raise ValueError(f"{target} would be written twice in one build")
        try:
            if self._together:
                staged = self._staging_folder() / target.relative_to(self.root)
                staged.parent.mkdir(parents=True, exist_ok=True)
                _write_new(staged, data)
                self._staged.append((staged, target))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                _write_atomically(target, data)
        except OSError as exc:
            raise environment_failure(exc, target) from None
        self.written.append(target)
        return target

    @contextmanager
    def together(self) -> Iterator[Writer]:
        """Stage every `write` in the block; put them all in place when it ends well, none when it does not.

        The output folder and the staging folder are made at the first write: a block that writes nothing
        leaves the disk as it was.
        """
        self._together = True
        try:
            yield self
            self._commit()
        except BaseException:
            self.written = [t for t in self.written if t not in {target for _, target in self._staged}]
            raise
        finally:
            if self._staging is not None:
                shutil.rmtree(self._staging, ignore_errors=True)
            self._together, self._staging, self._staged = False, None, []

    def _staging_folder(self) -> Path:
        if self._staging is None:
            self.root.mkdir(parents=True, exist_ok=True)
            remove_leftovers(self.root)
            self._staging = Path(tempfile.mkdtemp(dir=self.root, prefix=f"{STAGING_PREFIX}{os.getpid()}-"))
        return self._staging

    def _commit(self) -> None:
        try:
            for _, target in self._staged:
                target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise environment_failure(exc, exc.filename or self.root) from None
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)  # a stop waits until the set is whole
        try:
            appeared: list[Path] = []
            try:
                for staged, target in self._staged:
                    existed = target.exists()
                    os.replace(staged, target)
                    if not existed:
                        appeared.append(target)
            except OSError as exc:
                for path in appeared:  # none of the set, rather than part of it
                    path.unlink(missing_ok=True)
                raise environment_failure(exc, target) from None
            self._staged = []  # in place: a stop that arrives as the signals are let through takes nothing back
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def _target(self, relative: str) -> Path:
        parts = PurePosixPath(relative).parts
        if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
            raise ValueError(f"output path {relative!r} must stay inside {self.root}")
        return self.root.joinpath(*parts)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def check_output_folder(output: Path, root: Path, option: str = "--output") -> None:
    """Refuse an output folder that would mix documents into the sources: the project folder itself (or a folder
    above it), anything inside content/, or git's own folder."""
    folder, project = Path(output).resolve(), Path(root).resolve()
    if _inside(project, folder):
        raise UsageError(f"{option} {output} is de projectmap zelf (of een map daarboven); kies een eigen map voor "
                         "de documenten, bijvoorbeeld output/")
    if _inside(folder, project / "content"):
        raise UsageError(f"{option} {output} ligt in content/, tussen de bronbestanden van de regio's; kies een map "
                         "buiten content/, bijvoorbeeld output/")
    if _inside(folder, project / ".git"):
        raise UsageError(f"{option} {output} ligt in .git/, de eigen map van git; kies een map buiten .git/, "
                         "bijvoorbeeld output/")


def check_private_folder(private: Path, output: Path, root: Path) -> None:
    """Refuse a folder for the statements (personal data) that is public or holds the sources: inside or equal to
    the output folder (which CI keeps as an artifact), inside content/ or .git/, or at or above the project."""
    check_output_folder(private, root, "--administratie")
    if _inside(Path(private).resolve(), Path(output).resolve()):
        raise UsageError(f"--administratie {private} ligt in de uitvoermap {output}, die CI als artefact bewaart en "
                         "deelt; de verklaringen bevatten persoonsgegevens: kies een eigen map, bijvoorbeeld "
                         "administratie/ (zie docs/privacy.md)")


def check_public_folder(output: Path, private: Path) -> None:
    """Refuse a public folder (the review site) inside the private folder of the statements, equal to it, or around
    it."""
    folder, secret = Path(output).resolve(), Path(private).resolve()
    if _inside(folder, secret) or _inside(secret, folder):
        raise UsageError(f"--output {output} valt samen met de map van de verklaringen ({private}), die "
                         "persoonsgegevens bevat; kies een eigen map voor de site, bijvoorbeeld site/")


def check_output_file(path: Path, root: Path, option: str) -> None:
    """Refuse a file to write that would replace a source: inside content/ or .git/, one of stodocs' own inputs
    (templates/, schemas/, stodocs/, build.py, ...), or the project folder itself."""
    target, project = Path(path).resolve(), Path(root).resolve()
    sources = [project / "content", project / ".git", *(project / name.rstrip("/") for name in SHARED_INPUTS)]
    if _inside(project, target) or any(_inside(target, source) for source in sources):
        raise UsageError(f"{option} {path} zou een bronbestand overschrijven (in content/, .git/, templates/, "
                         "schemas/ of stodocs/, of build.py zelf); kies een bestand daarbuiten, bijvoorbeeld "
                         "output/commentaar.md")


def _write_new(path: Path, data: bytes) -> None:
    with open(path, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(path, 0o666 & ~_umask())


def _write_atomically(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:  # also Ctrl-C: never leave the temporary file behind
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_leftovers(root: Path) -> list[Path]:
    """Remove staging folders and temporary files below `root` left by builds that no longer run."""
    removed = []
    for path, folders, files in os.walk(root):  # output/, output/<region>/, output/diffs/<region>/
        hidden = [Path(path) / name for name in (*folders, *files) if name.startswith(".")]
        depth = len(Path(path).relative_to(root).parts)
        folders[:] = [] if depth >= 2 else sorted(f for f in folders if not f.startswith("."))
        for entry in hidden:
            found = _LEFTOVER.match(entry.name)
            if found and _running(int(found.group(1) or found.group(2))):
                continue
            if not found and not (_LEGACY.match(entry.name) and _age(entry) > LEGACY_AGE):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def _age(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return 0.0


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2**22  # another user's process (or a number no process has)
    return True


_WHAT_TO_DO = {
    errno.ENOSPC: "de schijf is vol; maak ruimte vrij en probeer het opnieuw",
    errno.EDQUOT: "de schijfruimte (quota) is op; maak ruimte vrij en probeer het opnieuw",
    errno.EACCES: "geen schrijfrechten; geef schrijfrechten op deze map, of kies een andere map met --output",
    errno.EPERM: "geen toestemming om hier te schrijven; kies een andere map met --output",
    errno.EROFS: "de schijf is alleen-lezen; kies een andere map met --output",
    errno.ENOTDIR: "een deel van dit pad is een bestand, geen map; kies een map met --output",
    errno.EEXIST: "hier staat een bestand waar een map moet komen; kies een map met --output",
    errno.EISDIR: "hier staat een map waar een bestand moet komen; verwijder of hernoem die map",
    errno.EIO: "de schijf gaf een leesfout of schrijffout; controleer de schijf en probeer het opnieuw",
    errno.ENAMETOOLONG: "het pad is te lang; kies een kortere map met --output",
}


def environment_failure(exc: OSError, path) -> EnvironmentFailure:
    """Return an OS error while writing as a Dutch message that names the path and says what to do."""
    where = exc.filename or path
    what = _WHAT_TO_DO.get(exc.errno, f"het besturingssysteem weigert ({errno.errorcode.get(exc.errno, exc.errno)}); "
                                       "controleer de map en probeer het opnieuw")
    return EnvironmentFailure(f"kan niet schrijven in {where}: {what}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
