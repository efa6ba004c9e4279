"""Where content comes from: the working tree or a git revision, behind one interface."""
from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Iterator

from .problems import EnvironmentFailure, UsageError
from .resources import PACKAGE, data_folder

CONTENT = "content"
MAX_FILE_BYTES = 2_000_000  # no plan file is this large; larger is an accident or an attack
REGION_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@dataclass(frozen=True)
class Version:
    """Which version of the content a document is built from.

    `commit` is None outside git. `dirty` means the working tree differs from `commit`.
    `date` is the commit date (or SOURCE_DATE_EPOCH), never the clock.
    """

    commit: str | None
    describe: str | None
    date: datetime
    dirty: bool
    in_git: bool

    @property
    def short(self) -> str:
        return self.commit[:10] if self.commit else "geen-git"

    @property
    def label(self) -> str:
        """Human label: tag description or short hash, with a concept mark when dirty."""
        base = self.describe or self.short
        if not self.in_git:
            return "buiten git"
        return f"{base}+concept" if self.dirty else base

    @property
    def slug(self) -> str:
        """File-name part naming this version."""
        return re.sub(r"[^A-Za-z0-9._-]", "-", self.label)


@dataclass(frozen=True)
class SourceFile:
    path: str  # repository-relative, forward slashes
    data: bytes | None  # None when the file was not read
    problem: str | None = None  # why it was not read


def _too_large(size: int, more: bool = False) -> str:
    shown = f"{'meer dan ' if more else ''}{size - more:,} bytes; maximaal {MAX_FILE_BYTES:,}".replace(",", ".")
    return f"is te groot ({shown}); een planbestand is veel kleiner, controleer of dit het goede bestand is"


_SPECIAL_KINDS = ((stat.S_ISFIFO, "een named pipe (FIFO)"), (stat.S_ISCHR, "een apparaat"),
                  (stat.S_ISBLK, "een apparaat"), (stat.S_ISSOCK, "een socket"), (stat.S_ISDIR, "een map"))


def read_regular(full: Path, path: str) -> SourceFile:
    """Read `full` if it is a regular file of at most MAX_FILE_BYTES; anything else is a reason, never a hang.

    The file is opened without following a link and without blocking (a FIFO would wait for a writer), its
    kind is checked on the open file (so it cannot be swapped in between), and at most the limit plus one
    byte is read (a file that grows, or lies about its size, cannot exhaust memory).
    """
    try:
        fd = os.open(full, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return SourceFile(path, None, "is een symbolische koppeling; zet het bestand zelf in de map")
        return SourceFile(path, None, f"kan niet gelezen worden ({_os_reason(exc)})")
    with os.fdopen(fd, "rb", buffering=0) as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "geen gewoon bestand")
            return SourceFile(path, None, f"is geen gewoon bestand maar {kind}; zet een gewoon bestand in de map, "
                                          "of haal dit weg")
        size = os.fstat(fd).st_size
        if size > MAX_FILE_BYTES:
            return SourceFile(path, None, _too_large(size))
        try:
            chunks, total = [], 0
            while total <= MAX_FILE_BYTES:
                chunk = handle.read(MAX_FILE_BYTES + 1 - total)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        except OSError as exc:
            return SourceFile(path, None, f"kan niet gelezen worden ({_os_reason(exc)})")
    if total > MAX_FILE_BYTES:
        return SourceFile(path, None, _too_large(total, more=True))
    return SourceFile(path, b"".join(chunks))


_OS_REASONS = {
    errno.EACCES: "geen leesrechten", errno.EPERM: "geen toestemming", errno.ENOENT: "het bestand bestaat niet (meer)",
    errno.EISDIR: "het is een map", errno.EIO: "leesfout op de schijf", errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "de schijf is alleen-lezen", errno.ENOTDIR: "een deel van het pad is geen map",
    errno.ENAMETOOLONG: "de naam is te lang", errno.EDQUOT: "de schijfruimte (quota) is op",
}


def _os_reason(exc: OSError) -> str:
    """Return what went wrong, in Dutch, for an error of the operating system."""
    return _OS_REASONS.get(exc.errno, f"systeemfout {errno.errorcode.get(exc.errno, exc.errno)}")


class MissingRevision(Exception):
    """A git revision cannot be found (e.g. a shallow clone)."""

    def __init__(self, rev: str, message: str):
        super().__init__(message)
        self.rev = rev
        self.message = message


def run_git(root: Path, *args: str, check: bool = True, text: bool = True) -> subprocess.CompletedProcess:
    """Run git in `root` with English messages and no prompts; raise on failure only when `check`."""
    env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0")
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=text,
                          check=check, env=env)


def git_toplevel(path: Path) -> Path | None:
    """Return the git work tree containing `path`, or None outside git.

    git refusing a repository that is there (a folder owned by another user: "dubious ownership", a broken
    .git) is no "outside git": it is an EnvironmentFailure that says what git said and what to do.
    """
    try:
        out = run_git(path, "rev-parse", "--show-toplevel", check=False)
    except FileNotFoundError:  # git itself missing
        return None
    if out.returncode == 0:
        return Path(out.stdout.strip())
    if "not a git repository" in out.stderr:
        return None
    if out.returncode < 0:  # git itself was stopped (a signal): no answer about the repository
        raise EnvironmentFailure(f"git stopte onverwacht (signaal {-out.returncode}); probeer het opnieuw")
    said = " ".join(line.strip() for line in out.stderr.splitlines() if line.strip()) or f"exitcode {out.returncode}"
    if "dubious ownership" in out.stderr:
        raise EnvironmentFailure(
            f"git weigert de repository in {path}: de map is van een andere gebruiker ('dubious ownership'). "
            f"Vertrouwt u de map, voer dan uit: git config --global --add safe.directory {path.resolve()} "
            "(in CI: geef de map aan de gebruiker die de build draait)")
    raise EnvironmentFailure(f"git weigert de repository in {path} ({said}); herstel de repository of "
                             "bouw buiten git")


def tool_paths_in(top: Path) -> list[str]:
    """Return the paths (absolute, as git takes them anywhere in the work tree) of stodocs' own files that go
    into a PDF (its code, templates, schemas and build.py) as far as they lie in the repository at `top`."""
    top = top.resolve()
    tool = [PACKAGE, data_folder("templates"), data_folder("schemas"), PACKAGE.parent / "build.py"]
    return [str(path) for path in dict.fromkeys(p.resolve() for p in tool) if path.exists() and path.is_relative_to(top)]


def object_type(root: Path, oid: str) -> str | None:
    """Return the type of object `oid` (a full hash): 'commit', 'tree', 'blob', 'tag', or None."""
    found = run_git(root, "cat-file", "-t", oid, check=False)
    return found.stdout.strip() if found.returncode == 0 else None


def is_shallow(root: Path) -> bool:
    """Return whether the repository at `root` is a shallow clone (part of its history is missing)."""
    return run_git(root, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == "true"


@dataclass(frozen=True)
class TreeEntry:
    mode: str  # '100644', '120000' for a symbolic link, ...
    sha: str  # the blob hash: equal hashes, equal content
    size: int
    kind: str = "blob"  # 'commit' for a submodule entry


def list_tree(root: Path, commit: str, folder: str) -> dict[str, TreeEntry]:
    """Return every file below `folder` at `commit` by path; empty when git cannot list it."""
    listing = run_git(root, "ls-tree", "-r", "-l", "-z", commit, "--", folder, check=False, text=False).stdout
    entries = {}
    for entry in filter(None, listing.split(b"\0")):
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha, size = meta.decode("ascii").split()
        # A name that is not UTF-8 is shown with a replacement character; git finds the blob by its hash.
        entries[path.decode("utf-8", "replace")] = TreeEntry(mode, sha, int(size) if size.isdigit() else 0, kind)
    return entries


@dataclass(frozen=True)
class CommitLookup:
    """What git says about a commit hash or prefix: the full hash when it names exactly one commit."""

    commit: str | None
    candidates: tuple[str, ...] = ()  # every commit the prefix fits, when more than one
    shallow: bool = False  # the repository is a shallow clone, so the commit may exist elsewhere

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


COMMIT_HASH = re.compile(r"^[0-9a-f]{7,40}$")


def lookup_commit(root: Path, name: str) -> CommitLookup:
    """Return the commit whose hash starts with `name` (7 to 40 hex digits) in the repository at `root`.

    `name` is looked up only among git's objects, never as a branch or tag: `git rev-parse` prefers a ref
    over an abbreviated hash, so a tag named like a recorded hash could otherwise approve any content
    (docs/security.md).
    """
    if not isinstance(name, str) or not COMMIT_HASH.match(name):
        return CommitLookup(None)
    objects = run_git(root, "rev-parse", f"--disambiguate={name}", check=False).stdout.split()
    commits = tuple(sorted(oid for oid in objects if object_type(root, oid) == "commit"))
    if len(commits) == 1:
        return CommitLookup(commits[0])
    return CommitLookup(None, commits, shallow=not commits and is_shallow(root))


def commit_subjects(root: Path, old: str | None, new: str, folder: str) -> list[str]:
    """Return the subject lines of the commits after `old` up to `new` that touched `folder`, newest first."""
    span = f"{old}..{new}" if old else new
    log = run_git(root, "log", "--format=%s", span, "--", folder, check=False).stdout
    return [subject for subject in log.splitlines() if subject.strip()]


def log_paths(root: Path, rev: str, pathspecs: list[str]) -> Iterator[tuple[str, int, str]]:
    """Yield (commit, commit time, path) for each path each commit up to `rev` changed, newest commit first,
    following first parents (a merge counts as what it brought in); paths relative to `root`, as are `pathspecs`.

    git runs while the caller reads: stopping early stops git, so only as much history is read as is needed.
    """
    env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0")
    command = ["git", "-C", str(root), "-c", "core.quotePath=false", "log", "--relative", "--first-parent", "-m",
               "--no-renames", "--name-only", "--format=%x01%H %ct", rev, "--", *pathspecs]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env) as process:
        try:
            commit = None
            for raw in process.stdout:
                line = raw.decode("utf-8", "surrogateescape").rstrip("\n")
                if line.startswith("\x01"):
                    sha, stamp = line[1:].split()
                    commit = (sha, int(stamp))
                elif line and commit is not None:
                    yield commit[0], commit[1], line
        finally:
            if process.poll() is None:
                process.kill()


def epoch_date() -> datetime | None:
    """Return SOURCE_DATE_EPOCH as a moment in UTC, or None when it is not set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    return None


def _commit_info(root: Path, rev: str) -> tuple[str, datetime, str | None]:
    out = run_git(root, "log", "-1", "--format=%H %ct", rev).stdout.split()
    commit, stamp = out[0], int(out[1])
    described = run_git(root, "describe", "--tags", rev, check=False)
    describe = described.stdout.strip() if described.returncode == 0 else None
    return commit, datetime.fromtimestamp(stamp, tz=timezone.utc), describe


class WorkingTree:
    """The files on disk under `root/content`, with the version of the checked-out commit."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.name = "werkmap"

    def region_names(self) -> list[str]:
        base = self.root / CONTENT
        if base.is_symlink():  # it could point anywhere on the machine
            raise UsageError(f"{CONTENT}/ is een symbolische koppeling; zet de regiomappen zelf in {CONTENT}/")
        if not base.is_dir():
            return []
        # A linked folder could point anywhere on the machine: not a region (see refused_regions).
        return sorted(p.name for p in base.iterdir()
                      if p.is_dir() and not p.is_symlink() and not p.name.startswith((".", "_")))

    def refused_regions(self) -> list[str]:
        """Return the folders under content/ that look like regions but are symbolic links."""
        base = self.root / CONTENT
        return sorted(p.name for p in base.iterdir() if p.is_symlink()) if base.is_dir() else []

    def files(self, region: str) -> list[str]:
        """Return every file path under the region, repository-relative and sorted."""
        base = self.root / CONTENT / region
        found = []
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            # A linked folder is never followed, but listed like a linked file (as git lists it), so that it is
            # reported instead of silently left out.
            filenames += [d for d in dirnames if (Path(dirpath) / d).is_symlink()]
            for name in filenames:
                if not name.startswith("."):
                    found.append((Path(dirpath) / name).relative_to(self.root).as_posix())
        return sorted(found)

    def read(self, path: str) -> SourceFile:
        # content/ and the region folders are never links (region_names), and files() does not follow
        # linked subfolders; so a path inside content/ without '..' that is no link itself stays inside.
        full = self.root / path
        parts = PurePosixPath(path).parts
        if parts[:1] != (CONTENT,) or ".." in parts or full.is_symlink():
            return SourceFile(path, None, "is een symbolische koppeling; zet het bestand zelf in de map")
        return read_regular(full, path)

    def git_root(self) -> Path | None:
        """Return the git work tree this folder is in, or None outside git."""
        return git_toplevel(self.root)

    def content_ids(self, region: str, leave_out: frozenset[str] = frozenset()) -> dict[str, str] | None:
        """Return {file name in the region: git blob hash} of the committed region, without the names in
        `leave_out`; None outside git, or when a file other than those has uncommitted changes."""
        folder = f"{CONTENT}/{region}"
        status = run_git(self.root, "status", "--porcelain", "-z", "--untracked-files=all", "--", folder,
                         check=False)
        if status.returncode != 0:
            return None
        # Porcelain paths are relative to the repository's top, which may lie above self.root.
        changed = [entry[3:] for entry in filter(None, status.stdout.split("\0")) if len(entry) > 3]
        if any(not any(path.endswith(f"{folder}/{name}") for name in leave_out) for path in changed):
            return None
        return _region_ids(list_tree(self.root, "HEAD", folder + "/"), folder, leave_out)

    def version(self) -> Version:
        top = git_toplevel(self.root)
        epoch = epoch_date()
        if top is None or run_git(self.root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode:
            return Version(None, None, epoch or self._latest_mtime(), dirty=False, in_git=False)
        commit, date, describe = _commit_info(self.root, "HEAD")
        # Concept when anything that goes into the PDF differs from the commit: the content, and stodocs' own
        # code, templates and schemas when they live in this repository (as in a region's own repository).
        status = run_git(self.root, "status", "--porcelain", "--untracked-files=all", "--", CONTENT,
                         *tool_paths_in(top), check=False)
        dirty = bool(status.stdout.strip()) or status.returncode != 0
        # A clean commit is dated by the commit; uncommitted content by SOURCE_DATE_EPOCH if given.
        return Version(commit, describe, (epoch or date) if dirty else date, dirty=dirty, in_git=True)

    def region_versions(self, names: list[str]) -> dict[str, Version]:
        """Return the version each region's documents carry: the last commit that changed the region's inputs
        (its folder, templates/, schemas/, stodocs/, ...; see dependencies.py), with a concept mark when the
        region's folder (or stodocs' own files in this repository) has uncommitted changes. So a commit that leaves a region alone leaves its documents alone.
        """
        top = git_toplevel(self.root)
        epoch = epoch_date()
        if top is None or run_git(self.root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode:
            return {name: Version(None, None, epoch or self._latest_mtime([name]), dirty=False, in_git=False)
                    for name in names}
        # Porcelain paths are relative to the repository's top, which may lie above self.root.
        prefix = (self.root / CONTENT).relative_to(top).as_posix() + "/"
        # Concept when the region's folder differs from the commit, or (for every region) stodocs' own code,
        # templates or schemas in this repository do, as in version().
        status = run_git(top, "status", "--porcelain", "-z", "--untracked-files=all", "--", prefix,
                         *tool_paths_in(top), check=False, text=False)
        paths = [entry[3:].decode("utf-8", "surrogateescape") for entry in status.stdout.split(b"\0") if len(entry) > 3]
        dirty = {path[len(prefix):].split("/", 1)[0] for path in paths if path.startswith(prefix)}
        if status.returncode != 0 or any(not path.startswith(prefix) for path in paths):
            dirty = set(names)
        versions = _versions_at(self.root, "HEAD", names)
        return {name: Version(v.commit, v.describe, (epoch or v.date) if name in dirty else v.date,
                              dirty=name in dirty, in_git=True) for name, v in versions.items()}

    def _latest_mtime(self, regions: list[str] | None = None) -> datetime:
        stamps = [os.stat(self.root / f).st_mtime for r in (regions or self.region_names()) for f in self.files(r)]
        return datetime.fromtimestamp(int(max(stamps, default=0)), tz=timezone.utc)


class GitRevision:
    """The files of `content/` at a git revision, read with git without touching the work tree."""

    def __init__(self, root: Path, rev: str):
        top = git_toplevel(Path(root))
        if top is None:
            raise UsageError(f"{root} is geen git-repository; --from en --to werken alleen in git")
        self.root = top
        self.rev = rev
        self.name = f"revisie {rev}"
        if rev.startswith("-"):
            raise UsageError(f"ongeldige revisie '{rev}'")
        found = run_git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        if found.returncode != 0:
            hint = (f"Dit is een ondiepe kloon (shallow clone). Haal de geschiedenis op met "
                    f"'git fetch --unshallow' of 'git fetch origin {rev}' en probeer het opnieuw."
                    if is_shallow(top) else
                    f"Controleer de naam, of haal hem op met 'git fetch origin {rev}'.")
            raise MissingRevision(rev, f"revisie '{rev}' niet gevonden in deze repository. {hint}")
        self.commit = found.stdout.strip()
        self._entries = list_tree(top, self.commit, CONTENT + "/")

    def region_names(self) -> list[str]:
        names = {PurePosixPath(p).parts[1] for p in self._entries if len(PurePosixPath(p).parts) > 2}
        return sorted(n for n in names if not n.startswith((".", "_")))

    def refused_regions(self) -> list[str]:
        """Return no folders: in a git tree a linked folder is a link file, never a region."""
        return []

    def files(self, region: str) -> list[str]:
        prefix = f"{CONTENT}/{region}/"
        return sorted(p for p in self._entries
                      if p.startswith(prefix) and not any(part.startswith(".") for part in PurePosixPath(p).parts))

    def read(self, path: str) -> SourceFile:
        if path not in self._entries:
            return SourceFile(path, None, f"bestaat niet in revisie {self.rev}")
        entry = self._entries[path]
        if entry.mode == "120000":
            return SourceFile(path, None, "is een symbolische koppeling; zet het bestand zelf in de map")
        if entry.kind != "blob":
            return SourceFile(path, None, "is geen gewoon bestand maar een verwijzing naar een andere repository "
                                          "(submodule); zet het bestand zelf in de map")
        if entry.size > MAX_FILE_BYTES:
            return SourceFile(path, None, _too_large(entry.size))
        return SourceFile(path, run_git(self.root, "cat-file", "blob", entry.sha, text=False).stdout)

    def git_root(self) -> Path:
        return self.root

    def content_ids(self, region: str, leave_out: frozenset[str] = frozenset()) -> dict[str, str]:
        """Return {file name in the region: git blob hash} at this revision, without the names in `leave_out`."""
        return _region_ids(self._entries, f"{CONTENT}/{region}", leave_out)

    def version(self) -> Version:
        commit, date, describe = _commit_info(self.root, self.commit)
        return Version(commit, describe, date, dirty=False, in_git=True)

    def region_versions(self, names: list[str]) -> dict[str, Version]:
        """Return the version each region's documents carry at this revision (see WorkingTree.region_versions)."""
        return _versions_at(self.root, self.commit, names)


def _versions_at(root: Path, rev: str, names: list[str]) -> dict[str, Version]:
    """Return each region's version at `rev`: the last commit that changed its inputs, described by its tag."""
    from .dependencies import last_changes  # it builds on this module
    changes = last_changes(root, rev, names)
    if len(changes) < len(names):  # a region no commit touched yet: the revision itself
        commit, date, _ = _commit_info(root, rev)
        changes.update({name: (commit, int(date.timestamp())) for name in names if name not in changes})
    commits = sorted({commit for commit, _ in changes.values()})
    # One call describes every commit; --always gives the short hash where no tag is reachable.
    described = run_git(root, "describe", "--tags", "--always", *commits, check=False).stdout.split()
    describe = {commit: (None if commit.startswith(text) else text)
                for commit, text in zip(commits, described)} if len(described) == len(commits) else {}
    return {name: Version(commit, describe.get(commit), datetime.fromtimestamp(stamp, tz=timezone.utc),
                          dirty=False, in_git=True)
            for name, (commit, stamp) in changes.items()}


def _region_ids(entries: dict[str, TreeEntry], folder: str, leave_out: frozenset[str]) -> dict[str, str]:
    prefix = folder + "/"
    return {path[len(prefix):]: entry.sha for path, entry in entries.items()
            if path.startswith(prefix) and path[len(prefix):] not in leave_out}


def changed_paths(root: Path, rev: str) -> list[str]:
    """Return the repository paths that differ between `rev` and the working tree (untracked files included).

    Both sides of a move count, so a region a file leaves is touched too.
    """
    revision = GitRevision(root, rev)  # checks the revision exists, with a helpful message when it does not
    top = revision.root
    tracked = run_git(top, "diff", "--name-only", "--no-renames", "-z", revision.commit, "--", text=False).stdout
    untracked = run_git(top, "ls-files", "--others", "--exclude-standard", "-z", text=False).stdout
    return sorted({p.decode("utf-8", "surrogateescape") for p in (tracked + untracked).split(b"\0") if p})
