"""Frames put on a constant-rate grid by their timestamps, as they arrive."""

from __future__ import annotations

import numpy as np


class FrameGrid:
    """Turn frames with timestamps into one frame per ``1 / fps`` slot, incrementally.

    Slot ``k`` holds the frame on screen at ``k / fps`` s after the first frame: a
    constant-rate source at ``fps`` comes out unchanged, a variable-rate one (phones, a
    network stream that drops frames) comes out evenly spaced, a long frame repeated and
    a frame replaced before its slot dropped. A slot is final once the next frame shows
    it is over, so :meth:`push` returns the slots that frame closed.

    Args:
        fps (float): The grid's rate.
    """

    def __init__(self, fps: float) -> None:
        if fps <= 0:
            raise ValueError(f'FrameGrid: fps must be > 0, got {fps}')
        self.fps = fps
        self.start: float | None = None  # the first frame's time in the source's clock
        self.next_slot = 0  # slots given out so far
        self._shown: np.ndarray | None = None
        self._last_time = 0.0
        self._count = 0

    def push(self, image: np.ndarray, time: float | None) -> list[np.ndarray]:
        """Add the next frame (``time`` in seconds, None: evenly spaced); the slots it closed."""
        time = self._count / self.fps if time is None else time
        self._count += 1
        self.start = time if self.start is None else self.start
        self._last_time = time - self.start
        closed = self._fill(self._last_time)
        self._shown = image
        return closed

    def finish(self) -> list[np.ndarray]:
        """The slots the last frame fills (it stays on screen for one frame time)."""
        return self._fill(self._last_time + 1 / self.fps)

    def _fill(self, until: float) -> list[np.ndarray]:
        closed = []
        while self._shown is not None and (self.next_slot + 0.5) / self.fps < until:
            closed.append(self._shown)
            self.next_slot += 1
        return closed
