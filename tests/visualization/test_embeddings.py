"""t-SNE of embeddings: 2-D points, and the class and polarity plots."""

import os.path as osp

import numpy as np

from avemo_mm.visualization import plot_tsne, tsne_2d


def test_tsne_keeps_separated_groups_apart_even_on_few_points(tmp_path):
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(3), 5)
    embeddings = rng.normal(size=(15, 16)) * 0.1 + np.eye(16)[groups] * 10
    points = tsne_2d(embeddings)  # 15 points: the perplexity must drop below 15
    assert points.shape == (15, 2)
    centres = np.stack([points[groups == g].mean(axis=0) for g in range(3)])
    spread = max(np.linalg.norm(points[groups == g] - centres[g], axis=1).max() for g in range(3))
    assert (
        min(np.linalg.norm(centres[a] - centres[b]) for a, b in ((0, 1), (0, 2), (1, 2))) > spread
    )
    paths = plot_tsne(
        embeddings, groups, ['a', 'b', 'c'], ['positive', 'negative', 'neutral'],
        str(tmp_path / 'tsne'),
    )  # fmt: skip
    assert [osp.basename(p) for p in paths] == ['tsne_classes.png', 'tsne_polarity.png']
    assert plot_tsne(embeddings, groups, ['a', 'b', 'c'], None, str(tmp_path / 'x')) == [
        str(tmp_path / 'x_classes.png')
    ]
