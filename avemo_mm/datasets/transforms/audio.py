"""Audio: load a clip's track at 16 kHz mono, and cut log spectrograms per snippet."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
import torchaudio
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ...audio.snippet_spectrogram import (
    SpectrogramSettings,
    clip_filterbank,
    cut_segments,
    pitch_image_rows,
    pitch_ratio,
)
from ...audio.voice_pitch import harmonic_salience
from ...utils.media import MediaError, read_audio


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
        - audios: ``[N, 1, F, L]`` float32 (F = num_bins + pitch_rows, L = frames per
          segment; or ``out_size`` when given)

    Args:
        sample_rate (int): Expected rate of ``audio``. Defaults to ``16000``.
        segment_seconds (float): Segment length. Defaults to ``1.0``.
        window_ms (float): Hamming window length. Defaults to ``32``.
        hop_ms (float): Hop. Defaults to ``10``.
        num_bins (int): Frequency bins: with ``scale='linear'`` the lowest
            ``num_bins`` of the STFT are kept; with ``'mel'`` or ``'log'`` the STFT
            from ``f_min`` to ``f_max`` is pooled into ``num_bins`` bands; with
            ``'pitch'``, ``num_bins`` candidate pitches. Defaults to ``256``.
        scale (str): ``'linear'`` (the paper), ``'mel'`` (few rows that still cover
            every frequency, finest where the pitch is), ``'log'`` (equal steps in
            semitones: a change of pitch moves every harmonic by the same number of
            rows) or ``'pitch'`` (**Decision**, a pitch image: row ``i`` is how
            strongly the voice has pitch ``f_i``, the sum over its first 8 harmonics
            of the log-compressed energy there, weighted ``0.85^(k-1)``, as
            :func:`~avemo_mm.audio.median_pitch` scores candidates; the voice's
            pitch is one bright line however noisy the spectrum, and its contour the
            line's course; give it a 64 ms window to resolve low voices).
            Defaults to ``'linear'``.
        f_min (float, optional): The bands' lowest frequency in Hz (``'mel'``: the
            lowest edge, default 0; ``'log'``: the lowest centre, default 60;
            ``'pitch'``: the lowest candidate, default 60, or 8 semitones under
            ``pitch_reference``).
        f_max (float, optional): The bands' highest (``'mel'``: the highest edge,
            default half the sample rate, or a quarter with ``pitch_reference``;
            ``'log'``: the highest centre, default 6000, or 3600 with
            ``pitch_reference``; ``'pitch'``: the highest candidate, default 500, or
            8 semitones over ``pitch_reference``).
        pitch_reference (float, optional): **Decision**, speaker normalisation: the
            clip's median voice pitch (:func:`~avemo_mm.audio.median_pitch`) is heard as if it were
            this many Hz, by moving every band's frequencies by the ratio of the two
            (``'mel'``, ``'log'`` or ``'pitch'``). A high and a low voice saying the same thing
            then give the same image, and what stays is the pitch's movement against
            the speaker's own level (``docs/method.md``, "The audio front-end"). The
            ratio is held within 0.5-2, so ``f_max`` (``'pitch'``: 8 times ``f_max``)
            must stay within a quarter of the sample rate. None (the default) keeps the
            bands where they are.
        pitch_rows (int): **Decision**: stack this many rows of the pitch image
            (``scale='pitch'`` with the same ``pitch_reference``, normalised on its own)
            under the spectrogram, so that the image shows both the voice's spectrum
            (loudness, timbre, rhythm) and its pitch against its own level. 0 (the
            default) stacks none.
        pitch_window_ms (float): The pitch image's window (64 ms resolves a low
            voice's harmonics). Defaults to ``64``.
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
        f_min: float | None = None,
        f_max: float | None = None,
        pitch_reference: float | None = None,
        pitch_rows: int = 0,
        pitch_window_ms: float = 64.0,
    ) -> None:
        # the parameters, checked; deployment reads them from the exported model's
        # sidecar and computes the same spectrogram in numpy (avemo_mm.audio)
        self.settings = SpectrogramSettings(
            sample_rate, segment_seconds, window_ms, hop_ms, num_bins, scale,
            out_size, normalize, f_min, f_max, pitch_reference, pitch_rows, pitch_window_ms,
        )  # fmt: skip
        vars(self).update(vars(self.settings))  # sample_rate, ..., f_min and f_max resolved
        for derived in ('win', 'hop', 'n_stft', 'frames', 'segment_samples', 'edges'):
            setattr(self, derived, getattr(self.settings, derived))
        self.spectrogram = torchaudio.transforms.Spectrogram(
            n_fft=self.win,
            win_length=self.win,
            hop_length=self.hop,
            window_fn=torch.hamming_window,
            power=1.0,
            center=False,
        )
        if scale == 'mel' and not pitch_reference:  # torchaudio's own filters, as MelScale
            self.filterbank = torchaudio.functional.melscale_fbanks(
                self.n_stft, self.f_min, self.f_max, num_bins, sample_rate
            )  # [n_stft, num_bins]
        else:  # linear: None (the lowest bins); per clip with pitch_reference
            fixed = None if pitch_reference else clip_filterbank(np.zeros(0), self.settings)
            self.filterbank = None if fixed is None else torch.from_numpy(fixed)

    def transform(self, results: dict) -> dict:
        if results['audio_sample_rate'] != self.sample_rate:
            raise ValueError(
                f'audio at {results["audio_sample_rate"]} Hz, expected '
                f'{self.sample_rate} Hz (set LoadAudio.sample_rate)'
            )
        segments = self.cut_segments(results['audio'], results['snippet_times'])  # [N, A]
        with torch.no_grad():
            spec = self.spectrogram(torch.from_numpy(segments))  # [N, win//2+1, L]
            ratio = pitch_ratio(results['audio'], self.settings)  # once: both images use it
            filterbank = self.clip_filterbank(results['audio'], ratio)
            if filterbank is None:
                spec = spec[:, : self.num_bins]
                spec = torch.log(spec + 1e-6)
            elif self.scale == 'pitch':  # [N, n_stft, L] -> [N, num_bins, L]
                bands = torch.einsum('nfl,fb->nlb', spec, filterbank).numpy()
                salience = harmonic_salience(bands, spec.mean(dim=(1, 2)).numpy())
                spec = torch.from_numpy(salience).transpose(1, 2)
            else:  # [N, n_stft, L] -> [N, num_bins, L]
                spec = torch.einsum('nfl,fb->nbl', spec, filterbank)
                spec = torch.log(spec + 1e-6)
            if self.normalize == 'segment':
                mean = spec.mean(dim=(1, 2), keepdim=True)
                std = spec.std(dim=(1, 2), keepdim=True)
                spec = (spec - mean) / std.clamp_min(1e-5)
            elif self.normalize == 'clip':
                spec = (spec - spec.mean()) / spec.std().clamp_min(1e-5)
            if self.settings.pitch_image is not None:  # [N, F + pitch_rows, L]
                rows = pitch_image_rows(
                    results['audio'], results['snippet_times'], self.settings, ratio
                )
                spec = torch.cat([spec, torch.from_numpy(rows)], dim=1)
            spec = spec[:, None]  # [N, 1, F, L]
            if self.out_size is not None:
                spec = F.interpolate(
                    spec, size=self.out_size, mode='bilinear', align_corners=False
                )
        results['audios'] = spec.numpy().astype(np.float32, copy=False)
        return results

    def clip_filterbank(
        self, audio: np.ndarray, ratio: float | None = None
    ) -> torch.Tensor | None:
        """``[n_stft, num_bins]`` filters for this clip (None: the lowest linear bins);
        see :func:`avemo_mm.audio.snippet_spectrogram.clip_filterbank`."""
        if self.pitch_reference is None:
            return self.filterbank
        return torch.from_numpy(clip_filterbank(audio, self.settings, ratio))

    def cut_segments(self, audio: np.ndarray, times: np.ndarray) -> np.ndarray:
        """``[N, A]`` waveform windows centred on ``times`` (seconds), zeros outside
        the audio (:func:`avemo_mm.audio.snippet_spectrogram.cut_segments`)."""
        return cut_segments(audio, times, self.settings)

    def __repr__(self) -> str:
        return (
            f'{type(self).__name__}(sample_rate={self.sample_rate}, '
            f'segment_seconds={self.segment_seconds}, window_ms={self.window_ms}, '
            f'hop_ms={self.hop_ms}, num_bins={self.num_bins}, scale={self.scale!r}, '
            f'out_size={self.out_size}, '
            f'normalize={self.normalize!r}, f_min={self.f_min}, f_max={self.f_max}, '
            f'pitch_reference={self.pitch_reference}, pitch_rows={self.pitch_rows}, '
            f'pitch_window_ms={self.pitch_window_ms})'
        )
