"""The only writer under output/: every file lands whole or not at all."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath


class Writer:
    """Write files below `root` atomically, and each path at most once per build."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.written: list[Path] = []

    def write(self, relative: str, data: bytes) -> Path:
        """Write `data` to `root/relative` via a temporary file in the same folder and a rename."""
        parts = PurePosixPath(relative).parts
        if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
            raise ValueError(f"output path {relative!r} must stay inside {self.root}")
        target = self.root.joinpath(*parts)
        if target in self.written:
            raise ValueError(f"{target} would be written twice in one build")
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
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
        self.written.append(target)
        return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
