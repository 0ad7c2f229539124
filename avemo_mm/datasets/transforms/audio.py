"""Audio: load a clip's track at 16 kHz mono, and cut log spectrograms per snippet."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
import torchaudio
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ...utils.media import MediaError, read_audio

NORMALIZATIONS = ('segment', 'clip', None)


@TRANSFORMS.register_module()
class LoadAudio(BaseTransform):
    """Decode the clip's audio to mono float32 at ``sample_rate`` (PyAV/FFmpeg).

    Reads a container's own track (mp4, flv) or a wav sidecar alike.

    Required Keys:
        - audio_path (None for a clip without audio: an error naming the clip, or
          silence with ``missing='silence'``)
        - total_frames and avg_fps (or num_frames and fps), only for silence

    Added Keys:
        - audio: ``[S]`` float32
        - audio_sample_rate
        - audio_missing: True when the audio is silence put in for a missing track

    Args:
        sample_rate (int): Output rate in Hz. Defaults to ``16000``.
        missing (str): A clip without audio: ``'error'``, or ``'silence'`` for as
            long as the video, which the inference API uses to run an
            audio-visual model on video alone (see ``AVRecognizer``'s
            ``test_cfg``). Defaults to ``'error'``.
    """

    def __init__(self, sample_rate: int = 16000, missing: str = 'error') -> None:
        if missing not in ('error', 'silence'):
            raise ValueError(f"missing must be 'error' or 'silence', got {missing!r}")
        self.sample_rate = sample_rate
        self.missing = missing

    def transform(self, results: dict) -> dict:
        path = results.get('audio_path')
        results['audio_missing'] = not path
        if path:
            results['audio'] = read_audio(path, self.sample_rate)
        elif self.missing == 'silence':
            frames = results.get('total_frames') or results.get('num_frames') or 0
            fps = results.get('avg_fps') or results.get('fps') or 1.0
            results['audio'] = np.zeros(int(frames / fps * self.sample_rate), np.float32)
        else:
            raise MediaError(
                f'{results.get("filename", "<clip>")}: the clip has no audio '
                '(a video-only file?); use a pipeline without audio for it'
            )
        results['audio_sample_rate'] = self.sample_rate
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(sample_rate={self.sample_rate}, missing={self.missing!r})'


@TRANSFORMS.register_module()
class SnippetLogSpectrogram(BaseTransform):
    """One log-magnitude spectrogram "image" per visual snippet, centred on it.

    The paper's Section 3.2 with the decisions of ``docs/method.md``: Hamming window
    of 32 ms, hop 10 ms (n_fft = 512 at 16 kHz), 256 frequency bins (the Nyquist bin
    dropped), segments of 1 s = 100 frames. Segment i is centred on the centre time
    of visual snippet i (``snippet_times``), so audio segment i and snippet i cover
    the same moment; samples before the start or after the end are silence (zeros).
    The segments are cut from the waveform and transformed as one batch
    (``torchaudio.transforms.Spectrogram``), then normalised to zero mean and unit
    variance, and resized to the audio backbone's input.

    Required Keys:
        - audio, audio_sample_rate (from :class:`LoadAudio`)
        - snippet_times (from :class:`SampleSnippets`)

    Added Keys:
        - audios: ``[N, 1, F, L]`` float32 (F = num_bins, L = frames per segment;
          or ``out_size`` when given)

    Args:
        sample_rate (int): Expected rate of ``audio``. Defaults to ``16000``.
        segment_seconds (float): Segment length. Defaults to ``1.0``.
        window_ms (float): Hamming window length. Defaults to ``32``.
        hop_ms (float): Hop. Defaults to ``10``.
        num_bins (int): Frequency bins: with ``scale='linear'`` the lowest
            ``num_bins`` of the STFT are kept; with ``scale='mel'`` the whole band
            (0 to half the sample rate) is pooled into ``num_bins`` mel bands.
            Defaults to ``256``.
        scale (str): ``'linear'`` (the paper) or ``'mel'`` (**Decision**, for the
            small CPU configs: few rows that still cover every frequency, finest
            where the pitch is). Defaults to ``'linear'``.
        out_size (tuple[int, int], optional): ``(F, T)`` size to resize each segment
            to (224x224 in the paper); None keeps ``(num_bins, frames)``.
            Defaults to ``None``.
        normalize (str, optional): **Decision**: ``'segment'`` normalises each
            spectrogram image on its own (the paper's "mean/variance normalisation
            of the spectrogram images"), ``'clip'`` all segments of a clip together
            (keeps loudness differences between segments), None not at all.
            Defaults to ``'segment'``.
    """

    def __init__(
        self,
        sample_rate: int = 16000,
        segment_seconds: float = 1.0,
        window_ms: float = 32.0,
        hop_ms: float = 10.0,
        num_bins: int = 256,
        scale: str = 'linear',
        out_size: tuple[int, int] | None = None,
        normalize: str | None = 'segment',
    ) -> None:
        if normalize not in NORMALIZATIONS:
            raise ValueError(f'normalize must be one of {NORMALIZATIONS}, got {normalize!r}')
        if scale not in ('linear', 'mel'):
            raise ValueError(f"scale must be 'linear' or 'mel', got {scale!r}")
        self.sample_rate = sample_rate
        self.segment_seconds = segment_seconds
        self.window_ms, self.hop_ms = window_ms, hop_ms
        self.win = int(round(sample_rate * window_ms / 1000))
        self.hop = int(round(sample_rate * hop_ms / 1000))
        if scale == 'linear' and num_bins > self.win // 2 + 1:
            raise ValueError(
                f'num_bins={num_bins} exceeds the {self.win // 2 + 1} bins of a '
                f'{window_ms} ms window at {sample_rate} Hz'
            )
        self.num_bins, self.scale = num_bins, scale
        self.frames = int(round(segment_seconds * 1000 / hop_ms))
        self.segment_samples = (self.frames - 1) * self.hop + self.win
        self.out_size = tuple(out_size) if out_size is not None else None
        self.normalize = normalize
        self.spectrogram = torchaudio.transforms.Spectrogram(
            n_fft=self.win,
            win_length=self.win,
            hop_length=self.hop,
            window_fn=torch.hamming_window,
            power=1.0,
            center=False,
        )
        self.mel = (
            torchaudio.transforms.MelScale(num_bins, sample_rate, n_stft=self.win // 2 + 1)
            if scale == 'mel'
            else None
        )

    def transform(self, results: dict) -> dict:
        if results['audio_sample_rate'] != self.sample_rate:
            raise ValueError(
                f'audio at {results["audio_sample_rate"]} Hz, expected '
                f'{self.sample_rate} Hz (set LoadAudio.sample_rate)'
            )
        segments = self.cut_segments(results['audio'], results['snippet_times'])  # [N, A]
        with torch.no_grad():
            spec = self.spectrogram(torch.from_numpy(segments))  # [N, win//2+1, L]
            spec = self.mel(spec) if self.mel is not None else spec[:, : self.num_bins]
            spec = torch.log(spec + 1e-6)
            if self.normalize == 'segment':
                mean = spec.mean(dim=(1, 2), keepdim=True)
                std = spec.std(dim=(1, 2), keepdim=True)
                spec = (spec - mean) / std.clamp_min(1e-5)
            elif self.normalize == 'clip':
                spec = (spec - spec.mean()) / spec.std().clamp_min(1e-5)
            spec = spec[:, None]  # [N, 1, F, L]
            if self.out_size is not None:
                spec = F.interpolate(
                    spec, size=self.out_size, mode='bilinear', align_corners=False
                )
        results['audios'] = spec.numpy().astype(np.float32, copy=False)
        return results

    def cut_segments(self, audio: np.ndarray, times: np.ndarray) -> np.ndarray:
        """``[N, A]`` waveform windows (A samples each) centred on ``times`` (seconds).

        Samples before the audio's start or after its end are silence (zeros), also
        when the audio track is shorter than the video.
        """
        audio = np.asarray(audio, dtype=np.float32)
        length = self.segment_samples
        starts = np.round(np.asarray(times) * self.sample_rate).astype(np.int64) - length // 2
        index = starts[:, None] + np.arange(length)  # [N, A] sample positions
        inside = (index >= 0) & (index < len(audio))
        if not len(audio):
            return np.zeros(index.shape, np.float32)
        return np.where(inside, audio[np.clip(index, 0, len(audio) - 1)], 0).astype(np.float32)

    def __repr__(self) -> str:
        return (
            f'{type(self).__name__}(sample_rate={self.sample_rate}, '
            f'segment_seconds={self.segment_seconds}, window_ms={self.window_ms}, '
            f'hop_ms={self.hop_ms}, num_bins={self.num_bins}, scale={self.scale!r}, '
            f'out_size={self.out_size}, '
            f'normalize={self.normalize!r})'
        )
