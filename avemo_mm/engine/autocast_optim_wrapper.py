"""Mixed precision where mmengine's AmpOptimWrapper refuses to run: the CPU."""

from __future__ import annotations

from contextlib import contextmanager

import torch
from mmaction.registry import OPTIM_WRAPPERS
from mmengine.optim import OptimWrapper

_DTYPES = dict(bfloat16=torch.bfloat16, float16=torch.float16)


@OPTIM_WRAPPERS.register_module()
class AutocastOptimWrapper(OptimWrapper):
    """An ``OptimWrapper`` whose forward passes run under ``torch.autocast``.

    mmengine's ``AmpOptimWrapper`` asserts a GPU (or NPU/MLU/MUSA). On a CPU,
    ``tools/train.py --amp`` uses this wrapper instead: bf16 autocast (bf16 keeps
    fp32's exponent range, so no loss scaling is needed); the weights and the
    optimizer stay fp32.

    Args:
        dtype (str): ``'bfloat16'`` or ``'float16'``. Defaults to ``'bfloat16'``.
        device_type (str): ``torch.autocast``'s device type. Defaults to ``'cpu'``.
        **kwargs: ``OptimWrapper``'s arguments (``optimizer``, ``clip_grad``, ...).
    """

    def __init__(self, dtype: str = 'bfloat16', device_type: str = 'cpu', **kwargs) -> None:
        super().__init__(**kwargs)
        if dtype not in _DTYPES:
            raise ValueError(f'AutocastOptimWrapper: dtype must be one of {list(_DTYPES)}')
        self.cast_dtype, self.device_type = _DTYPES[dtype], device_type

    @contextmanager
    def optim_context(self, model: torch.nn.Module):
        with super().optim_context(model), torch.autocast(self.device_type, self.cast_dtype):
            yield
