"""Shared test settings.

Hypothesis draws new examples on every run on a developer's machine (to find new bugs), but in
CI (CI=true) it is derandomized: the same commit draws the same examples, so a red build can
be reproduced and a green one is not luck. Examples it once found are kept as `@example`s.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
