"""What a build may leave alone: a manifest under output/ of what each file was made from.

Two questions, both answered by hashes of inputs, never by modification times of sources:
- region: is everything the region's documents are made from the same as at the last build (its files by git
  blob hash, the shared inputs of dependencies.py, the libraries, the version it prints, the day, the options)?
  Then the region is neither validated nor rendered again, as long as its files are still there untouched.
- file: is a document's HTML (with its images, the templates, the PDF variant and the date) the same as the
  HTML its file was made from? Then the PDF is not laid out again.

The manifest is only a cache. Every entry is checked against the disk (size and modification time of the file
as the build left it), so a hand-deleted or hand-changed PDF, a build killed halfway, or a manifest that is
missing, stale or unreadable only cost rendering again, never a wrong file. Its name starts with a dot and it
holds only hashes and the output's own file names: no content, no problems (a region with warnings is always
validated again, so its warnings are shown on every build).
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import sys
import zlib
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

from .dependencies import NOT_INPUTS, SHARED_INPUTS
from .load import REALISATIE_FILES
from .resources import data_folder
from .sources import CONTENT, MAX_FILE_BYTES, Version

MANIFEST = ".stodocs-manifest.json"
FORMAT = 1  # raise when the meaning of a key changes: every old entry then misses
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "fonttools", "pyphen", "jinja2", "markdown-it-py",
             "babel", "pyyaml", "cerberus", "pillow")


def blob_id(data: bytes) -> str:
    """Return git's blob hash of `data`: the same id `git ls-tree` shows for a committed file."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _tree_digest(folder: Path, digest, leave_out: tuple[str, ...] = ()) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and "__pycache__" not in path.parts and not relative.startswith(leave_out):
            digest.update(f"{folder.name}/{relative}\0".encode("utf-8", "surrogateescape"))
            digest.update(blob_id(path.read_bytes()).encode())


def system_versions() -> dict[str, str]:
    """Return the versions of the system libraries WeasyPrint draws with, read without importing WeasyPrint."""
    found = {"Python": ".".join(map(str, sys.version_info[:3])), "zlib": zlib.ZLIB_RUNTIME_VERSION}
    for name, library, call in (("Pango", "libpango-1.0.so.0", "pango_version"),
                                ("Fontconfig", "libfontconfig.so.1", "FcGetVersion")):
        try:
            found[name] = str(getattr(ctypes.CDLL(library), call)())
        except (OSError, AttributeError):
            found[name] = "?"
    try:
        harfbuzz = ctypes.CDLL("libharfbuzz.so.0")
        harfbuzz.hb_version_string.restype = ctypes.c_char_p
        found["HarfBuzz"] = harfbuzz.hb_version_string().decode()
        ctypes.CDLL("libharfbuzz-subset.so.0")
        found["subset"] = "harfbuzz"
    except (OSError, AttributeError):
        found.setdefault("HarfBuzz", "?")
    return found


def shared_inputs(project: Path) -> str:
    """Return one hash of every input all regions share (dependencies.SHARED_INPUTS: templates with CSS and fonts,
    schemas, stodocs' own code, the project files), the installed libraries and the system libraries.

    The folders are the ones this copy of stodocs works with (resources.data_folder), the files the project's.
    """
    digest = hashlib.sha256(f"stodocs-manifest {FORMAT}\0".encode())
    for shared in SHARED_INPUTS:
        if shared.endswith("/"):
            leave_out = tuple(path[len(shared):] for path in NOT_INPUTS if path.startswith(shared))
            _tree_digest(data_folder(shared.rstrip("/")), digest, leave_out)
        else:
            path = Path(project) / shared
            digest.update(f"{shared}\0{blob_id(path.read_bytes()) if path.is_file() else '-'}\0".encode())
    for library in LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library}={version}\0".encode())
    digest.update(json.dumps(system_versions(), sort_keys=True).encode())
    return digest.hexdigest()


def _realisatie_ids(folder: Path) -> list[tuple[str, str]]:
    """Return (name, blob id) of each file the build reads from a private realisatie folder, and nothing else: a
    large unrelated file there (an archive) is never read; a file over the size limit counts by its size."""
    out = []
    for name in (path.split("/", 1)[1] for path in REALISATIE_FILES):
        path = folder / name
        try:
            if path.is_symlink() or not path.is_file():
                continue
            size = path.stat().st_size
            out.append((name, f"te groot: {size}" if size > MAX_FILE_BYTES else blob_id(path.read_bytes())))
        except OSError as exc:
            out.append((name, f"onleesbaar: {exc.errno}"))
    return out


def region_key(source, name: str, shared: str, version: Version, settings: dict) -> str:
    """Return the hash of everything region `name`'s documents are made from (see the module's docstring).

    `settings` are the build's options and circumstances (format, variant, day, private folders).
    """
    digest = hashlib.sha256(shared.encode())
    digest.update(json.dumps({"version": [version.commit, version.describe, version.date.isoformat(),
                                          version.dirty, version.in_git],
                              **{k: str(v) for k, v in settings.items()}}, sort_keys=True).encode())
    for path in source.files(name):
        read = source.read(path)
        digest.update(f"{path}\0{blob_id(read.data) if read.data is not None else read.problem}\0"
                      .encode("utf-8", "surrogateescape"))
    realisatie = settings.get("realisatie")
    if realisatie:
        for path, blob in _realisatie_ids(Path(realisatie) / name):
            digest.update(f"realisatie/{path}\0{blob}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def document_key(shared: str, html: str, assets, moment, fmt: str, variant: str) -> str:
    """Return the hash of everything one output file is made from once its HTML is rendered."""
    digest = hashlib.sha256(f"{shared}\0{fmt}\0{variant}\0{moment.isoformat()}\0".encode())
    for name in sorted(assets):
        digest.update(f"{name}\0{blob_id(assets[name])}\0".encode("utf-8", "surrogateescape"))
    digest.update(html.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _well_formed(data) -> bool:
    """Return whether `data` has the manifest's shape: regions {name: {key, files: [...]}}, files {path: {key, stat}}."""
    def text(value) -> bool:
        return isinstance(value, str)
    regions, files = (data.get("regions"), data.get("files")) if isinstance(data, dict) else (None, None)
    return (isinstance(regions, dict) and isinstance(files, dict)
            and all(text(name) and isinstance(entry, dict) and text(entry.get("key"))
                    and isinstance(entry.get("files"), list) and all(map(text, entry["files"]))
                    for name, entry in regions.items())
            and all(text(path) and isinstance(entry, dict) and text(entry.get("key"))
                    and isinstance(entry.get("stat"), list) and len(entry["stat"]) == 2
                    and all(isinstance(n, int) and not isinstance(n, bool) for n in entry["stat"])
                    for path, entry in files.items()))


@dataclass
class Manifest:
    """The manifest of one output folder: per region its key and files, per file its key and fingerprint."""

    folder: Path
    regions: dict[str, dict] = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)
    damaged: bool = False  # the file was there but not a manifest: this build makes everything again

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """Read the manifest of `folder`; a missing one, one of another format or a damaged one is empty (everything
        is built again), and a damaged one says so in `damaged`."""
        path = Path(folder) / MANIFEST
        if not path.exists():
            return cls(Path(folder))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return cls(Path(folder), damaged=True)
        if isinstance(data, dict) and data.get("format") != FORMAT:
            return cls(Path(folder))
        if not _well_formed(data):
            return cls(Path(folder), damaged=True)
        return cls(Path(folder), dict(data["regions"]), dict(data["files"]))

    def intact(self, relative: str, key: str | None = None) -> bool:
        """Return whether `relative` is on disk exactly as a build left it (and, given `key`, made from it)."""
        entry = self.files.get(relative)
        if not entry or (key is not None and entry.get("key") != key):
            return False
        try:
            stat = (self.folder / relative).stat()
        except OSError:
            return False
        return [stat.st_size, stat.st_mtime_ns] == entry.get("stat")

    def region_fresh(self, name: str, key: str) -> bool:
        """Return whether region `name` was built from `key` and all its files are still as that build left them."""
        entry = self.regions.get(name)
        return bool(entry) and entry.get("key") == key and all(self.intact(path) for path in entry.get("files", []))

    def record_file(self, relative: str, key: str) -> None:
        stat = (self.folder / relative).stat()
        self.files[relative] = {"key": key, "stat": [stat.st_size, stat.st_mtime_ns]}

    def record_region(self, name: str, key: str | None, files: list[str]) -> None:
        """Remember what region `name` was built from; with `key` None, forget it (it is validated next time)."""
        if key is None:
            self.regions.pop(name, None)
        else:
            self.regions[name] = {"key": key, "files": sorted(files)}

    def changed(self) -> bool:
        """Return whether the manifest on disk differs from this one (a build that changed nothing writes nothing)."""
        try:
            return (self.folder / MANIFEST).read_bytes() != self.data()
        except OSError:
            return True

    def data(self) -> bytes:
        kept = {path: entry for path, entry in sorted(self.files.items()) if (self.folder / path).is_file()}
        return (json.dumps({"format": FORMAT, "regions": dict(sorted(self.regions.items())), "files": kept},
                           indent=1, sort_keys=True) + "\n").encode("utf-8")


def settings_of(fmt: str, variant: str, today: date | None, private: Path | None, realisatie: Path | None) -> dict:
    """Return the options and circumstances that decide a build's output besides its inputs."""
    return {"format": fmt, "variant": variant, "today": today or date.today(), "private": private or "",
            "realisatie": realisatie or "", "content": CONTENT}
