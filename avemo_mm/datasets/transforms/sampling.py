"""Snippet sampling: N snippets of k frames from N*k uniformly spaced keyframes."""

from __future__ import annotations

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ...utils.media import MediaError
from ...utils.snippets import snippet_indices, window_snippets

__all__ = ['SampleSnippets', 'snippet_indices']


@TRANSFORMS.register_module()
class SampleSnippets(BaseTransform):
    """Sample ``num_snippets`` x ``snippet_len`` frame indices over the whole clip.

    ``num_snippets * snippet_len`` keyframes (96 in the paper) are spaced uniformly
    over the clip and grouped in time order into consecutive snippets. Keyframe i
    lies in the i-th of equal bins of the clip: at the bin's centre when testing, at
    a uniformly random place inside it when training (jitter that keeps the order).
    A clip with fewer frames than keyframes repeats frames (indices never leave the
    clip).

    The frame count is the smaller of the decoder's (``total_frames``, from
    ``DecordInit``) and the probed one (``num_frames``, from the preparation tool's
    annotation), so a container that over-reports its length is never read past
    its end.

    Required Keys:
        - total_frames (from ``DecordInit``) and/or num_frames (the annotation's): an
          audio-only pipeline needs no ``DecordInit``
        - avg_fps (from ``DecordInit``) or fps

    Optional Keys:
        - frame_window: ``(start, stop)`` frame indices (stop exclusive): sample
          inside this part of the clip only; the sliding-window inference of
          ``avemo_mm.apis`` sets it, one window after another

    Added Keys:
        - frame_inds: ``[N * k]`` int
        - clip_len (k), num_clips (N), frame_interval (None); with ``single_clip``:
          clip_len N * k, num_clips 1
        - snippet_times: ``[N]`` float, the centre time of each snippet in seconds,
          which :class:`SnippetLogSpectrogram` aligns the audio segments on

    Args:
        num_snippets (int): N. Defaults to ``6``.
        snippet_len (int): k frames per snippet. Defaults to ``16``.
        test_mode (bool): Deterministic centres instead of random jitter.
            Defaults to ``False``.
        single_clip (bool): Present the keyframes as one clip of N * k frames
            (``FormatShape`` then gives ``[1, 3, N * k, Y, X]``). Stock MMAction2
            recognizers train on one clip per sample, so a visual-only MMAction2
            model on these datasets sets this. Defaults to ``False``.
    """

    def __init__(
        self,
        num_snippets: int = 6,
        snippet_len: int = 16,
        test_mode: bool = False,
        single_clip: bool = False,
    ):
        if num_snippets < 1 or snippet_len < 1:
            raise ValueError(
                f'num_snippets and snippet_len must be >= 1, got {num_snippets}, {snippet_len}'
            )
        self.num_snippets = num_snippets
        self.snippet_len = snippet_len
        self.test_mode = test_mode
        self.single_clip = single_clip

    def transform(self, results: dict) -> dict:
        name = results.get('filename', '<clip>')
        counts = [int(results[k]) for k in ('total_frames', 'num_frames') if results.get(k)]
        if not counts and 'total_frames' not in results:
            raise MediaError(
                f'{name}: no frame count (run DecordInit first, or read an '
                'annotation written by tools/data/prepare_dataset.py)'
            )
        total = min(counts) if counts else 0
        fps = results.get('avg_fps') or results.get('fps')
        if total < 1:
            raise MediaError(f'{name}: no frames to sample')
        if not fps or fps <= 0:
            raise MediaError(f'{name}: unknown frame rate, cannot place the audio segments')
        frame_inds, times = window_snippets(
            total,
            float(fps),
            results.get('frame_window'),
            self.num_snippets,
            self.snippet_len,
            None if self.test_mode else np.random.rand(self.num_snippets * self.snippet_len),
            name,
        )
        num_clips = 1 if self.single_clip else self.num_snippets
        results.update(
            frame_inds=frame_inds,
            clip_len=len(frame_inds) // num_clips,
            num_clips=num_clips,
            frame_interval=None,
            snippet_times=times,
        )
        return results

    def __repr__(self) -> str:
        return (
            f'{type(self).__name__}(num_snippets={self.num_snippets}, '
            f'snippet_len={self.snippet_len}, test_mode={self.test_mode}, '
            f'single_clip={self.single_clip})'
        )
