"""avemo-mm: audio-visual emotion recognition as an MMAction2 plugin.

``import avemo_mm`` first closes the known gaps of the pinned upstream packages
(:mod:`avemo_mm.compat`), then imports every subpackage so that each avemo module
registers into MMAction2's registries (scope ``mmaction``). A config needs only::

    custom_imports = dict(imports=['avemo_mm'], allow_failed_imports=False)

Where PyTorch is not installed (a deployment that runs an exported model with ONNX
Runtime, ``docs/deployment.md``), nothing is registered and ``TRAINING`` is False: the
inference API (:mod:`avemo_mm.apis`), :mod:`avemo_mm.deploy`, :mod:`avemo_mm.audio`
and the media utilities import without it.
"""

try:
    import torch  # noqa: F401
except ModuleNotFoundError as err:
    if err.name != 'torch':
        raise
    TRAINING = False
else:
    TRAINING = True

from .version import __version__  # noqa: E402

if TRAINING:
    from . import compat  # noqa: F401

    compat.apply()

    from . import (  # noqa: F401  (imported to register; compat applied first)
        datasets,
        engine,
        evaluation,
        models,
    )

__all__ = ['TRAINING', '__version__']
