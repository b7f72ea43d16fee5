"""Atomic file writes: a reader finds the previous complete file or the new complete file, never
a truncated one (a process killed mid-write, a full disk, an exception in the writer).

This is the standard recipe, not an invention: write to a temporary file in the target's own
folder (``tempfile.NamedTemporaryFile(dir=folder, delete=False)``, so that the rename stays on
one file system), flush and ``os.fsync`` it, ``os.replace`` it onto the target (atomic on POSIX
and Windows), then fsync the folder so that the rename itself survives a crash. On an exception
the temporary file is removed and the target is left untouched. A process killed with SIGKILL
cannot clean up: it leaves a hidden ``.<stem>.<pid>.<random>.tmp<suffix>`` next to the target
(never a truncated target), which may be deleted.

Every file neuroimmune writes goes through here:

- ``atomic_write(path, "w" | "wb")``: a file object (``atomic_write_text``/``atomic_write_bytes``
  for one string or bytes);
- ``atomic_path(path)``: a temporary path for libraries that write by name (pandas ``to_csv``
  and ``to_parquet``, xarray ``to_netcdf``, pyarrow ``write_table``); it ends in the target's
  suffix, so libraries that choose the format or compression by extension choose the same one;
- ``atomic_savefig(fig, path, **kwargs)``: a matplotlib figure.

The new file gets the permissions the replaced file had (or, for a new file, those ``open()``
would give under the umask). A symbolic link is written through (its target is replaced, the
link kept), as ``open()`` does; an existing target that is not a regular file (``/dev/stdout``,
a pipe) is written in place, since there is nothing to replace; an existing read-only target is
refused with PermissionError, as ``open(path, "w")`` refuses it.
"""

from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

from .errors import problem

MODES = ("w", "wb")


def temp_prefix_suffix(target: Path) -> tuple[str, str]:
    """The temporary file's name is prefix + random + suffix: ``.<stem>.<pid>.`` and
    ``.tmp<suffix>`` (hidden, names the process, keeps the target's extension)."""
    return f".{target.stem}.{os.getpid()}.", f".tmp{target.suffix}"


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path in `path`'s folder for a writer that takes a file name; when the
    block ends without an exception the file is fsynced and replaces `path`, otherwise it is
    removed and `path` is untouched::

        with atomic_path("results.parquet") as tmp:
            frame.to_parquet(tmp)
    """
    target = _target(path)
    if target is None:
        yield Path(path)
        return
    handle = _temporary(target, "wb")
    handle.close()
    tmp = Path(handle.name)
    try:
        yield tmp
        _fsync_path(tmp)
        _replace(tmp, target)
    except BaseException as exc:
        _discard(tmp, exc, target)
        raise


@contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", *, encoding: str | None = None,
                 newline: str | None = None) -> Iterator[IO[Any]]:
    """``open(path, mode)`` ("w" text or "wb" bytes) that replaces `path` only once the block has
    ended without an exception (flushed and fsynced); otherwise the temporary file is removed
    and `path` is untouched::

        with atomic_write("index.md") as fh:
            fh.write(text)
    """
    if mode not in MODES:
        raise ValueError(problem("atomic_write mode", "'w' (text) or 'wb' (bytes)", mode,
                                 "append and read modes cannot be atomic; write the whole file"))
    text = {} if "b" in mode else {"encoding": encoding, "newline": newline}
    target = _target(path)
    if target is None:
        with open(path, mode, **text) as fh:  # type: ignore[call-overload]
            yield fh
        return
    handle = _temporary(target, mode, **text)
    tmp = Path(handle.name)
    try:
        with handle:
            yield handle.file
            handle.flush()
            os.fsync(handle.fileno())
        _replace(tmp, target)
    except BaseException as exc:
        handle.close()
        _discard(tmp, exc, target)
        raise


def atomic_write_text(path: str | os.PathLike, text: str, *, encoding: str | None = None,
                      newline: str | None = None) -> Path:
    """``Path(path).write_text(text)``, atomically; returns `path` as a Path."""
    with atomic_write(path, "w", encoding=encoding, newline=newline) as fh:
        fh.write(text)
    return Path(path)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """``Path(path).write_bytes(data)``, atomically; returns `path` as a Path."""
    with atomic_write(path, "wb") as fh:
        fh.write(data)
    return Path(path)


def atomic_savefig(fig, path: str | os.PathLike, **kwargs) -> Path:
    """``fig.savefig(path, **kwargs)``, atomically. The format is the suffix of `path` (or
    ``format=``), as with savefig."""
    if kwargs.get("format") is None:
        suffix = Path(path).suffix[1:].lower()
        if not suffix:
            import matplotlib

            suffix = matplotlib.rcParams["savefig.format"]
        kwargs["format"] = suffix
    with atomic_path(path) as tmp:
        fig.savefig(tmp, **kwargs)
    return Path(path)


# -- the recipe ------------------------------------------------------------------------------------
def _target(path: str | os.PathLike) -> Path | None:
    """The file to replace: `path` with symbolic links resolved; None when it exists and is not
    a regular file (nothing to replace; written in place)."""
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        return None
    if target.exists() and not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    return target


def _temporary(target: Path, mode: str, **text):
    prefix, suffix = temp_prefix_suffix(target)
    try:
        handle = tempfile.NamedTemporaryFile(mode, dir=target.parent, prefix=prefix,
                                             suffix=suffix, delete=False, **text)
    except OSError as exc:  # e.g. no such folder: name the target, not the temporary file
        exc.filename = str(target)
        raise
    try:  # NamedTemporaryFile creates 0600; give the permissions open(target, "w") would give
        os.chmod(handle.name, (target.stat().st_mode & 0o7777) if target.exists()
                 else 0o666 & ~_umask())
    except OSError:
        pass
    return handle


def _umask() -> int:
    try:  # Linux: read it without changing it (os.umask sets it, racing other threads)
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_path(tmp: Path) -> None:
    fd = os.open(tmp, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(tmp: Path, target: Path) -> None:
    os.replace(tmp, target)
    if os.name == "posix":  # make the rename itself durable
        try:
            fd = os.open(target.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def _discard(tmp: Path, exc: BaseException, target: Path) -> None:
    try:
        tmp.unlink()
    except OSError:  # already gone, or the folder went away: nothing left to clean
        pass
    if isinstance(exc, OSError) and exc.filename == str(tmp):
        exc.filename = str(target)


__all__ = ["MODES", "atomic_path", "atomic_write", "atomic_write_text", "atomic_write_bytes",
           "atomic_savefig", "temp_prefix_suffix"]
