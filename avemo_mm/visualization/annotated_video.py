"""The user's video written back with the face box and the predicted emotions drawn on."""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from ..utils.av_writer import write_av_clip
from ..utils.media import MediaError, iter_video_frames, probe_media, read_audio

OUTPUT_SAMPLE_RATE = 48000


def _text_size(frame: np.ndarray) -> tuple[float, int]:
    """OpenCV font scale and line thickness for a frame of this height."""
    scale = max(0.3, frame.shape[0] / 900)
    return scale, max(1, int(round(2 * scale)))


def _even_size(frame: np.ndarray) -> np.ndarray:
    """A writable copy cut to even sides (yuv420p needs them)."""
    return frame[: frame.shape[0] // 2 * 2, : frame.shape[1] // 2 * 2].copy()


def draw_prediction(frame: np.ndarray, box: np.ndarray | None, top: list[tuple[str, float]]):
    """Draw the face box (when there is one) and the top classes on an RGB frame."""
    scale, thick = _text_size(frame)
    if box is not None:
        cx, cy, side = box
        p0 = (int(cx - side / 2), int(cy - side / 2))
        p1 = (int(cx + side / 2), int(cy + side / 2))
        cv2.rectangle(frame, p0, p1, (0, 220, 0), thick)
    line = int(30 * scale) + 4
    for rank, (name, prob) in enumerate(top):
        text = f'{name} {prob:.0%}'
        y = int(12 * scale) + line * (rank + 1)
        (w, h), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
        cv2.rectangle(frame, (6, y - h - 6), (14 + w, y + 6), (0, 0, 0), -1)
        colour = (255, 255, 255) if rank else (255, 220, 0)
        cv2.putText(frame, text, (10, y), cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thick)
    return frame


def write_annotated_video(result, out_path: str, top_k: int = 3) -> str:
    """Write ``result``'s video with its predictions drawn on, keeping its audio track.

    Each frame shows the prediction of the window whose centre is nearest in time
    (the whole-video prediction without a timeline), and the tracked face box
    unless no face was found. Frames are encoded as they are decoded.

    Args:
        result (VideoResult): From :func:`avemo_mm.apis.inference_av`.
        out_path (str): ``.mp4`` (H.264 + AAC), written atomically.
        top_k (int): Classes listed on each frame. Defaults to ``3``.

    Returns:
        str: ``out_path``.
    """
    prepared = result.video
    fps = prepared.info.fps
    shown = result.timeline or [result.clip]
    centres = np.array([(p.start + p.end) / 2 for p in shown])
    tops = [p.top(top_k) for p in shown]
    has_face = prepared.face_detect_rate > 0

    def frames() -> Iterator[np.ndarray]:
        for t, frame in enumerate(iter_video_frames(prepared.video, fps)):  # as the boxes
            frame = _even_size(frame)
            nearest = int(np.abs(centres - (t + 0.5) / fps).argmin())
            box = prepared.boxes[min(t, len(prepared.boxes) - 1)] if has_face else None
            yield draw_prediction(frame, box, tops[nearest])

    audio = None
    if prepared.info.has_audio:
        audio = read_audio(prepared.video, OUTPUT_SAMPLE_RATE)
    write_av_clip(out_path, frames(), fps=fps, audio=audio, sample_rate=OUTPUT_SAMPLE_RATE)
    return out_path


def draw_face_label(frame: np.ndarray, box: np.ndarray, text: str, speaking: bool) -> np.ndarray:
    """Draw one face's box and ``#id label p%`` above it; a speaking face's box in
    orange with a filled dot before its text."""
    scale, thick = _text_size(frame)
    colour = (255, 140, 0) if speaking else (0, 220, 0)
    cx, cy, side = box
    x0, y0 = int(cx - side / 2), int(cy - side / 2)
    cv2.rectangle(frame, (x0, y0), (int(cx + side / 2), int(cy + side / 2)), colour, thick)
    (w, h), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
    dot = h if speaking else 0
    y = max(h + 4, y0 - 4)
    cv2.rectangle(frame, (x0, y - h - 4), (x0 + w + dot + 6, y + 4), (0, 0, 0), -1)
    if speaking:
        cv2.circle(frame, (x0 + 2 + dot // 2, y - h // 2), max(2, h // 3), colour, -1)
    cv2.putText(
        frame, text, (x0 + 3 + dot, y), cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), thick
    )
    return frame


def write_all_faces_video(video: str, faces, out_path: str) -> str:
    """Write ``video`` with every tracked face's box and ``#id label p%`` drawn on.

    Each face shows the prediction of its window whose centre is nearest in time; the
    face given the voice in that window (``modality == 'audio-visual'``) is drawn as
    speaking. The audio track is kept.

    Args:
        video (str): The video the faces were found in.
        faces (list[TrackedFace]): From :func:`avemo_mm.apis.inference_all_faces`
            (an empty list writes the video as it is).
        out_path (str): ``.mp4`` (H.264 + AAC), written atomically.

    Returns:
        str: ``out_path``.
    """

    fps = faces[0].fps if faces else probe_media(video, decode_audio=False).fps

    def frames() -> Iterator[np.ndarray]:
        for t, frame in enumerate(iter_video_frames(video, fps)):
            frame = _even_size(frame)
            for face in faces:
                if not (face.first <= t < face.stop and face.windows):
                    continue
                centres = np.array([(w.start + w.end) / 2 for w in face.windows])
                window = face.windows[int(np.abs(centres - (t + 0.5) / fps).argmin())]
                text = f'#{face.id} {window.label} {max(window.scores):.0%}'
                speaking = window.modality == 'audio-visual'
                draw_face_label(frame, face.boxes[t - face.first], text, speaking)
            yield frame

    try:
        audio = read_audio(video, OUTPUT_SAMPLE_RATE)
    except MediaError:  # a video without sound stays without
        audio = None
    write_av_clip(out_path, frames(), fps=fps, audio=audio, sample_rate=OUTPUT_SAMPLE_RATE)
    return out_path
