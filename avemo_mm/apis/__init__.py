"""High-level entry points: build a model from a config and predict on a user's video."""

from .all_faces import (
    FaceWindow,
    TrackedFace,
    inference_all_faces,
    track_faces,
    write_tracks_json,
    write_windows_csv,
)
from .inference import inference_av, window_spans
from .live_reader import LiveReader, LiveSource, Window
from .model_loading import init_model
from .results import InferenceWarning, Prediction, PreparedVideo, VideoResult
from .stream import LiveFace, LiveWindow, live_tracks, stream_predictions
from .video_preparation import prepare_video

__all__ = [
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
