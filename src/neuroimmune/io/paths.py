"""check_output_path: reject an output path that cannot be written, before any work starts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import NeuroimmuneError, problem

#: Figure formats of the --plot options.
FIGURES = (".png", ".pdf", ".svg")
#: Result table formats of the --out options (written by neuroimmune.io.tables).
FORMATS = (".csv", ".parquet", ".nc")


def check_output_path(path: str | Path, option: str, suffixes: tuple[str, ...] = (), *,
                      directory: bool = False) -> Path:
    """`path` as a Path, or NeuroimmuneError naming `option` when it has none of `suffixes`
    (files), is an existing folder where a file is expected (or the reverse), lies under a
    file, or its nearest existing folder cannot be written to. Creates nothing."""
    try:
        return _check_output_path(Path(path), option, suffixes, directory)
    except OSError as exc:  # e.g. a name longer than the file system allows
        shown = str(path) if len(str(path)) <= 80 else str(path)[:77] + "..."
        raise NeuroimmuneError(problem(option, "a path the file system accepts", shown,
                                       f"choose another path ({exc.strerror or exc})")) from None


def _check_output_path(path: Path, option: str, suffixes: tuple[str, ...],
                       directory: bool) -> Path:
    kind = "a folder (new or existing)" if directory else "a file"
    if suffixes and not directory:
        kind = f"a file ending in one of {', '.join(suffixes)}"
        if path.suffix.lower() not in suffixes:
            raise NeuroimmuneError(problem(option, kind, str(path),
                                           f"e.g. {option} results{suffixes[0]}"))
    if path.is_dir() and not directory:
        example = path / f"results{suffixes[0] if suffixes else ''}"
        raise NeuroimmuneError(problem(option, kind, str(path), f"{str(path)!r} is an existing "
                                       f"folder; name a file in it, e.g. {example}"))
    if path.exists() and not path.is_dir() and directory:
        raise NeuroimmuneError(problem(option, kind, str(path), f"{str(path)!r} is a file; "
                                       "choose another folder name"))
    folder = path if path.is_dir() else path.parent
    while not folder.exists() and not folder.is_symlink() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise NeuroimmuneError(problem(option, f"{kind} in a folder", str(path),
                                       f"{str(folder)!r} is a file, not a folder; choose a "
                                       "path outside it"))
    reason = _unwritable(folder) or (_unwritable_file(path) if path.is_file() else "")
    if reason:
        raise NeuroimmuneError(problem(option, f"{kind} in a folder you can write to",
                                       str(path), f"cannot write in {str(folder)!r} ({reason}); "
                                       "choose another folder"))
    return path


def _unwritable(folder: Path) -> str:
    """Why a file cannot be created in `folder` (tried for real: root passes access() checks
    that the file system then refuses, e.g. in /proc), or ""."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return ""
    except OSError as exc:
        return exc.strerror or type(exc).__name__


def _unwritable_file(path: Path) -> str:
    return "" if os.access(path, os.W_OK) else "the existing file is read-only"
