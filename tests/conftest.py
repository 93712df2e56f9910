"""Shared test configuration: hypothesis profiles.

Tests are never timed: the "ci" profile (the default) has no deadline, because the
machine running the suite is shared and slow runs must not turn into failures.
Choose another profile with HYPOTHESIS_PROFILE=dev (fewer examples) when iterating.
"""

from __future__ import annotations

import os

from hypothesis import settings

# The notice check af-callback-overdue registers itself when imported. Until its module is
# in ssbx_model.rules.notices.BUILTIN_NOTICE_MODULES (a file another change owns), the
# tests import it here so that every test sees it.
import ssbx_model.rules.af_callback  # noqa: F401

settings.register_profile("ci", deadline=None)
settings.register_profile("dev", deadline=None, max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
