"""Read and probe audio-video files with PyAV (FFmpeg).

PyAV decodes the corpora's MP4 (RAVDESS) and FLV (CREMA-D) files correctly, where
decord can spin on an FLV's missing frame count. The preparation tool probes every
original file with it; training then reads the cache that tool wrote.
"""

from __future__ import annotations

import wave
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import av
import numpy as np

from ..audio.resample import resample as numpy_resample
from .frame_grid import FrameGrid


class MediaError(RuntimeError):
    """A media file cannot be used; the message names the file and the reason."""


@dataclass
class MediaInfo:
    """What probing found in one file (times in seconds)."""

    num_frames: int  # frames actually decoded
    fps: float
    width: int
    height: int
    duration: float  # num_frames / fps
    has_audio: bool
    audio_duration: float  # 0.0 without audio
    audio_sample_rate: int  # 0 without audio

    def asdict(self) -> dict:
        return asdict(self)


def _open(path: str):
    try:
        return av.open(path)
    except (av.FFmpegError, OSError) as err:
        raise MediaError(f'{path}: cannot open ({err})') from err


def probe_media(path: str, decode_audio: bool = True) -> MediaInfo:
    """Decode a file's video (and audio) once and report what it holds.

    Frames are counted by decoding, not taken from the container header, which
    FLV files lack and truncated files overstate.

    Raises:
        MediaError: Unreadable or empty container, no video stream, or no frame.
    """
    with _open(path) as container:
        if not container.streams.video:
            raise MediaError(f'{path}: no video stream')
        vstream = container.streams.video[0]
        rate = vstream.average_rate or vstream.guessed_rate or vstream.base_rate
        fps = float(rate) if rate else 0.0
        num_frames, width, height = 0, vstream.codec_context.width, vstream.codec_context.height
        try:
            for frame in container.decode(vstream):
                num_frames += 1
                width, height = frame.width, frame.height
        except av.FFmpegError as err:
            if num_frames == 0:
                raise MediaError(f'{path}: video does not decode ({err})') from err
            # a truncated tail: keep the frames that decoded
    if num_frames == 0:
        raise MediaError(f'{path}: video stream has no decodable frame')
    if fps <= 0:
        raise MediaError(f'{path}: video stream has no frame rate')
    has_audio, audio_duration, audio_rate = False, 0.0, 0
    if decode_audio:
        try:
            audio = read_audio(path, sample_rate=16000)
            has_audio, audio_duration, audio_rate = True, len(audio) / 16000, 16000
        except MediaError:
            pass
    return MediaInfo(
        num_frames, fps, width, height, num_frames / fps, has_audio, audio_duration, audio_rate
    )


def read_audio(path: str, sample_rate: int = 16000) -> np.ndarray:
    """Decode a file's first audio stream to mono float32 at ``sample_rate``.

    Works on containers (mp4, flv) and on wav files alike: the channels are
    averaged, and ``torchaudio.functional.resample`` converts the rate (without
    PyTorch, in a deployment, its numpy port :func:`avemo_mm.audio.resample`, equal
    to about 2e-7).

    Args:
        path (str): Media file.
        sample_rate (int): Output rate in Hz. Defaults to ``16000``.

    Returns:
        np.ndarray: ``[S]`` float32 samples in [-1, 1].

    Raises:
        MediaError: No audio stream, or it does not decode, or it is empty.
    """
    pcm = _read_pcm_wav(path) if path.lower().endswith('.wav') else None
    if pcm is not None:
        chunks, source_rate = pcm
    else:
        chunks, source_rate = _decode_audio(path)
    if not chunks or not sum(map(len, chunks)):
        raise MediaError(f'{path}: audio stream is empty')
    audio = np.concatenate(chunks)
    if source_rate != sample_rate:
        audio = _resample(audio, source_rate, sample_rate)
    return audio.astype(np.float32, copy=False)


def _resample(audio: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """torchaudio's resampling where PyTorch is installed: the prepared corpora and the
    models' records were made with it, and the numpy port differs in the last bits."""
    try:
        import torch
        import torchaudio
    except ModuleNotFoundError:  # a deployment without PyTorch
        return numpy_resample(audio, source_rate, target_rate)
    return torchaudio.functional.resample(
        torch.from_numpy(audio), source_rate, target_rate
    ).numpy()


def _decode_audio(path: str) -> tuple[list[np.ndarray], int]:
    """The first audio stream's frames as ``[S_i]`` float32 chunks, and their rate."""
    with _open(path) as container:
        if not container.streams.audio:
            raise MediaError(f'{path}: no audio stream')
        chunks, source_rate = [], 0
        try:
            for frame in container.decode(container.streams.audio[0]):
                chunks.append(_mono_float(frame))
                source_rate = frame.sample_rate
        except av.FFmpegError as err:
            if not chunks:
                raise MediaError(f'{path}: audio does not decode ({err})') from err
    return chunks, source_rate


def _read_pcm_wav(path: str) -> tuple[list[np.ndarray], int] | None:
    """A plain 16/32-bit PCM wav (what the preparation writes) read without FFmpeg.

    Opening a file with FFmpeg costs about 5 ms, most of a training clip's audio
    time; the samples come out identical to PyAV's. Returns ``None`` for any other
    wav (float, 8/24-bit, extensible headers), which PyAV then decodes.
    """
    try:
        with wave.open(path) as reader:
            width, channels = reader.getsampwidth(), reader.getnchannels()
            rate, data = reader.getframerate(), reader.readframes(reader.getnframes())
    except (wave.Error, EOFError):
        return None
    except OSError as err:
        raise MediaError(f'{path}: cannot open ({err})') from err
    if width not in (2, 4):
        return None
    name = 's16' if width == 2 else 's32'
    samples = np.frombuffer(data, f'<i{width}').reshape(-1, channels).T
    return [(samples.astype(np.float32) / _SAMPLE_SCALE[name]).mean(axis=0)], rate


# sample format -> scale to [-1, 1] (PyAV's AudioResampler leaks memory on every call:
# about 4 KB per file, which adds up over a long training, so the conversion is ours)
_SAMPLE_SCALE = {'u8': 128.0, 's16': 32768.0, 's32': 2147483648.0, 's64': 2.0**63}


def _mono_float(frame: av.AudioFrame) -> np.ndarray:
    """One decoded audio frame as ``[S]`` float32 in [-1, 1], its channels averaged."""
    data = frame.to_ndarray()
    name = frame.format.name.rstrip('p')  # 'fltp' -> 'flt'
    channels = len(frame.layout.channels)
    # planar: [C, S]; packed: [1, S * C], samples interleaved
    data = data if frame.format.is_planar else data.reshape(-1, channels).T
    if name == 'u8':
        data = data.astype(np.float32) - 128.0
    data = data.astype(np.float32, copy=False)
    if name in _SAMPLE_SCALE:
        data = data / _SAMPLE_SCALE[name]
    return data.mean(axis=0)


def iter_video_frames(path: str, fps: float | None = None) -> Iterator[np.ndarray]:
    """Yield the decodable frames as RGB uint8 ``[Y, X, 3]`` arrays, in order.

    Args:
        path (str): Media file.
        fps (float, optional): Resample to this constant rate by the frames'
            timestamps: output frame ``k`` is the frame on screen at ``k / fps`` s
            (after the first frame). A constant-rate video at ``fps`` comes out
            unchanged; a variable-rate one (phones) comes out evenly spaced, so that
            frame ``k`` lines up with the audio at ``k / fps`` s. ``None`` yields every
            decoded frame. Defaults to ``None``.
    """
    frames = _decode_frames(path)
    if fps is None:
        yield from (image for image, _ in frames)
        return
    grid = FrameGrid(fps)
    for image, time in frames:
        yield from grid.push(image, time)
    yield from grid.finish()


def _decode_frames(path: str) -> Iterator[tuple[np.ndarray, float | None]]:
    """Every decodable frame with its time in seconds (None when it has none)."""
    with _open(path) as container:
        if not container.streams.video:
            raise MediaError(f'{path}: no video stream')
        stream = container.streams.video[0]
        stream.thread_type = 'AUTO'
        try:
            for frame in container.decode(stream):
                yield frame.to_ndarray(format='rgb24'), frame.time
        except av.FFmpegError:
            return  # a truncated tail ends the clip, as probing counted it


def write_wav(path: str, audio: np.ndarray, sample_rate: int) -> None:
    """Write mono float audio as 16-bit PCM wav, atomically (``.partial`` + rename)."""
    import os
    import wave

    pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).astype('<i2')
    partial = path + '.partial'
    with wave.open(partial, 'wb') as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm.tobytes())
    os.replace(partial, path)
