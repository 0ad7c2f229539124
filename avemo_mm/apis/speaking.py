"""Who speaks: a face's mouth movement against the sound's loudness over time.

The baseline (``docs/method.md``, "Every face and who speaks"): per frame, the mouth
region's activity (the mean absolute change of the lower third of the face, cut at the
track's sub-pixel centre and one size, since the previous frame) and the sound's energy
envelope (RMS of the samples within the frame's time), both averaged over 0.12 s; a
face's speaking score over a window is their Pearson correlation at the best lag within
``max_lag`` seconds (sound and picture are rarely in perfect sync). What it cannot do:
tell two faces apart that speak at once, or know that a voice comes from off screen (the
face whose mouth moves most in time with it still gets the highest score; the
``margin`` rule then decides).
"""

from __future__ import annotations

import cv2
import numpy as np


def mouth_patch(frame: np.ndarray, centre: tuple[float, float], side: float) -> np.ndarray:
    """The face's grey square ``[32, 32]`` float32 at a sub-pixel centre.

    Sub-pixel (bilinear) so that a box drifting by a fraction of a pixel moves the patch
    by as much, not by a whole pixel now and then, which would look like a moving mouth.
    """
    side = max(2, int(side))
    # only the pixels the patch reads (and two more each way for the interpolation): the
    # whole frame's values to float rounding (< 0.01 of a grey level), 10x faster at 720p
    height, width = frame.shape[:2]
    x0, y0 = max(0, int(centre[0] - side / 2) - 2), max(0, int(centre[1] - side / 2) - 2)
    x1, y1 = min(width, int(centre[0] + side / 2) + 3), min(height, int(centre[1] + side / 2) + 3)
    if x1 - x0 < 2 or y1 - y0 < 2:  # the patch lies outside the frame: the whole frame
        x0, y0, x1, y1 = 0, 0, width, height
    grey = cv2.cvtColor(frame[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY).astype(np.float32)
    patch = cv2.getRectSubPix(grey, (side, side), (centre[0] - x0, centre[1] - y0))
    return cv2.resize(patch, (32, 32), interpolation=cv2.INTER_AREA)


def mouth_activity(patches: np.ndarray) -> np.ndarray:
    """Mean absolute change of the mouth region (lower third, middle half) per frame.

    Args:
        patches (np.ndarray): ``[L, 32, 32]`` from :func:`mouth_patch`, one face in order.

    Returns:
        np.ndarray: ``[L]`` float64; the first frame gets its successor's value.
    """
    mouth = patches[:, 21:, 8:24].astype(np.float64)
    change = np.abs(np.diff(mouth, axis=0)).mean(axis=(1, 2))
    return np.concatenate([change[:1], change]) if len(change) else np.zeros(len(patches))


def audio_envelope(
    samples: np.ndarray, sample_rate: int, fps: float, num_frames: int
) -> np.ndarray:
    """RMS of the samples within each video frame's time, ``[num_frames]`` float64."""
    per_frame = sample_rate / fps
    bounds = np.round(np.arange(num_frames + 1) * per_frame).astype(np.int64)
    squares = np.concatenate([[0.0], np.cumsum(samples.astype(np.float64) ** 2)])
    bounds = np.clip(bounds, 0, len(samples))
    counts = np.maximum(np.diff(bounds), 1)
    return np.sqrt((squares[bounds[1:]] - squares[bounds[:-1]]) / counts)


def speaking_score(
    activity: np.ndarray, envelope: np.ndarray, fps: float, max_lag: float = 0.2
) -> float:
    """Correlation of mouth activity and sound energy at the best lag, in [0, 1].

    Args:
        activity (np.ndarray): ``[L]`` from :func:`mouth_activity`.
        envelope (np.ndarray): ``[L]`` from :func:`audio_envelope`, the same frames.
        fps (float): Frames per second of both.
        max_lag (float): Largest shift tried either way, in seconds. Defaults to ``0.2``.

    Returns:
        float: 0.0 when either signal is flat (a still face, silence) or they only
        anti-correlate.
    """
    if len(activity) != len(envelope):
        raise ValueError(f'{len(activity)} frames of mouth activity, {len(envelope)} of sound')
    # both over about a syllable's onset (0.12 s): a mouth opens over a few frames
    width = max(1, int(round(0.12 * fps)))
    activity = np.convolve(activity, np.ones(width) / width, mode='same')
    envelope = np.convolve(envelope, np.ones(width) / width, mode='same')
    best = 0.0
    for lag in range(-int(round(max_lag * fps)), int(round(max_lag * fps)) + 1):
        a = activity[max(0, lag) : len(activity) + min(0, lag)]
        e = envelope[max(0, -lag) : len(envelope) + min(0, -lag)]
        if len(a) < 3 or a.std() == 0 or e.std() == 0:
            continue
        best = max(best, float(np.corrcoef(a, e)[0, 1]))
    return best


def speaker_of(
    scores: dict[int, float], threshold: float = 0.3, margin: float = 0.1
) -> int | None:
    """The face that clearly speaks: the best score, at least ``threshold`` and
    ``margin`` above the next; None when no face clearly does."""
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    face, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else -1.0
    return face if best >= threshold and best - runner_up >= margin else None
