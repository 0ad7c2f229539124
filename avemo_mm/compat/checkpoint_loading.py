"""Workaround 2: ``mmengine<=0.10.7`` under ``torch>=2.6``: weights-only checkpoints.

mmengine calls ``torch.load`` without ``weights_only``; torch's default refuses
mmengine's own ``HistoryBuffer`` and its numpy arrays, so ``resume=True`` fails. The
fix allow-lists exactly those globals and loads local files with an explicit
``weights_only=True``: a file holding any other Python object is refused, never run.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any

import torch


class CheckpointRefusedError(RuntimeError):
    """A checkpoint holds Python objects outside the weights-only allow-list."""


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


def patch_checkpoint_loading() -> bool:
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
