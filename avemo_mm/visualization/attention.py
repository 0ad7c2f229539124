"""Attention pictures: spatial heads over face frames, temporal attention over snippets.

The paper's Fig. 8-11. The weights come from
``AVRecognizer.extract_feat(inputs, return_attention=True)``.
"""

from __future__ import annotations

import numpy as np

from .figures import new_figure, save_figure


def plot_spatial_attention(
    frames: np.ndarray,
    spatial: np.ndarray,
    grid: tuple[int, int],
    out_path: str,
    title: str = '',
    max_heads: int = 8,
) -> str:
    """Each spatial attention head over the centre frame of each snippet.

    A head's map is the attention each spatial position receives, averaged over
    the positions that attend (the columns of its ``[s, s]`` weights), upsampled
    bilinearly onto the frame.

    Args:
        frames (np.ndarray): ``[N, Y, X, 3]`` uint8, one face frame per snippet.
        spatial (np.ndarray): ``[N, heads, s, s]`` spatial attention weights.
        grid (tuple[int, int]): ``(h, w)`` with ``h * w = s``: the feature map.
        out_path (str): PNG path.
        title (str): Figure title. Defaults to ``''``.
        max_heads (int): Heads shown. Defaults to ``8``.

    Returns:
        str: ``out_path``.
    """
    snippets, heads = spatial.shape[:2]
    heads = min(heads, max_heads)
    if grid[0] * grid[1] != spatial.shape[-1]:
        raise ValueError(f'grid {grid} does not hold the {spatial.shape[-1]} spatial tokens')
    received = spatial.mean(axis=2).reshape(snippets, -1, *grid)  # [N, heads, h, w]
    height, width = frames.shape[1:3]
    figure = new_figure(1.6 * (heads + 1), 1.6 * snippets + 0.6)
    for n in range(snippets):
        axes = figure.add_subplot(snippets, heads + 1, n * (heads + 1) + 1)
        axes.imshow(frames[n])
        axes.set_ylabel(f'snippet {n + 1}', fontsize=8)
        axes.set_xticks([])
        axes.set_yticks([])
        for j in range(heads):
            axes = figure.add_subplot(snippets, heads + 1, n * (heads + 1) + j + 2)
            axes.imshow(frames[n])
            axes.imshow(
                received[n, j],
                cmap='jet',
                alpha=0.45,
                extent=(0, width, height, 0),
                interpolation='bilinear',
            )
            axes.axis('off')
            if n == 0:
                axes.set_title(f'head {j + 1}', fontsize=8)
    figure.suptitle(title or 'Spatial attention (VS) per head', fontsize=10)
    return save_figure(figure, out_path)


def plot_temporal_attention(
    weights: dict[str, np.ndarray],
    snippet_times: np.ndarray | None,
    out_path: str,
    title: str = '',
) -> str:
    """Temporal attention between snippets, one panel per branch, heads averaged.

    Args:
        weights (dict[str, np.ndarray]): Branch name (``'video'``, ``'audio'``) ->
            ``[heads, N, N]`` weights (row = attending snippet).
        snippet_times (np.ndarray, optional): ``[N]`` snippet centre times in
            seconds, for the axis labels; None numbers the snippets.
        out_path (str): PNG path.
        title (str): Figure title. Defaults to ``''``.

    Returns:
        str: ``out_path``.
    """
    if not weights:
        raise ValueError('no temporal attention weights (VT and AT both switched off?)')
    size = next(iter(weights.values())).shape[-1]
    if snippet_times is None:
        labels = [f'#{i + 1}' for i in range(size)]
    else:
        labels = [f'{t:.1f}s' for t in snippet_times]
    figure = new_figure(4.2 * len(weights), 4.4)
    for index, (branch, value) in enumerate(weights.items()):
        mean = np.asarray(value).mean(axis=0)  # [N, N]
        axes = figure.add_subplot(1, len(weights), index + 1)
        image = axes.imshow(mean, cmap='viridis', vmin=0)
        figure.colorbar(image, ax=axes, fraction=0.046)
        ticks = np.arange(len(labels))
        axes.set_xticks(ticks, labels=labels, rotation=45, fontsize=7)
        axes.set_yticks(ticks, labels=labels, fontsize=7)
        axes.set_xlabel('attended snippet')
        axes.set_ylabel('attending snippet')
        axes.set_title(f'{branch} temporal attention', fontsize=9)
    figure.suptitle(title or 'Temporal attention (VT, AT), mean over heads', fontsize=10)
    return save_figure(figure, out_path)
