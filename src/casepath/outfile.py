"""Writing a user's file: all of it or nothing, and never destroying anything by accident.

Every file casepath writes (`--output`, `timeline --save`, `walk --free`'s save, `explore
--export`) goes through `write`, which keeps these promises:

- the text goes to a temporary file beside the target first, so a failed run leaves the old
  file (or no file), never half a report;
- without `force`, nothing that exists is replaced, even when two runs race to the same new
  name: the temporary file is hard-linked to the name, which fails if anything is there
  (a file, a folder, a FIFO, a link to nowhere);
- with `force`, only a regular file is replaced (by an atomic rename); a folder, a device, a
  FIFO or a socket never is. A symbolic link is followed and the regular file it points at is
  replaced, the link kept; a link to nothing is refused;
- a replaced file keeps its mode; a new file gets the mode the umask allows.

A check and a rename cannot be one step on POSIX, so with `force` a regular file swapped for
something else in the instant between them would still be replaced; without `force` there is
no such gap.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from casepath.problems import InputProblem
from casepath.yamlfile import kind_of

_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV, errno.ENOSYS}
"""How a file system without hard links answers `link`: then the file is created exclusively instead."""


def write(path: Path | str, content: str, force: bool = False) -> None:
    """Write `content` (UTF-8) to `path` under the rules above, or raise an `InputProblem` saying why not."""
    path = Path(path)
    name = str(path)
    target = _target(path, name, force)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        existing = os.stat(target) if force else None
    except FileNotFoundError:
        existing = None
    except OSError as err:
        raise _cannot(name, err) from None
    mode = existing.st_mode & 0o7777 if existing is not None else 0o666 & ~_umask()
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise _cannot(name, err) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.chmod(temp, mode)
        if existing is not None:
            os.replace(temp, target)
        else:
            _create(Path(temp), target, name, content, mode)
    except OSError as err:
        raise _cannot(name, err) from None
    finally:
        Path(temp).unlink(missing_ok=True)


def _target(path: Path, name: str, force: bool) -> Path:
    """The path to write: `path`, or the regular file a link there points at. Refuses what must not be replaced."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as err:
        raise _cannot(name, err) from None
    target = path
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise InputProblem(
                "is a symbolic link to a file that does not exist: remove the link or choose another name", file=name
            ) from None
        except OSError as err:
            raise _cannot(name, err) from None
        target = Path(os.path.realpath(path))
    if stat.S_ISDIR(info.st_mode):
        raise InputProblem("is a folder, expected a file name", file=name)
    if not stat.S_ISREG(info.st_mode):
        raise InputProblem(f"is not a regular file ({kind_of(info.st_mode)}): casepath never replaces it", file=name)
    if not force:
        raise InputProblem("exists already; give --force to replace it", file=name)
    return target


def _create(temp: Path, target: Path, name: str, content: str, mode: int) -> None:
    """Give the finished temporary file the name `target`, failing if anything has that name."""
    try:
        os.link(temp, target)
        return
    except FileExistsError:
        raise InputProblem("exists already; give --force to replace it", file=name) from None
    except OSError as err:
        if err.errno not in _NO_HARD_LINKS:
            raise
    try:  # no hard links here: create the name exclusively and write into it
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    except FileExistsError:
        raise InputProblem("exists already; give --force to replace it", file=name) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _cannot(name: str, err: OSError) -> InputProblem:
    return InputProblem(f"cannot be written ({err.strerror or err})", file=name)


def _umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    current = os.umask(0o022)
    os.umask(current)
    return current
