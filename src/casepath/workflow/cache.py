"""The checked workflow kept between processes, so that a cold command does not check it again.

Reading, checking and compiling `denmark.yaml` takes longer than all the rest of a cold
`casepath simulate`; its answer only changes when the file, casepath or a library it uses
changes. So the compiled workflow is kept (pickled) in a private folder,

    $XDG_CACHE_HOME/casepath/   (default ~/.cache/casepath), created 0700

one file per entry, named by a key over everything the answer depends on (`key`): the bytes
of the workflow file and its path, casepath's version and the size and modification time of
each of its own files (an editable install changes without a new version: the same test
Python makes of its .pyc files), the Python version, and the versions of pydantic,
pydantic-core, PyYAML, transitions, python-dateutil and holidays.

Unpickling runs whatever a file says, so a file is read only if nobody but the user could have
written it: the folder and the file must be owned by the user, not writable by group or
others, not symbolic links; they are opened and then checked through the open descriptors (no
swap between the check and the read). The file names its key and the SHA-256 of its payload,
both checked before the payload is unpickled: a corrupt, truncated or misplaced entry is never
loaded. Anything unexpected (a refused folder, a bad file, an error while loading) means the
workflow is read and checked as if there were no cache, silently; writing is all or nothing
(a temporary file, then `os.replace`), and a failure to write is ignored.

`CASEPATH_NO_CACHE=1` turns the cache off (nothing read, nothing written).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import time
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

FORMAT = b"casepath-workflow-cache 1\n"
"""The first line of every entry; a new layout of the file gets a new number."""

KEEP = 32
"""Entries kept at most; the oldest are removed when a new one is written."""

_PACKAGE = Path(__file__).resolve().parents[1]
_SUFFIX = ".pickle"


def enabled() -> bool:
    return os.environ.get("CASEPATH_NO_CACHE", "") in ("", "0")


def folder() -> Path:
    """The cache folder: `$XDG_CACHE_HOME/casepath`, or `~/.cache/casepath` (XDG says: ignore a relative one)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "casepath"


def key(path: str, lang: str, *contents: bytes) -> str:
    """The name of the entry for a workflow read from `path` (whose texts are in `lang`) with these file
    contents, under this casepath, Python and libraries."""
    digest = hashlib.sha256(FORMAT)
    for part in (path.encode("utf-8", "surrogateescape"), lang.encode(), *contents, _environment()):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _environment() -> bytes:
    """What else the answer depends on: casepath's code and tables, Python and the libraries."""
    import pydantic
    import pydantic_core
    import transitions
    import yaml
    from dateutil import __version__ as dateutil_version

    from casepath import __version__

    parts = [
        f"casepath {__version__}",
        f"python {sys.version} {sys.implementation.cache_tag}",
        f"pydantic {pydantic.VERSION} pydantic-core {pydantic_core.__version__}",
        f"pyyaml {yaml.__version__} transitions {transitions.__version__} dateutil {dateutil_version}",
        f"holidays {_holidays_stamp()}",
        *_code_stamps(),
    ]
    return "\n".join(parts).encode("utf-8", "surrogateescape")


def _code_stamps() -> list[str]:
    """(path, size, modification time) of each of casepath's own files, the code and its tables."""
    found: list[str] = []
    todo = [_PACKAGE]
    while todo:
        with os.scandir(todo.pop()) as entries:
            for entry in entries:
                if entry.name == "__pycache__" or entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    todo.append(Path(entry.path))
                elif entry.name.endswith((".py", ".json", ".yaml")):
                    info = entry.stat()
                    found.append(f"{entry.path} {info.st_size} {info.st_mtime_ns}")
    return sorted(found)


def _holidays_stamp() -> str:
    """The installed `holidays` library, without importing it (that takes 0.2 s): where its version
    file is, and that file's size and modification time. Asked only for a country without a table."""
    try:
        spec = find_spec("holidays")
        if spec is None or spec.origin is None:
            return "absent"
        version = Path(spec.origin).with_name("version.py")
        info = version.stat()
        return f"{version} {info.st_size} {info.st_mtime_ns}"
    except (OSError, ImportError, ValueError):
        return "unknown"


# ------------------------------------------------------------------ reading
def read(name: str) -> Any | None:
    """The object kept under `name`, or None: no such entry, or one that cannot be trusted or read."""
    if not enabled():
        return None
    try:
        payload = _read_trusted(name)
        if payload is None:
            return None
        return pickle.loads(payload)
    except Exception:  # a cache that cannot be read is a cache miss, whatever the reason
        return None


def _read_trusted(name: str) -> bytes | None:
    """The payload of the entry, if the folder and the file pass the checks and the file is whole."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        where = os.open(folder(), flags | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        if not _private(os.fstat(where), folder=True):
            return None
        try:
            handle = os.open(name + _SUFFIX, flags | getattr(os, "O_NONBLOCK", 0), dir_fd=where)
        except OSError:
            return None
        with os.fdopen(handle, "rb") as stream:
            if not _private(os.fstat(stream.fileno()), folder=False):
                return None
            data = stream.read()
    finally:
        os.close(where)
    header, _, rest = data.partition(b"\n\n")
    lines = header.split(b"\n")
    if len(lines) != 3 or lines[0] + b"\n" != FORMAT or lines[1] != f"key {name}".encode():
        return None
    if lines[2] != f"sha256 {hashlib.sha256(rest).hexdigest()}".encode():
        return None
    return rest


def _private(info: os.stat_result, *, folder: bool) -> bool:
    """A folder (or a regular file) owned by this user and writable by nobody else."""
    kind_ok = stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)
    return kind_ok and info.st_uid == os.geteuid() and info.st_mode & 0o022 == 0


# ------------------------------------------------------------------ writing
def write(name: str, value: Any) -> None:
    """Keep `value` under `name`, all or nothing; quietly nothing if the folder is not ours or not writable."""
    if not enabled():
        return
    with contextlib.suppress(Exception):
        _write(name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _write(name: str, payload: bytes) -> None:
    import tempfile  # only when writing (with `random`, ~1 ms of a cold start)

    where = folder()
    with contextlib.suppress(FileExistsError):
        os.makedirs(where, mode=0o700)
    info = os.lstat(where)
    if not _private(info, folder=True):
        return  # not ours, or open to others: neither read nor written
    header = FORMAT + f"key {name}\nsha256 {hashlib.sha256(payload).hexdigest()}\n\n".encode()
    handle, temporary = tempfile.mkstemp(dir=where, prefix=".new-", suffix=_SUFFIX)  # created 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(header + payload)
        os.replace(temporary, where / (name + _SUFFIX))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _prune(where)


def _prune(where: Path) -> None:
    """Remove the oldest entries beyond `KEEP` (and leftovers of interrupted writes more than a day old)."""
    entries = []
    for entry in os.scandir(where):
        if not entry.name.endswith(_SUFFIX) or not entry.is_file(follow_symlinks=False):
            continue
        info = entry.stat(follow_symlinks=False)
        entries.append((info.st_mtime_ns, entry.path, entry.name.startswith(".new-")))
    entries.sort(reverse=True)
    now = time.time_ns()
    kept = 0
    for mtime, path, leftover in entries:
        if leftover:
            if now - mtime > 86_400 * 10**9:
                with contextlib.suppress(OSError):
                    os.unlink(path)
            continue
        kept += 1
        if kept > KEEP:
            with contextlib.suppress(OSError):
                os.unlink(path)
