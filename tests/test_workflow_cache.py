"""The checked workflow kept between processes (casepath.workflow.cache): the same answers, and never a
file somebody else could have written.

Each test has a cache folder of its own (`XDG_CACHE_HOME` in tmp_path). A "new process" is imitated by
emptying the in-process cache of `workflow.load`, so that the next load has to come from the disk
cache or from the file; `compile_document` is replaced by one that counts its calls, so each test
can tell which of the two it was.
"""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import casepath
from casepath.workflow import cache
from casepath.workflow import load as workflow_load

ROOT = Path(__file__).resolve().parents[1]
DENMARK = ROOT / "workflows" / "denmark.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


class Counting:
    """`compile_document`, counting how often the workflow was really read and checked."""

    def __init__(self) -> None:
        self.calls = 0
        self.real = workflow_load.compile_document

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.real(*args, **kwargs)


@pytest.fixture
def checked(tmp_path, monkeypatch) -> Counting:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    monkeypatch.delenv("CASEPATH_NO_CACHE", raising=False)
    counting = Counting()
    monkeypatch.setattr(workflow_load, "compile_document", counting)
    workflow_load._load_cached.cache_clear()
    yield counting
    workflow_load._load_cached.cache_clear()


def new_process_load(path: Path = DENMARK):
    workflow_load._load_cached.cache_clear()
    return workflow_load.load(path)


def folder() -> Path:
    return cache.folder()


def entries() -> list[Path]:
    return sorted(p for p in folder().glob("*.pickle") if not p.name.startswith("."))


def report_json(workflow, example: Path) -> str:
    scenario = casepath.load_scenario(example)
    return casepath.simulate(scenario, workflow).model_dump_json()


# ------------------------------------------------------------------ the same answers
def test_the_second_process_takes_the_workflow_from_the_cache_and_answers_the_same(checked):
    fresh = new_process_load()
    assert checked.calls == 1
    assert len(entries()) == 1
    kept = new_process_load()
    assert checked.calls == 1  # not read and checked again
    assert kept is not fresh and kept.file == fresh.file == str(DENMARK)
    for example in EXAMPLES:
        assert report_json(kept, example) == report_json(fresh, example), example.name


def test_the_folder_is_private_and_the_entry_is_the_users_alone(checked):
    new_process_load()
    assert stat.S_IMODE(folder().stat().st_mode) == 0o700
    (entry,) = entries()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert entry.stat().st_uid == os.geteuid()
    assert not list(folder().glob(".new-*"))  # the temporary file was renamed into place


def test_the_default_folder_is_under_the_home_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.folder() == tmp_path / ".cache" / "casepath"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec: a relative one is ignored
    assert cache.folder() == tmp_path / ".cache" / "casepath"


def test_turned_off_nothing_is_read_or_written(checked, monkeypatch):
    new_process_load()
    monkeypatch.setenv("CASEPATH_NO_CACHE", "1")
    new_process_load()
    assert checked.calls == 2
    for entry in entries():
        entry.unlink()
    new_process_load()
    assert checked.calls == 3
    assert entries() == []


def test_a_changed_workflow_is_read_and_checked_again(checked, tmp_path):
    mine = tmp_path / "mine.yaml"
    text = DENMARK.read_text(encoding="utf-8")
    mine.write_text(text, encoding="utf-8")
    before = new_process_load(mine)
    assert before.spec.tracks["pathway"].label == "Stay and pathway"
    mine.write_text(text.replace("    label: Stay and pathway\n", "    label: The pathway\n", 1), encoding="utf-8")
    os.utime(mine, ns=(1, 1))  # even with the old modification time: the key is the content
    after = new_process_load(mine)
    assert checked.calls == 2
    assert after.spec.tracks["pathway"].label == "The pathway"
    assert len(entries()) == 2


def test_another_casepath_or_library_is_another_entry(checked, monkeypatch):
    new_process_load()
    original = cache._code_stamps()
    monkeypatch.setattr(cache, "_code_stamps", lambda: [*original, "a file of casepath changed"])
    cache._environment.cache_clear()
    try:
        new_process_load()
        assert checked.calls == 2
        assert len(entries()) == 2
    finally:
        monkeypatch.undo()
        cache._environment.cache_clear()


def test_the_same_file_under_another_path_is_not_mistaken_for_it(checked, tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(DENMARK.read_bytes())
    new_process_load()
    from_copy = new_process_load(copy)
    assert checked.calls == 2
    assert from_copy.file == str(copy)


def test_a_workflow_with_a_problem_is_never_kept(checked, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(DENMARK.read_text(encoding="utf-8").replace("main: true", "main: maybe", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(casepath.InputProblem):
            new_process_load(broken)
    assert checked.calls == 2
    assert entries() == []


# ------------------------------------------------------------------ corrupt and stale entries
@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-100] + bytes([data[-100] ^ 1]) + data[-99:], id="one-bit-flipped"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"not a cache entry at all", id="garbage"),
        pytest.param(lambda data: data.replace(b"workflow-cache 1", b"workflow-cache 9"), id="another-format"),
    ],
)
def test_a_corrupt_entry_is_read_past_and_replaced(checked, spoil):
    good = new_process_load()
    (entry,) = entries()
    entry.write_bytes(spoil(entry.read_bytes()))
    again = new_process_load()
    assert checked.calls == 2  # read and checked again, no crash
    assert report_json(again, EXAMPLES[0]) == report_json(good, EXAMPLES[0])
    new_process_load()
    assert checked.calls == 2  # the entry was written again, whole
    (entry,) = entries()


def test_an_entry_changed_into_another_valid_one_is_not_used(checked):
    # Unpickled, the changed bytes would still be a workflow, with a wrong label: the checksum
    # written with the entry is what catches it.
    new_process_load()
    (entry,) = entries()
    data = entry.read_bytes()
    assert data.count(b"Stay and pathway") == 1
    entry.write_bytes(data.replace(b"Stay and pathway", b"Stay and pathwaX"))
    workflow = new_process_load()
    assert checked.calls == 2
    assert workflow.spec.tracks["pathway"].label == "Stay and pathway"


def test_the_entry_of_an_older_version_of_the_file_is_not_used(checked, tmp_path):
    mine = tmp_path / "mine.yaml"
    text = DENMARK.read_text(encoding="utf-8")
    mine.write_text(text, encoding="utf-8")
    new_process_load(mine)
    (old,) = entries()
    mine.write_text(text.replace("    label: Stay and pathway\n", "    label: Newer\n", 1), encoding="utf-8")
    new_process_load(mine)
    (new,) = [e for e in entries() if e != old]
    new.write_bytes(old.read_bytes())  # the same path and whole, but the key it was made for is the old one
    workflow = new_process_load(mine)
    assert checked.calls == 3
    assert workflow.spec.tracks["pathway"].label == "Newer"


def test_a_whole_entry_under_another_key_is_not_used(checked, tmp_path):
    other = tmp_path / "other.yaml"
    text = DENMARK.read_text(encoding="utf-8")
    other.write_text(text.replace("    label: Stay and pathway\n", "    label: Other\n", 1), encoding="utf-8")
    new_process_load()
    (denmark_entry,) = entries()
    new_process_load(other)
    (other_entry,) = [e for e in entries() if e != denmark_entry]
    other_entry.write_bytes(denmark_entry.read_bytes())  # whole and checksummed, but made for another file
    workflow = new_process_load(other)
    assert checked.calls == 3
    assert workflow.spec.tracks["pathway"].label == "Other"


def test_an_entry_that_holds_something_else_is_not_used(checked):
    new_process_load()
    (entry,) = entries()
    name = entry.name.removesuffix(".pickle")
    payload = pickle.dumps({"not": "a workflow"})
    write_entry(entry, name, payload)
    new_process_load()
    assert checked.calls == 2


# ------------------------------------------------------------------ trust
RAN: list[str] = []


def _record(what: str) -> str:
    """What a hostile entry would run when unpickled; here it only leaves a trace."""
    RAN.append(what)
    return what


class Hostile:
    def __reduce__(self):
        return (_record, ("code from the cache file",))


def write_entry(path: Path, name: str, payload: bytes) -> None:
    """An entry with a correct header and checksum around `payload` (mode kept as it was)."""
    import hashlib

    header = cache.FORMAT + f"key {name}\nsha256 {hashlib.sha256(payload).hexdigest()}\n\n".encode()
    path.write_bytes(header + payload)


@pytest.fixture
def hostile_entry(checked) -> Path:
    """The workflow's entry replaced by a well-formed one whose payload runs code when unpickled."""
    new_process_load()
    (entry,) = entries()
    write_entry(entry, entry.name.removesuffix(".pickle"), pickle.dumps(Hostile()))
    RAN.clear()
    return entry


def test_the_users_own_entry_is_trusted(hostile_entry, checked):
    # The control for the tests below: with the checks passed, the payload is unpickled (and the
    # result, not a workflow, is not used).
    new_process_load()
    assert RAN == ["code from the cache file"]
    assert checked.calls == 2


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_an_entry_others_could_write_is_never_unpickled(hostile_entry, checked, mode):
    hostile_entry.chmod(mode)
    workflow = new_process_load()
    assert RAN == []
    assert checked.calls == 2
    assert workflow.spec.id == "denmark"


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o707])
def test_a_folder_others_could_write_in_is_neither_read_nor_written(hostile_entry, checked, mode):
    folder().chmod(mode)
    try:
        new_process_load()
        assert RAN == []
        assert checked.calls == 2
        assert hostile_entry.read_bytes().count(b"code from the cache file")  # not replaced either
    finally:
        folder().chmod(0o700)


def test_an_entry_or_folder_owned_by_someone_else_is_never_unpickled(hostile_entry, checked, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)  # as if the files were another user's
    new_process_load()
    assert RAN == []
    assert checked.calls == 2


def test_a_folder_that_is_a_symbolic_link_is_not_read(hostile_entry, checked, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    folder().rename(elsewhere)  # private, holding the entry, but reached through a link
    folder().symlink_to(elsewhere, target_is_directory=True)
    new_process_load()
    assert RAN == []
    assert checked.calls == 2


def test_an_entry_that_is_a_symbolic_link_is_not_read(hostile_entry, checked, tmp_path):
    elsewhere = tmp_path / "elsewhere.pickle"
    hostile_entry.rename(elsewhere)
    hostile_entry.symlink_to(elsewhere)
    new_process_load()
    assert RAN == []
    assert checked.calls == 2


# ------------------------------------------------------------------ as a command
def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casepath", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_simulate_gives_the_same_report_with_and_without_the_cache(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("CASEPATH_NO_CACHE", None)
    example = "examples/dis-undocumented-prepared-return.yaml"
    first = run("simulate", example, "--format", "json", env=env)
    assert first.returncode == 0, first.stderr
    assert len(list((tmp_path / "casepath").glob("*.pickle"))) == 1
    second = run("simulate", example, "--format", "json", env=env)
    without = run("simulate", example, "--format", "json", env={**env, "CASEPATH_NO_CACHE": "1"})
    assert second.returncode == without.returncode == 0
    assert first.stdout == second.stdout == without.stdout
    assert first.stderr == second.stderr == ""


def test_a_cache_folder_that_cannot_be_made_is_no_problem(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(blocked)}
    env.pop("CASEPATH_NO_CACHE", None)
    done = run("simulate", "examples/dis-undocumented-prepared-return.yaml", env=env)
    assert done.returncode == 0 and done.stderr == ""
