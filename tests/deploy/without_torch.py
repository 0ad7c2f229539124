"""Run a script as on a deployment machine: PyTorch and the training stack cannot import.

``python tests/deploy/without_torch.py SCRIPT ARGS...`` runs ``SCRIPT`` as ``__main__``
after making ``import torch`` (and torchaudio, mmengine, mmcv, mmaction, decord,
scikit-learn and matplotlib) raise ``ModuleNotFoundError``, as where only
``docs/deployment.md``'s packages are installed.
"""

import importlib.abc
import runpy
import sys

BLOCKED = (
    'torch',
    'torchaudio',
    'mmengine',
    'mmcv',
    'mmaction',
    'decord',
    'sklearn',
    'matplotlib',
)


class NotInstalled(importlib.abc.MetaPathFinder):
    """Finds the blocked packages first, and says they are not there."""

    def find_spec(self, name, path=None, target=None):
        top = name.partition('.')[0]
        if top in BLOCKED:
            raise ModuleNotFoundError(f'No module named {top!r} (not installed here)', name=top)
        return None


if __name__ == '__main__':
    sys.meta_path.insert(0, NotInstalled())
    script, *sys.argv = sys.argv[1:]
    sys.argv.insert(0, script)
    runpy.run_path(script, run_name='__main__')
