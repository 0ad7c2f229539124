"""What inference returns: the prepared video, each prediction, the whole result."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..utils.media import MediaInfo


class InferenceWarning(UserWarning):
    """Inference went on with less than the video should give (no audio, no face)."""


@dataclass
class PreparedVideo:
    """A video ready for the test pipeline.

    Attributes:
        video (str): The user's file.
        info (MediaInfo): What probing found.
        face_clip (str): The face crops as an H.264 clip (the face cache format).
        boxes (np.ndarray): ``[V, 3]`` face box per frame (centre x, centre y, side)
            in the video's pixels.
        face_detect_rate (float): Fraction of detector runs that found a face; 0.0
            means none anywhere (the crop is the centred square).
        audio (str, optional): The audio track as a 16 kHz mono wav (the face cache's
            sidecar format, decoded once however many windows read it); None when
            the video has no audio track.
    """

    video: str
    info: MediaInfo
    face_clip: str
    boxes: np.ndarray
    face_detect_rate: float
    audio: str | None


@dataclass
class Prediction:
    """The emotion scores of a video or of one window of it.

    Attributes:
        classes (tuple[str, ...]): The K class names.
        scores (np.ndarray): ``[K]`` probabilities.
        embedding (np.ndarray): ``[E]`` the fusion head's embedding.
        start (float): Start of the part predicted, seconds.
        end (float): End, seconds.
    """

    classes: tuple[str, ...]
    scores: np.ndarray
    embedding: np.ndarray
    start: float
    end: float

    @property
    def label(self) -> str:
        return self.classes[int(self.scores.argmax())]

    def top(self, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` likeliest classes with their probabilities, likeliest first."""
        order = np.argsort(-self.scores)[:k]
        return [(self.classes[i], float(self.scores[i])) for i in order]


@dataclass
class VideoResult:
    """Everything ``inference_av`` found for one video.

    Attributes:
        video (PreparedVideo): The prepared input.
        modality (str): The inputs used: ``'audio-visual'``, ``'video'``, ``'audio'``.
        clip (Prediction): The whole video.
        timeline (list[Prediction]): One per window (empty without ``window``).
        notes (list[str]): What was missing and what was done about it.
    """

    video: PreparedVideo
    modality: str
    clip: Prediction
    timeline: list[Prediction] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
