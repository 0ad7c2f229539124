"""High-level entry points: build a model from a config and predict on a user's video."""

from .inference import (
    InferenceWarning,
    Prediction,
    PreparedVideo,
    VideoResult,
    inference_av,
    init_model,
    prepare_video,
    window_spans,
)
from .stream import open_source, stream_predictions

__all__ = [
    'InferenceWarning',
    'Prediction',
    'PreparedVideo',
    'VideoResult',
    'inference_av',
    'init_model',
    'open_source',
    'prepare_video',
    'stream_predictions',
    'window_spans',
]
