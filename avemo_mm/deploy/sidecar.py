"""The exported model's sidecar: ``NAME.json`` beside ``NAME.onnx``, everything the
runtime needs to turn a video into the model's inputs, and what checks the pair.

Fields (``format`` ``avemo-onnx/1``):

- ``classes`` (K names), ``modality`` (``'audio-visual'``, ``'audio'``, ``'video'``);
- ``num_snippets`` (N), ``snippet_len`` (k), ``face_size`` (S);
- ``normalization``: per input (``imgs``, ``audios``) ``mean`` and ``std`` per channel,
  or None (what the model's data preprocessor does before the graph);
- ``audio``: ``sample_rate`` and ``spectrogram`` (the
  :class:`~avemo_mm.audio.SpectrogramSettings`), None for a video-only model;
- ``inputs``: name -> shape with ``'batch'`` first (``imgs`` ``[batch, N, 3, k, S, S]``,
  ``audios`` ``[batch, N, 1, F, L]``); ``outputs``: ``probabilities`` ``[batch, K]``,
  ``embedding`` ``[batch, E]``;
- ``opset``, ``exporter``, ``onnx_sha256`` (the ``.onnx`` file's), ``checkpoint``
  and ``checkpoint_sha256``, ``config``, ``versions``.
"""

from __future__ import annotations

import hashlib
import json
import os.path as osp

SIDECAR_FORMAT = 'avemo-onnx/1'
REQUIRED = (
    'format', 'classes', 'modality', 'num_snippets', 'snippet_len', 'face_size',
    'normalization', 'audio', 'inputs', 'outputs', 'opset', 'onnx_sha256',
)  # fmt: skip


class DeployError(RuntimeError):
    """An exported model cannot be used; the message names the file and the reason."""


def sidecar_path(onnx_path: str) -> str:
    """``DIR/NAME.json`` for ``DIR/NAME.onnx``."""
    return osp.splitext(onnx_path)[0] + '.json'


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as fh:
        for block in iter(lambda: fh.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def read_sidecar(onnx_path: str, verify_hash: bool = True) -> dict:
    """The sidecar of ``onnx_path``, checked against the file.

    Raises:
        DeployError: The ``.onnx`` or its sidecar is missing, the sidecar is not one
            (format, fields), or the ``.onnx`` is not the file it was written for
            (SHA-256; ``verify_hash=False`` skips this for a file known to be right).
    """
    if not osp.isfile(onnx_path):
        raise DeployError(f'{onnx_path}: no such file')
    path = sidecar_path(onnx_path)
    if not osp.isfile(path):
        raise DeployError(
            f'{onnx_path}: its sidecar {path} is missing (tools/deployment/export_onnx.py '
            'writes both; copy them together)'
        )
    try:
        with open(path) as fh:
            meta = json.load(fh)
    except (OSError, json.JSONDecodeError) as err:
        raise DeployError(f'{path}: not a readable sidecar ({err})') from err
    if not isinstance(meta, dict) or meta.get('format') != SIDECAR_FORMAT:
        found = meta.get('format') if isinstance(meta, dict) else type(meta).__name__
        raise DeployError(f'{path}: format {found!r}, expected {SIDECAR_FORMAT!r}')
    missing = [key for key in REQUIRED if key not in meta]
    if missing:
        raise DeployError(f'{path}: fields missing: {", ".join(missing)}')
    if verify_hash and sha256_of(onnx_path) != meta['onnx_sha256']:
        raise DeployError(
            f'{onnx_path}: its SHA-256 is not the one {path} was written for (a different '
            'or changed model); export again or copy the matching pair'
        )
    return meta
