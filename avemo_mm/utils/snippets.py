"""Where the snippets' frames fall in a clip (the arithmetic of ``SampleSnippets``).

Plain numpy, so that a deployment without PyTorch samples the frames the same way.
"""

from __future__ import annotations

import numpy as np

from .media import MediaError


def snippet_indices(
    total_frames: int,
    fps: float,
    num_snippets: int,
    snippet_len: int,
    jitter: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Frame indices and snippet centre times (the arithmetic of :class:`SampleSnippets`).

    Args:
        total_frames (int): Frames in the clip, >= 1.
        fps (float): Frame rate, > 0.
        num_snippets (int): N.
        snippet_len (int): k.
        jitter (np.ndarray, optional): ``[N * k]`` values in [0, 1): where in its bin
            each keyframe falls; None puts it at the bin centre.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``[N * k]`` int indices in ``[0, total)``,
        non-decreasing; ``[N]`` centre times in seconds, within ``[0, total / fps]``.
    """
    num_keyframes = num_snippets * snippet_len
    offsets = np.full(num_keyframes, 0.5) if jitter is None else np.asarray(jitter)
    positions = (np.arange(num_keyframes) + offsets) * (total_frames / num_keyframes)
    frame_inds = np.clip(np.floor(positions), 0, total_frames - 1).astype(np.int64)
    snippets = frame_inds.reshape(num_snippets, snippet_len)
    # a frame j covers [j / fps, (j + 1) / fps): the snippet spans first start .. last end
    times = (snippets[:, 0] + snippets[:, -1] + 1) / (2.0 * fps)
    return frame_inds, times


def window_snippets(
    total_frames: int,
    fps: float,
    frame_window: tuple[int, int] | None,
    num_snippets: int,
    snippet_len: int,
    jitter: np.ndarray | None = None,
    name: str = '<clip>',
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`snippet_indices` inside ``frame_window`` (``[start, stop)`` frames; None:
    the whole clip), in the clip's frames and seconds.

    Raises:
        MediaError: The window holds none of the clip's frames; the message names it.
    """
    start, stop = frame_window or (0, total_frames)
    start, stop = max(0, int(start)), min(total_frames, int(stop))
    if stop <= start:
        raise MediaError(
            f"{name}: frame_window {frame_window} holds none of the clip's {total_frames} frames"
        )
    inds, times = snippet_indices(stop - start, fps, num_snippets, snippet_len, jitter)
    return inds + start, times + start / fps
