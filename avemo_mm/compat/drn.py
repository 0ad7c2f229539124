"""Workaround 1: ``mmaction2==1.2.0`` lacks ``mmaction/models/localizers/drn/``.

``import mmaction.models`` then fails with ``ModuleNotFoundError``; a placeholder
``DRN`` module lets the rest import and raises a clear error if someone builds a DRN.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types
from typing import Any


def drn_package_missing() -> bool:
    """Whether the installed mmaction2 lacks ``models/localizers/drn``.

    Looks at the files, not at ``import``: importing the parent package is exactly
    what fails.
    """
    spec = importlib.util.find_spec('mmaction')
    if spec is None or not spec.submodule_search_locations:
        return False  # mmaction2 is not installed: nothing to patch
    root = list(spec.submodule_search_locations)[0]
    return not os.path.isdir(os.path.join(root, 'models', 'localizers', 'drn'))


def patch_missing_drn() -> bool:
    """Register a placeholder ``mmaction.models.localizers.drn`` package.

    Returns:
        bool: True when the placeholder was installed, False when not needed.
    """
    if 'mmaction.models.localizers.drn.drn' in sys.modules or not drn_package_missing():
        return False

    class DRN:
        """Placeholder: DRN's code is missing from the mmaction2 1.2.0 wheel."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise ImportError(
                'DRN (mmaction.models.localizers.drn) is missing from the published '
                'mmaction2 1.2.0 wheel; avemo_mm.compat registered this placeholder so '
                'that the rest of mmaction.models imports. Install mmaction2 from its '
                'git source to use DRN.'
            )

    package = types.ModuleType('mmaction.models.localizers.drn')
    package.__path__ = []  # a package, so `from .drn.drn import DRN` resolves
    module = types.ModuleType('mmaction.models.localizers.drn.drn')
    DRN.__module__ = module.__name__
    module.DRN = DRN
    package.drn = module
    package.DRN = DRN
    sys.modules[package.__name__] = package
    sys.modules[module.__name__] = module
    return True
