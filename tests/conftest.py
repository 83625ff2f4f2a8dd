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


@pytest.fixture(scope="session", autouse=True)
def _own_workflow_cache():
    folder = tempfile.mkdtemp(prefix="casepath-test-cache-")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", folder)
        yield folder
    shutil.rmtree(folder, ignore_errors=True)
