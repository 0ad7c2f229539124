"""t-SNE of the fusion embeddings, coloured by class and by polarity (Fig. 6-7)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .figures import new_figure, save_figure

POLARITY_COLOURS = {'positive': 'tab:green', 'negative': 'tab:red', 'neutral': 'tab:gray'}


def tsne_2d(embeddings: np.ndarray, seed: int = 0) -> np.ndarray:
    """Project ``[M, E]`` embeddings to ``[M, 2]`` with scikit-learn's t-SNE.

    The perplexity is 30 (the usual value), lowered for small sets, where it must
    stay below the number of points.
    """
    from sklearn.manifold import TSNE

    points = np.asarray(embeddings, dtype=np.float64)
    if len(points) < 3:
        raise ValueError(f't-SNE needs at least 3 embeddings, got {len(points)}')
    perplexity = float(min(30.0, (len(points) - 1) / 3))
    return TSNE(2, perplexity=perplexity, init='pca', random_state=seed).fit_transform(points)


def plot_tsne(
    embeddings: np.ndarray,
    labels: Sequence[int],
    classes: Sequence[str],
    polarities: Sequence[str] | None,
    out_prefix: str,
    seed: int = 0,
) -> list[str]:
    """Two t-SNE scatter plots: points coloured by class, and by the class's polarity.

    Args:
        embeddings (np.ndarray): ``[M, E]`` test embeddings.
        labels (Sequence[int]): M true class indices.
        classes (Sequence[str]): K class names.
        polarities (Sequence[str], optional): K polarities (``positive``,
            ``negative``, ``neutral``); None skips the polarity plot.
        out_prefix (str): Paths are ``{out_prefix}_classes.png`` and
            ``{out_prefix}_polarity.png``.
        seed (int): t-SNE seed. Defaults to ``0``.

    Returns:
        list[str]: The PNG paths written.
    """
    points = tsne_2d(embeddings, seed)
    labels = np.asarray(labels)
    written = []
    figure = new_figure(7, 6)
    axes = figure.add_subplot()
    colours = [f'C{i % 10}' if len(classes) <= 10 else None for i in range(len(classes))]
    for index, name in enumerate(classes):
        mask = labels == index
        if mask.any():
            axes.scatter(*points[mask].T, s=14, label=name, color=colours[index])
    axes.set_title(f't-SNE of {len(points)} test embeddings, by class')
    axes.legend(fontsize=8, markerscale=1.5, loc='best')
    axes.set_xticks([])
    axes.set_yticks([])
    written.append(save_figure(figure, f'{out_prefix}_classes.png'))
    if polarities is not None:
        figure = new_figure(7, 6)
        axes = figure.add_subplot()
        by_sample = np.asarray([polarities[i] for i in labels])
        for polarity, colour in POLARITY_COLOURS.items():
            mask = by_sample == polarity
            if mask.any():
                axes.scatter(*points[mask].T, s=14, label=polarity, color=colour)
        axes.set_title(f't-SNE of {len(points)} test embeddings, by polarity')
        axes.legend(fontsize=8, markerscale=1.5)
        axes.set_xticks([])
        axes.set_yticks([])
        written.append(save_figure(figure, f'{out_prefix}_polarity.png'))
    return written
