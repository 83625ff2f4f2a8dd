"""Shared test settings.

Hypothesis draws new examples on every run on a developer's machine (to find new bugs), but in
CI (CI=true) it is derandomized: the same commit draws the same examples, so a red build can
be reproduced and a green one is not luck. Examples it once found are kept as `@example`s.

The workflow cache (casepath.workflow.cache) of the whole run lives in a folder of its own, so
the tests never read or fill the user's ~/.cache/casepath; the commands the tests start as new
processes inherit it. CASEPATH_NO_CACHE=1 runs the suite without the cache.
"""

import os
import shutil
import tempfile

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


_CACHE_HOME: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    # Before collection: some test modules load a workflow while they are imported.
    _CACHE_HOME["before"] = os.environ.get("XDG_CACHE_HOME")
    _CACHE_HOME["folder"] = os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="casepath-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    folder, before = _CACHE_HOME.pop("folder", None), _CACHE_HOME.pop("before", None)
    if folder is None:
        return
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before
    shutil.rmtree(folder, ignore_errors=True)
