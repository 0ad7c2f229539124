"""A user's video made into what the test pipeline reads: a face clip and a wav.

The face is tracked and cropped by the preparation tool's own code
(:func:`~avemo_mm.datasets.preparation.write_face_clip`), so a user's clip and a corpus
clip go through identical steps.
"""

from __future__ import annotations

import dataclasses
import os.path as osp

from ..datasets.preparation import FaceTracker, write_face_clip
from ..datasets.preparation.face_alignment import EyeAligner
from ..utils.media import MediaError, probe_media, read_audio, write_wav
from .results import PreparedVideo

AUDIO_RATE = 16000  # the face cache's wav rate; LoadAudio resamples if it wants another


def prepare_video(
    video: str,
    face_size: int,
    out_dir: str,
    detect_every: int = 3,
    min_frames: int = 1,
    align_eyes: bool = False,
) -> PreparedVideo:
    """Probe a video, write its face clip and its audio as a wav into ``out_dir``.

    ``align_eyes`` turns the face crops so that the eyes lie level, as the preparation
    does with ``--align-eyes`` (use it for a model trained on such a cache).

    Raises:
        MediaError: The file does not decode, or has fewer than ``min_frames`` frames;
            the message names the file.
    """
    info = probe_media(video, decode_audio=False)  # the audio is decoded once, below
    if info.num_frames < min_frames:
        raise MediaError(
            f'{video}: {info.num_frames} frames ({info.duration:.2f} s); the model needs '
            f'at least {min_frames} frames (one snippet)'
        )
    face_clip = osp.join(out_dir, 'face.mp4')
    aligner = EyeAligner(detect_every) if align_eyes else None
    boxes, rate = write_face_clip(
        video, face_clip, face_size, info.fps, FaceTracker(detect_every), aligner=aligner
    )
    # the face clip is at a constant rate: a variable-rate video may have other counts
    info = dataclasses.replace(info, num_frames=len(boxes), duration=len(boxes) / info.fps)
    try:
        samples = read_audio(video, AUDIO_RATE)
    except MediaError:  # no audio track, or one that does not decode: the face alone
        return PreparedVideo(video, info, face_clip, boxes, rate, None)
    audio = osp.join(out_dir, 'audio.wav')
    write_wav(audio, samples, AUDIO_RATE)
    info = dataclasses.replace(
        info,
        has_audio=True,
        audio_duration=len(samples) / AUDIO_RATE,
        audio_sample_rate=AUDIO_RATE,
    )
    return PreparedVideo(video, info, face_clip, boxes, rate, audio)
