"""Export a trained recognizer's tensor path to ONNX, with the sidecar the runtime reads.

Needs PyTorch (and ``onnxscript``, the exporter's own dependency: ``pip install -e
".[deploy]"``). The exporter is ``torch.onnx.export(dynamo=True)``: torch 2.11's
TorchScript exporter fails on this model (a reshape of the channels-last video input),
and is deprecated. The graph takes what the data preprocessor hands the model (the
normalisation is in the sidecar, applied by the runtime) and gives softmax
probabilities and the fusion head's embedding; the batch axis is dynamic.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import os.path as osp
import warnings

import numpy as np
import torch
from torch import nn

from .. import __version__
from ..apis.torch_backend import TorchBackend
from ..datasets.transforms import SampleSnippets
from ..modalities import MODALITIES
from .onnx_recognizer import OnnxRecognizer
from .sidecar import SIDECAR_FORMAT, sha256_of, sidecar_path

# the test-pipeline steps the runtime reproduces (OnnxRecognizer.prepare)
RUNTIME_STEPS = (
    'DecordInit', 'SampleSnippets', 'DecordDecode', 'Resize', 'FormatShape', 'LoadAudio',
    'SnippetLogSpectrogram', 'PackActionInputs',
)  # fmt: skip
DEFAULT_OPSET = 20
PROTOBUF_LIMIT = 2**31  # bytes: beyond it the weights go to NAME.onnx.data


class ExportedTensorPath(nn.Module):
    """``forward(imgs?, audios?) -> (probabilities [B, K], embedding [B, E])``.

    Args:
        model (nn.Module): An ``AVRecognizer``.
        inputs (list[str]): The graph's inputs in order (``imgs``, ``audios``).
        zeros (dict[str, tuple]): Inputs the model reads that the graph feeds as zeros
            (an audio-visual model exported for one modality, as it runs at test time
            without the other), name -> one clip's shape.
    """

    def __init__(self, model: nn.Module, inputs: list[str], zeros: dict[str, tuple]) -> None:
        super().__init__()
        self.model, self.inputs, self.zeros = model, inputs, zeros

    def forward(self, *tensors: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        feed = dict(zip(self.inputs, tensors, strict=True))
        batch = tensors[0].shape[0]
        for name, shape in self.zeros.items():
            feed[name] = tensors[0].new_zeros((batch, *shape))
        out = self.model(feed, mode='tensor')
        return torch.softmax(out['logits'], dim=1), out['embedding']


def export_onnx(
    model: nn.Module,
    out_dir: str,
    name: str,
    modality: str | None = None,
    opset: int = DEFAULT_OPSET,
    checkpoint: str | None = None,
    config: str | None = None,
) -> str:
    """Write ``out_dir/name.onnx`` and ``out_dir/name.json``; returns the ``.onnx`` path.

    Args:
        model (nn.Module): From :func:`~avemo_mm.apis.init_model` (it keeps ``cfg``).
        out_dir (str): Where the pair goes.
        name (str): The files' stem.
        modality (str, optional): What the exported model reads: an audio-visual model
            may be exported for ``'video'`` or ``'audio'`` alone (the other input
            zeroed inside, as at test time); None: what it was trained on.
        opset (int): ONNX opset. Defaults to ``20``.
        checkpoint (str, optional): The weights' file, for the sidecar's SHA-256.
        config (str, optional): The config's path, recorded in the sidecar.

    Raises:
        ValueError: The config's test pipeline has a step the runtime does not
            reproduce, or the modality is not one the model has.
    """
    backend = TorchBackend(model)
    trained = backend.modality
    modality = modality or trained
    if modality not in MODALITIES or (trained != 'audio-visual' and modality != trained):
        raise ValueError(f'a {trained} model cannot be exported for modality {modality!r}')
    steps = _runtime_steps(backend)
    shapes = _clip_shapes(backend, steps)
    inputs = {'audio-visual': list(shapes), 'video': ['imgs'], 'audio': ['audios']}[modality]
    wrapper = tensor_path(model, backend, inputs)
    examples = tuple(torch.randn(2, *shapes[k]) for k in inputs)
    batch = torch.export.Dim('batch', min=1, max=4096)
    os.makedirs(out_dir, exist_ok=True)
    onnx_path = osp.join(out_dir, f'{name}.onnx')
    weights = sum(p.numel() * p.element_size() for p in model.state_dict().values())
    with warnings.catch_warnings(), _quiet_registration():
        # torch's own pytree deprecation inside the exporter, and the note that the
        # outputs' batch axis takes the inputs' name: neither is about this model
        warnings.filterwarnings('ignore', message='.*LeafSpec.*', category=FutureWarning)
        warnings.filterwarnings('ignore', message='# The axis name: batch will not be used')
        torch.onnx.export(
            wrapper,
            examples,
            onnx_path,
            input_names=inputs,
            output_names=['probabilities', 'embedding'],
            dynamic_shapes=(tuple({0: batch} for _ in inputs),),  # forward(*tensors)
            opset_version=opset,
            dynamo=True,
            external_data=weights >= PROTOBUF_LIMIT,
            verbose=False,
        )
    meta = dict(
        format=SIDECAR_FORMAT,
        name=name,
        classes=list(backend.classes),
        modality=modality,
        num_snippets=steps['SampleSnippets'].num_snippets,
        snippet_len=steps['SampleSnippets'].snippet_len,
        face_size=backend.face_size,
        normalization=_normalization(model, inputs),
        audio=(
            dict(
                sample_rate=steps['LoadAudio'].sample_rate,
                spectrogram=steps['SnippetLogSpectrogram'].settings.asdict(),
            )
            if 'audios' in inputs
            else None
        ),
        inputs={k: ['batch', *shapes[k]] for k in inputs},
        outputs=dict(
            probabilities=['batch', len(backend.classes)],
            embedding=['batch', model.cls_head.fc_embed.out_features],
        ),
        opset=opset,
        exporter=f'torch.onnx.export(dynamo=True), torch {torch.__version__}',
        onnx_sha256=sha256_of(onnx_path),
        checkpoint=checkpoint,
        checkpoint_sha256=sha256_of(checkpoint) if checkpoint else None,
        config=config,
        versions=dict(avemo_mm=__version__, torch=torch.__version__),
    )
    with open(sidecar_path(onnx_path), 'w') as fh:
        json.dump(meta, fh, indent=1)
    return onnx_path


@contextlib.contextmanager
def _quiet_registration():
    """The exporter logs a warning for each torchvision operator it cannot register;
    this model uses none (and torchvision is not installed)."""
    logger = logging.getLogger('torch.onnx._internal.exporter._registration')
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def tensor_path(model: nn.Module, backend: TorchBackend, inputs: list[str]):
    """The model as the graph computes it: ``inputs`` in, the rest zeros."""
    shapes = _clip_shapes(backend, _runtime_steps(backend))
    zeros = {k: s for k, s in shapes.items() if k not in inputs}
    return ExportedTensorPath(model.eval(), inputs, zeros).eval()


def compare_with_torch(model: nn.Module, onnx_path: str, atol: float = 1e-4) -> float:
    """Run ONNX Runtime and PyTorch on the same random inputs at batch 1 and 3;
    returns the largest probability difference.

    Raises:
        RuntimeError: A top class differs, or a probability by more than ``atol``.
    """
    runtime = OnnxRecognizer(onnx_path)
    wrapper = tensor_path(model, TorchBackend(model), list(runtime.meta['inputs']))
    generator = torch.Generator().manual_seed(0)
    worst = 0.0
    for batch in (1, 3):
        feeds = [
            torch.randn((batch, *shape[1:]), generator=generator)
            for shape in runtime.meta['inputs'].values()
        ]
        clips = [dict(zip(wrapper.inputs, (f[i].numpy() for f in feeds), strict=True))
                 for i in range(batch)]  # fmt: skip
        exported = np.stack([p for p, _ in runtime.predict(clips, runtime.modality)])
        with torch.no_grad():
            expected = wrapper(*feeds)[0].numpy()
        worst = max(worst, float(np.abs(exported - expected).max()))
        if (exported.argmax(1) != expected.argmax(1)).any() or worst > atol:
            raise RuntimeError(
                f'{onnx_path}: ONNX Runtime and PyTorch disagree at batch {batch} '
                f'(largest probability difference {worst:.2e}, tolerance {atol:.0e})'
            )
    return worst


def _runtime_steps(backend: TorchBackend) -> dict:
    """The test pipeline's transforms by class name, refusing any the runtime lacks."""
    steps = {}
    for transform in backend.pipeline.transforms:
        kind = type(transform).__name__
        if kind not in RUNTIME_STEPS:
            raise ValueError(
                f'the test pipeline has {kind}, which the ONNX runtime does not reproduce '
                f'(it runs {", ".join(RUNTIME_STEPS)})'
            )
        steps[kind] = transform
    sampling = steps.get('SampleSnippets')
    if not isinstance(sampling, SampleSnippets) or sampling.single_clip:
        raise ValueError('the ONNX runtime needs SampleSnippets(single_clip=False)')
    if 'Resize' in steps and steps['Resize'].keep_ratio:
        raise ValueError('the ONNX runtime needs Resize(keep_ratio=False) to a square face')
    if 'FormatShape' in steps and steps['FormatShape'].input_format != 'NCTHW':
        raise ValueError('the ONNX runtime needs FormatShape(input_format="NCTHW")')
    if ('LoadAudio' in steps) != ('SnippetLogSpectrogram' in steps):
        raise ValueError('the ONNX runtime needs LoadAudio and SnippetLogSpectrogram together')
    return steps


def _clip_shapes(backend: TorchBackend, steps: dict) -> dict[str, tuple[int, ...]]:
    """One clip's input shapes, ``imgs`` ``(N, 3, k, S, S)``, ``audios`` ``(N, 1, F, L)``."""
    n, k = steps['SampleSnippets'].num_snippets, steps['SampleSnippets'].snippet_len
    shapes = {}
    if backend.modality in ('audio-visual', 'video'):
        shapes['imgs'] = (n, 3, k, backend.face_size, backend.face_size)
    if backend.modality in ('audio-visual', 'audio'):
        settings = steps['SnippetLogSpectrogram'].settings
        size = settings.out_size or (settings.num_bins, settings.frames)
        shapes['audios'] = (n, 1, *size)
    return shapes


def _normalization(model: nn.Module, inputs: list[str]) -> dict:
    """Per input, the data preprocessor's mean and std per channel (None: none)."""
    pre = model.data_preprocessor
    parts = getattr(pre, 'preprocessors', None) or {key: pre for key in inputs}
    found = {}
    for key in inputs:
        part = parts[key]
        if getattr(part, 'to_rgb', False):  # (blending acts in training only)
            raise ValueError(f'the ONNX runtime does not reproduce to_rgb (input {key})')
        if getattr(part, '_enable_normalize', False):
            found[key] = dict(mean=part.mean.flatten().tolist(), std=part.std.flatten().tolist())
        else:
            found[key] = None
    return found
