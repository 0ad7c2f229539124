"""avemo-mm: audio-visual emotion recognition as an MMAction2 plugin.

``import avemo_mm`` first closes the known gaps of the pinned upstream packages
(:mod:`avemo_mm.compat`), then imports every subpackage so that each avemo module
registers into MMAction2's registries (scope ``mmaction``). A config needs only::

    custom_imports = dict(imports=['avemo_mm'], allow_failed_imports=False)
"""

from . import compat

compat.apply()

from . import (  # noqa: E402  (registration needs compat applied first)
    datasets,
    engine,
    evaluation,
    models,
)
from .version import __version__  # noqa: E402

__all__ = ['__version__', 'compat', 'datasets', 'engine', 'evaluation', 'models']
