"""Matplotlib figures without pyplot: no global backend state, safe on a headless machine.

Matplotlib is imported when a figure is made, so that the annotated videos and the
timeline files also work where it is not installed (a deployment, docs/deployment.md).
"""

from __future__ import annotations

import os
import os.path as osp
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def new_figure(width: float, height: float) -> Figure:
    """A figure drawn by the Agg backend (PNG), whatever backend pyplot uses."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=120)
    FigureCanvasAgg(figure)
    return figure


def save_figure(figure: Figure, path: str) -> str:
    """Write ``figure`` as a PNG (atomically) and return the path."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    figure.tight_layout()
    partial = path + '.partial'
    figure.savefig(partial, format='png')
    os.replace(partial, path)
    return path
