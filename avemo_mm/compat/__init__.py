"""Every workaround for a bug in a published upstream package, in one package.

Each workaround names the upstream versions it is for, checks whether the bug is
actually present, and does nothing where it is not; each lives in a module of its
own (``drn``, ``checkpoint_loading``, ``distributed``, ``color_jitter_hue``).
:func:`apply` runs the import-time ones; ``import avemo_mm`` calls it before anything
imports ``mmaction.models``. :func:`setup_cpu_distributed` is called by ``tools/train.py``
and ``tools/test.py`` once the config is known.

1. ``mmaction2==1.2.0`` (wheel and sdist) lacks the package
   ``mmaction/models/localizers/drn/``, so ``import mmaction.models`` fails with
   ``ModuleNotFoundError``. Checked 2026-11-24. Fix: a placeholder ``DRN`` module
   that raises a clear error if someone builds a DRN.
2. ``mmengine<=0.10.7`` calls ``torch.load`` without ``weights_only``. Since torch 2.6
   the default is ``weights_only=True``, which refuses mmengine's own
   ``HistoryBuffer`` and the numpy arrays it holds, so ``resume=True`` fails.
   Checked 2026-11-24 with torch 2.11. Fix: allow-list exactly the globals an
   mmengine checkpoint holds, and load local checkpoints with an explicit
   ``weights_only=True`` so that a file holding any other Python object (a pickled
   callable that would run code) is refused with a clear error. Weights-only loading
   is never turned off.
3. ``mmengine<=0.10.7``'s ``init_dist(launcher='pytorch')`` calls
   ``torch.cuda.set_device``, and its DDP wrapper passes ``device_ids=[LOCAL_RANK]``,
   so ``torchrun`` fails on a machine without CUDA. Checked 2026-11-24. Fix: on a
   CPU-only machine, initialise a ``gloo`` process group before the Runner does (the
   Runner then skips ``init_dist``) and wrap the model with ``device_ids=None``.
4. ``mmcv-lite==2.1.0`` has no compiled ops, and ``import mmaction.models`` makes it
   warn that ``MultiScaleDeformableAttention`` could not be imported. No MMAction2
   recognizer needs that op. Fix: silence exactly that warning (nothing is hidden
   where full mmcv is installed: the warning is never raised there).
5. ``mmengine<=0.10.7``'s ``LoggerHook.after_test_epoch`` dumps the test metrics
   JSON on every rank, to the same file: under ``dist_test.sh`` the writes race and
   the file can hold two documents run together (seen once in CI, 2026-11-25). Fix:
   only rank 0 runs that hook method (the metrics are gathered there).
6. ``mmaction2<=1.2.0``'s ``ColorJitter.adjust_hue`` adds a negative hue shift to a
   uint8 array, which NumPy >= 2 refuses (``OverflowError``): any ``hue > 0`` stops
   training on about half of the clips. Checked 2026-12-03 with NumPy 2.4. Fix: the
   same shift, added in int16.
7. ``torch==2.11``'s gloo process group: a rank that has finished can abort in the
   interpreter's teardown ("terminate called without an active exception"), about
   1 run in 14 of ``tools/dist_test.sh`` on the CPU even after closing the group.
   Fix: :func:`exit_distributed` closes the group, flushes the logs and leaves with
   ``os._exit(0)``; ``tools/train.py`` and ``tools/test.py`` call it last.
"""

from __future__ import annotations

import warnings

from .checkpoint_loading import (
    CheckpointRefusedError,
    load_checkpoint_weights_only,
    patch_checkpoint_loading,
)
from .color_jitter_hue import patch_color_jitter_hue
from .distributed import exit_distributed, patch_test_metrics_dump, setup_cpu_distributed
from .drn import patch_missing_drn

__all__ = [
    'CheckpointRefusedError',
    'apply',
    'exit_distributed',
    'load_checkpoint_weights_only',
    'setup_cpu_distributed',
]

# workaround name -> whether it was needed and applied; filled once by apply()
_APPLIED: dict[str, bool] = {}


def apply() -> dict[str, bool]:
    """Apply the import-time workarounds once.

    Returns:
        dict[str, bool]: For each workaround, whether it was needed and applied.
    """
    if not _APPLIED:
        warnings.filterwarnings(
            'ignore',
            message='Fail to import ``MultiScaleDeformableAttention``',
            category=UserWarning,
        )
        _APPLIED['mmaction_missing_drn'] = patch_missing_drn()
        _APPLIED['weights_only_checkpoints'] = patch_checkpoint_loading()
        _APPLIED['test_metrics_rank0_only'] = patch_test_metrics_dump()
        _APPLIED['color_jitter_hue_int16'] = patch_color_jitter_hue()
    return dict(_APPLIED)
