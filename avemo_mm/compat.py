"""Every workaround for a bug in a published upstream package, in one place.

Each workaround names the upstream versions it is for, checks whether the bug is
actually present, and does nothing where it is not. :func:`apply` runs the
import-time ones; ``import avemo_mm`` calls it before anything imports
``mmaction.models``. :func:`setup_cpu_distributed` is called by ``tools/train.py``
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
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import sys
import types
import warnings
from collections.abc import Callable
from typing import Any

import torch

__all__ = [
    'CheckpointRefusedError',
    'apply',
    'close_distributed',
    'load_checkpoint_weights_only',
    'setup_cpu_distributed',
]

# workaround name -> whether it was needed and applied; filled once by apply()
_APPLIED: dict[str, bool] = {}


class CheckpointRefusedError(RuntimeError):
    """A checkpoint holds Python objects outside the weights-only allow-list."""


# --------------------------------------------------------------------------------------
# 1. mmaction2 1.2.0: missing mmaction.models.localizers.drn
# --------------------------------------------------------------------------------------


def _drn_package_missing() -> bool:
    """Whether the installed mmaction2 lacks ``models/localizers/drn``.

    Looks at the files, not at ``import``: importing the parent package is exactly
    what fails.
    """
    spec = importlib.util.find_spec('mmaction')
    if spec is None or not spec.submodule_search_locations:
        return False  # mmaction2 is not installed: nothing to patch
    root = list(spec.submodule_search_locations)[0]
    return not os.path.isdir(os.path.join(root, 'models', 'localizers', 'drn'))


def _patch_missing_drn() -> bool:
    """Register a placeholder ``mmaction.models.localizers.drn`` package.

    Returns:
        bool: True when the placeholder was installed, False when not needed.
    """
    if 'mmaction.models.localizers.drn.drn' in sys.modules or not _drn_package_missing():
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


# --------------------------------------------------------------------------------------
# 2. mmengine <= 0.10.7 under torch >= 2.6: weights-only checkpoint loading
# --------------------------------------------------------------------------------------


def _history_buffer_getattr(obj: Any, name: str) -> Any:
    """A ``getattr`` that resolves only ``HistoryBuffer``'s statistics methods.

    mmengine pickles ``HistoryBuffer._statistics_methods`` (``min``, ``max``,
    ``current``, ``mean``) as ``getattr(HistoryBuffer, 'min')``, and its
    ``__setstate__`` merges them into a class-level table that logging later calls.
    Allow-listing the real ``builtins.getattr`` would let a checkpoint walk from any
    allowed object to the ``builtins`` module; this one allows the four methods only.
    """
    from mmengine.logging.history_buffer import HistoryBuffer

    allowed = {'min', 'max', 'current', 'mean'}
    if obj is HistoryBuffer and name in allowed:
        return getattr(HistoryBuffer, name)
    raise pickle.UnpicklingError(
        f'refusing getattr({obj!r}, {name!r}): only HistoryBuffer.{{min,max,current,mean}} '
        'may be looked up while loading a checkpoint'
    )


def _mmengine_safe_globals() -> list[Callable | tuple[Callable, str]]:
    """The globals an mmengine Runner checkpoint holds, and nothing else.

    Found by saving real Runner checkpoints and listing them with
    ``torch.serialization.get_unsafe_globals_in_checkpoint``. numpy's private module
    moved from ``numpy.core`` to ``numpy._core`` in numpy 2, so both spellings are
    registered: checkpoints written under numpy 1 keep loading.
    """
    import numpy as np
    from mmengine.logging.history_buffer import HistoryBuffer

    multiarray = np._core.multiarray if hasattr(np, '_core') else np.core.multiarray
    safe: list[Callable | tuple[Callable, str]] = [
        HistoryBuffer,
        np.ndarray,
        np.dtype,
        (_history_buffer_getattr, 'builtins.getattr'),
    ]
    for name in ('_reconstruct', 'scalar'):
        fn = getattr(multiarray, name)
        safe += [(fn, f'numpy._core.multiarray.{name}'), (fn, f'numpy.core.multiarray.{name}')]
    # numpy >= 1.25 rebuilds an array's dtype as an instance of numpy.dtypes.<X>DType
    # (Float64DType for the log history, Int64DType for the counts, ...): allow the
    # numeric and bool ones, never ObjectDType.
    for name in dir(getattr(np, 'dtypes', None)):
        cls = getattr(np.dtypes, name)
        if name.endswith('DType') and issubclass(
            getattr(cls, 'type', object), (np.number, np.bool_)
        ):
            safe.append(cls)
    return safe


def load_checkpoint_weights_only(filename: str, map_location: Any = None) -> Any:
    """Load a local checkpoint file with ``torch.load(weights_only=True)``.

    Registered as mmengine's loader for local paths, so every mmengine and
    MMAction2 code path (``load_from``, ``resume``, ``init_cfg=Pretrained``,
    ``load_checkpoint``) goes through it.

    Args:
        filename (str): Path of the checkpoint.
        map_location (str | torch.device, optional): As for :func:`torch.load`.
            Defaults to ``None``.

    Returns:
        Any: The loaded object (usually a dict with ``state_dict`` and ``meta``).

    Raises:
        FileNotFoundError: When the file does not exist.
        CheckpointRefusedError: When the file holds a Python object that is not on
            the allow-list (it could run code while loading).
    """
    filename = os.path.expanduser(filename)
    if not os.path.isfile(filename):
        raise FileNotFoundError(f'checkpoint file {filename} does not exist')
    try:
        return torch.load(filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        detail = _unpickling_reason(str(err))
        raise CheckpointRefusedError(
            f'refusing to load checkpoint {filename}: it holds a Python object outside '
            f'the weights-only allow-list ({detail}). avemo-mm loads checkpoints '
            'weights-only so that a file from elsewhere cannot run code. Only if you '
            'trust its origin: load it yourself with torch.load(..., weights_only=False) '
            'and save its "state_dict" alone with torch.save.'
        ) from err


def _unpickling_reason(message: str) -> str:
    """The informative sentence of torch's long weights-only error message."""
    reason = message.split('WeightsUnpickler error:', 1)[-1]
    reason = reason.split('Check the documentation of torch.load', 1)[0]
    return ' '.join(reason.split()) or message


def _patch_checkpoint_loading() -> bool:
    """Allow-list mmengine's checkpoint globals and load local files weights-only.

    Returns:
        bool: True when applied, False on torch without ``add_safe_globals`` (< 2.4),
        where nothing can be allow-listed.
    """
    if not hasattr(torch.serialization, 'add_safe_globals'):
        return False
    from mmengine.runner.checkpoint import CheckpointLoader

    torch.serialization.add_safe_globals(_mmengine_safe_globals())
    CheckpointLoader.register_scheme(prefixes='', loader=load_checkpoint_weights_only, force=True)
    return True


# --------------------------------------------------------------------------------------
# 3. mmengine <= 0.10.7: torchrun on a machine without CUDA
# --------------------------------------------------------------------------------------


def setup_cpu_distributed(cfg: Any) -> bool:
    """Make ``launcher='pytorch'`` work on a machine without CUDA (gloo backend).

    Call after the config is final and before ``Runner.from_cfg(cfg)``. Does nothing
    when CUDA is available, when the launcher is not ``pytorch``, or when a process
    group already exists.

    Args:
        cfg (mmengine.Config): The run's config; ``cfg.launcher`` is read and
            ``cfg.model_wrapper_cfg`` gets ``device_ids=None``.

    Returns:
        bool: True when a gloo process group was initialised here.
    """
    import torch.distributed as dist

    if cfg.get('launcher', 'none') != 'pytorch' or torch.cuda.is_available():
        return False
    if dist.is_available() and dist.is_initialized():
        return False
    missing = [
        k for k in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT') if k not in os.environ
    ]
    if missing:
        raise RuntimeError(
            f'--launcher pytorch needs the environment variables {missing} that torchrun '
            'sets; start the job with tools/dist_train.sh or torchrun.'
        )
    dist.init_process_group(backend='gloo', init_method='env://')
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'  # as logged
    wrapper = dict(cfg.get('model_wrapper_cfg') or {})
    wrapper.setdefault('type', 'MMDistributedDataParallel')
    wrapper.setdefault('broadcast_buffers', False)
    wrapper.setdefault('find_unused_parameters', cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None  # CPU modules take no device ids in DDP
    cfg.model_wrapper_cfg = wrapper
    return True


# --------------------------------------------------------------------------------------
# 5. mmengine <= 0.10.7: every rank writes the test metrics JSON to the same file
# --------------------------------------------------------------------------------------


def _patch_test_metrics_dump() -> bool:
    """Let only rank 0 run ``LoggerHook.after_test_epoch`` (the log line and the JSON).

    mmengine's hook dumps the test metrics to ``work_dir/<timestamp>/<timestamp>.json``
    on every rank; under ``tools/dist_test.sh`` two processes truncate and write the
    same file at once, and one CI run read it back as two JSON documents run together.
    The metrics are gathered, so rank 0's file is complete.
    """
    from mmengine import dist
    from mmengine.hooks import LoggerHook

    original = LoggerHook.after_test_epoch
    if getattr(original, 'avemo_rank0_only', False):
        return True

    def after_test_epoch(self, runner, metrics=None):
        if dist.get_rank() == 0:
            original(self, runner, metrics)

    after_test_epoch.avemo_rank0_only = True
    LoggerHook.after_test_epoch = after_test_epoch
    return True


def close_distributed() -> None:
    """Close the process group, if any, when a tool's work is done.

    Left to the interpreter's exit, gloo's threads can abort a process that has
    finished ("terminate called without an active exception", SIGABRT): 1 run in 6 of
    ``tools/dist_test.sh`` on the CPU, measured, turning a good test into a failed job.
    """
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


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
        _APPLIED['mmaction_missing_drn'] = _patch_missing_drn()
        _APPLIED['weights_only_checkpoints'] = _patch_checkpoint_loading()
        _APPLIED['test_metrics_rank0_only'] = _patch_test_metrics_dump()
    return dict(_APPLIED)
