"""High-level entry points: build a model from a config and predict on a user's video.

Everything here but :func:`init_model` also runs without PyTorch, on an exported model
(:class:`avemo_mm.deploy.OnnxRecognizer`); ``init_model`` is imported when first used."""

from .all_faces import (
    FaceWindow,
    TrackedFace,
    inference_all_faces,
    track_faces,
    write_tracks_json,
    write_windows_csv,
)
from .backend import InferenceBackend, as_backend
from .inference import inference_av, window_spans
from .live_reader import LiveReader, LiveSource, Window
from .results import InferenceWarning, Prediction, PreparedVideo, VideoResult
from .stream import LiveFace, LiveWindow, live_tracks, stream_predictions
from .video_preparation import prepare_video

__all__ = [
    'InferenceBackend',
    'as_backend',
    'FaceWindow',
    'TrackedFace',
    'inference_all_faces',
    'track_faces',
    'write_tracks_json',
    'write_windows_csv',
    'InferenceWarning',
    'LiveFace',
    'LiveReader',
    'LiveSource',
    'LiveWindow',
    'Window',
    'Prediction',
    'PreparedVideo',
    'VideoResult',
    'inference_av',
    'init_model',
    'live_tracks',
    'prepare_video',
    'stream_predictions',
    'window_spans',
]


def __getattr__(name: str):
    if name == 'init_model':  # needs PyTorch and mmengine, which a deployment lacks
        from .model_loading import init_model

        return init_model
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
