"""The confusion matrix as a picture (the paper's Fig. 5)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .figures import new_figure, save_figure


def plot_confusion_matrix(
    matrix: np.ndarray, classes: Sequence[str], out_path: str, title: str = 'Confusion matrix'
) -> str:
    """Row-normalised confusion matrix with each cell's percentage and count.

    Args:
        matrix (np.ndarray): ``[K, K]`` counts, row = true class, column = predicted.
        classes (Sequence[str]): K class names.
        out_path (str): PNG path.
        title (str): Figure title. Defaults to ``'Confusion matrix'``.

    Returns:
        str: ``out_path``.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    support = matrix.sum(axis=1, keepdims=True)
    rates = np.divide(matrix, support, out=np.zeros_like(matrix), where=support > 0)
    size = 1.2 + 0.75 * len(classes)
    figure = new_figure(size + 1.5, size)
    axes = figure.add_subplot()
    image = axes.imshow(rates * 100, cmap='Blues', vmin=0, vmax=100)
    figure.colorbar(image, ax=axes, label='% of the true class')
    ticks = np.arange(len(classes))
    axes.set_xticks(ticks, labels=classes, rotation=45, ha='right')
    axes.set_yticks(ticks, labels=classes)
    axes.set_xlabel('predicted')
    axes.set_ylabel('true')
    accuracy = np.trace(matrix) / max(matrix.sum(), 1)
    axes.set_title(f'{title}\n{int(matrix.sum())} clips, accuracy {accuracy:.1%}')
    for (row, col), rate in np.ndenumerate(rates):
        if matrix[row, col]:
            axes.text(
                col,
                row,
                f'{rate:.0%}\n{int(matrix[row, col])}',
                ha='center',
                va='center',
                fontsize=7,
                color='white' if rate > 0.5 else 'black',
            )
    return save_figure(figure, out_path)
