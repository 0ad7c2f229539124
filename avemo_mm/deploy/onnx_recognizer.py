"""An exported model run by ONNX Runtime, with the test pipeline in numpy, OpenCV and PyAV."""

from __future__ import annotations

import os

import av
import cv2
import numpy as np

from ..apis.backend import InferenceBackend
from ..audio import SpectrogramSettings, snippet_log_spectrogram
from ..utils.media import MediaError, read_audio
from ..utils.snippets import window_snippets
from .sidecar import DeployError, read_sidecar, sidecar_path

# the axes after the channel in one clip's input: imgs [N, C, k, S, S], audios [N, C, F, L]
CHANNEL_DIMS = {'imgs': 3, 'audios': 2}


class OnnxRecognizer(InferenceBackend):
    """``NAME.onnx`` and its sidecar ``NAME.json``, ready for the inference API.

    The test pipeline of the config it was exported from, step for step: the face clip
    decoded with PyAV (``DecordInit`` + ``DecordDecode``), the snippets' frames picked by
    :func:`~avemo_mm.utils.snippets.snippet_indices` (``SampleSnippets``), resized by
    OpenCV's bilinear filter as ``Resize`` does, laid out ``[N, 3, k, S, S]``
    (``FormatShape``) and normalised as the data preprocessor does; the sound read by
    :func:`~avemo_mm.utils.media.read_audio` (``LoadAudio``, silence when a clip has
    none) and cut into spectrograms by :func:`~avemo_mm.audio.snippet_log_spectrogram`
    (``SnippetLogSpectrogram``). Predictions equal the PyTorch model's
    (``tests/deploy/``).

    Args:
        path (str): The ``.onnx`` file; its sidecar is read from beside it.
        threads (int, optional): ONNX Runtime's intra-op threads; None lets it
            choose (all cores).
        verify_hash (bool): Check the file's SHA-256 against the sidecar. Defaults to
            ``True``.

    Raises:
        DeployError: The file or its sidecar is missing or they disagree, the graph's
            inputs are not the ones the sidecar names, or ONNX Runtime is missing or
            cannot load the file; the message names the file.
    """

    def __init__(self, path: str, threads: int | None = None, verify_hash: bool = True):
        self.path = path
        meta = read_sidecar(path, verify_hash)
        self.meta = meta
        self.classes = tuple(meta['classes'])
        self.modality = meta['modality']
        self.num_snippets, self.snippet_len = meta['num_snippets'], meta['snippet_len']
        self.face_size = meta['face_size']
        self.sees = self.modality in ('audio-visual', 'video')
        self.hears = self.modality in ('audio-visual', 'audio')
        audio = meta['audio'] or {}
        self.sample_rate = audio.get('sample_rate', 16000)
        spectrogram = audio.get('spectrogram')
        self.spectrogram = SpectrogramSettings(**spectrogram) if spectrogram else None
        self.norms = {
            key: None if value is None else _channel_norm(value, CHANNEL_DIMS[key])
            for key, value in meta['normalization'].items()
        }
        self.session = _open_session(path, threads)
        self._check_graph()
        self._clip_cache: tuple[tuple, tuple[list[np.ndarray], float]] | None = None

    def _check_graph(self) -> None:
        """The graph's inputs and outputs are the sidecar's (names and fixed sizes)."""
        where = f'{self.path} (sidecar {sidecar_path(self.path)})'
        graph = {i.name: i.shape for i in self.session.get_inputs()}
        expected = self.meta['inputs']
        if set(graph) != set(expected):
            raise DeployError(f'{where}: graph inputs {sorted(graph)}, sidecar {sorted(expected)}')
        for name, shape in expected.items():
            if len(graph[name]) != len(shape) or list(graph[name][1:]) != shape[1:]:
                raise DeployError(f'{where}: input {name} is {graph[name]}, sidecar {shape}')
        outputs = {o.name: o.shape for o in self.session.get_outputs()}
        classes = outputs.get('probabilities', [None, None])[-1]
        if classes != len(self.classes):
            raise DeployError(
                f'{where}: the graph scores {classes} classes, the sidecar names '
                f'{len(self.classes)}'
            )

    def prepare(self, inputs: dict) -> dict:
        """``imgs`` ``[N, 3, k, S, S]`` and/or ``audios`` ``[N, 1, F, L]`` float32 for
        one clip (see the class doc); ``inputs`` as for
        :meth:`~avemo_mm.apis.backend.InferenceBackend.prepare`."""
        name = inputs.get('filename', '<clip>')
        total, fps = int(inputs['num_frames']), float(inputs['fps'])
        frames = None
        if self.sees:
            frames, clip_fps = self._read_clip(name)
            total, fps = min(total, len(frames)), clip_fps or fps
        if total < 1:
            raise MediaError(f'{name}: no frames to sample')
        inds, times = window_snippets(
            total, fps, inputs.get('frame_window'), self.num_snippets, self.snippet_len,
            name=name,
        )  # fmt: skip
        prepared = {}
        if self.sees:
            prepared['imgs'] = self._images(frames, inds)
        if self.hears:
            path = inputs.get('audio_path')
            if path:
                audio = read_audio(path, self.sample_rate)
            else:  # silence for as long as the video, as LoadAudio(missing='silence')
                audio = np.zeros(int(total / fps * self.sample_rate), np.float32)
            spec = snippet_log_spectrogram(audio, times, self.spectrogram)
            prepared['audios'] = self._normalise('audios', spec)
        return prepared

    def _images(self, frames: list[np.ndarray], inds: np.ndarray) -> np.ndarray:
        size = self.face_size
        picked = [
            frames[i] if frames[i].shape[:2] == (size, size)
            else cv2.resize(frames[i], (size, size), interpolation=cv2.INTER_LINEAR)
            for i in inds
        ]  # fmt: skip
        clip = np.stack(picked).reshape(self.num_snippets, self.snippet_len, size, size, 3)
        clip = clip.transpose(0, 4, 1, 2, 3).astype(np.float32)  # [N, 3, k, S, S]
        return self._normalise('imgs', clip)

    def _normalise(self, key: str, array: np.ndarray) -> np.ndarray:
        norm = self.norms.get(key)
        if norm is None:
            return np.ascontiguousarray(array, dtype=np.float32)
        mean, std = norm  # broadcast over the channel axis 1 of [N, C, ...]
        return np.ascontiguousarray((array - mean) / std, dtype=np.float32)

    def _read_clip(self, path: str) -> tuple[list[np.ndarray], float]:
        """Every frame of a face clip (RGB) and its average rate; the last clip kept,
        as the windows of one video read the same clip."""
        try:
            stat = os.stat(path)
        except OSError as err:
            raise MediaError(f'{path}: cannot open ({err})') from err
        key = (path, stat.st_mtime_ns, stat.st_size)
        if self._clip_cache is not None and self._clip_cache[0] == key:
            return self._clip_cache[1]
        try:
            with av.open(path) as container:
                stream = container.streams.video[0]
                rate = float(stream.average_rate or stream.guessed_rate or 0)
                frames = [f.to_ndarray(format='rgb24') for f in container.decode(stream)]
        except (av.FFmpegError, OSError, IndexError) as err:
            raise MediaError(f'{path}: video does not decode ({err})') from err
        self._clip_cache = (key, (frames, rate))
        return frames, rate

    def predict(self, batch: list[dict], modality: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """Scores ``[K]`` and embeddings ``[E]``; an audio-visual model run on one
        modality gets zeros for the other, as ``AVRecognizer`` does."""
        feeds = {}
        for key in self.meta['inputs']:
            stacked = np.stack([clip[key] for clip in batch])
            left_out = (key == 'audios' and modality == 'video') or (
                key == 'imgs' and modality == 'audio'
            )
            feeds[key] = np.zeros_like(stacked) if left_out else stacked
        probabilities, embedding = self.session.run(['probabilities', 'embedding'], feeds)
        return list(zip(probabilities, embedding, strict=True))

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.path!r}, modality={self.modality!r})'


def _channel_norm(value: dict, trailing: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and std shaped ``[C, 1, ...]`` to broadcast over one clip's channel axis."""
    shape = (-1,) + (1,) * trailing
    mean = np.asarray(value['mean'], np.float32).reshape(shape)
    std = np.asarray(value['std'], np.float32).reshape(shape)
    return mean, std


def _open_session(path: str, threads: int | None):
    try:
        import onnxruntime as ort
    except ModuleNotFoundError as err:
        raise DeployError(
            f'{path}: ONNX Runtime is not installed (pip install "avemo-mm[deploy]", '
            'docs/deployment.md)'
        ) from err
    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    try:
        return ort.InferenceSession(path, options, providers=['CPUExecutionProvider'])
    except Exception as err:  # onnxruntime raises its own untyped errors
        raise DeployError(f'{path}: ONNX Runtime cannot load it ({err})') from err
