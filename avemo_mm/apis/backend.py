"""What the inference entry points need of a model, whichever runs it.

:func:`~avemo_mm.apis.inference_av`, :func:`~avemo_mm.apis.inference_all_faces` and
:func:`~avemo_mm.apis.stream_predictions` take a PyTorch model (from
:func:`~avemo_mm.apis.init_model`, run by :class:`~avemo_mm.apis.torch_backend.TorchBackend`)
or an exported one (:class:`avemo_mm.deploy.OnnxRecognizer`, ONNX Runtime without
PyTorch). Both turn the same inputs (a face clip and a wav, as the preparation writes
them) into the same predictions.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np


class InferenceBackend(ABC):
    """A trained model as the inference API runs it.

    Attributes:
        classes (tuple[str, ...]): The K class names.
        modality (str): What the model was trained on: ``'audio-visual'``,
            ``'audio'`` or ``'video'``.
        face_size (int): The side of the face crops it looks at.
        snippet_len (int): k, the frames of one snippet (a clip needs that many).
    """

    classes: tuple[str, ...]
    modality: str
    face_size: int
    snippet_len: int

    @abstractmethod
    def prepare(self, inputs: dict) -> dict:
        """One clip's model inputs from ``filename`` (the face clip), ``audio_path``
        (a wav or None), ``num_frames``, ``fps`` and ``frame_window``: the config's
        test pipeline."""

    @abstractmethod
    def predict(self, batch: list[dict], modality: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """Scores ``[K]`` and embedding ``[E]`` for each prepared clip, run on
        ``modality`` (an audio-visual model zeroes the input it leaves out)."""


def as_backend(model) -> InferenceBackend:
    """An exported model as it is; a PyTorch model wrapped (imported only then)."""
    if isinstance(model, InferenceBackend):
        return model
    from .torch_backend import TorchBackend

    return TorchBackend(model)
