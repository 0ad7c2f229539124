"""Input shapes of a config's samples and the FLOPs of a model on them."""

from __future__ import annotations

import torch
from mmengine.analysis import get_model_complexity_info


def input_shapes(cfg) -> dict[str, tuple[int, ...]]:
    """``imgs`` / ``audios`` shapes of one sample, read from the config's test pipeline.

    The transforms are built and found by their class, so a subclass or a registered
    alias of one counts too.

    Returns:
        dict: ``imgs`` ``(N, 3, k, Y, X)`` when the pipeline decodes video, ``audios``
        ``(N, 1, F, L)`` when it makes spectrograms.
    """
    from mmaction.datasets.transforms import DecordDecode, Resize
    from mmengine.dataset import Compose
    from mmengine.registry import DefaultScope

    from ..datasets.transforms import SampleSnippets, SnippetLogSpectrogram

    scope = cfg.get('default_scope', 'mmaction')
    with DefaultScope.overwrite_default_scope(scope):  # the transforms' registry
        transforms = Compose(cfg.test_dataloader.dataset.pipeline).transforms

    def find(cls):
        return next((t for t in transforms if isinstance(t, cls)), None)

    shapes = {}
    sampling = find(SampleSnippets)
    if find(DecordDecode) is not None:
        width, height = find(Resize).scale
        shapes['imgs'] = (sampling.num_snippets, 3, sampling.snippet_len, height, width)
    spectrogram = find(SnippetLogSpectrogram)
    if spectrogram is not None:
        size = spectrogram.out_size or (spectrogram.num_bins, spectrogram.frames)
        shapes['audios'] = (sampling.num_snippets, 1, *size)
    return shapes


class LogitsOf(torch.nn.Module):
    """Positional tensors in, the logits out: what the FLOP counter traces.

    Args:
        model: An ``AVRecognizer`` (dict inputs under ``keys``) or an MMAction2
            recognizer (one tensor input: ``keys`` is None).
        keys (list[str], optional): The input dict's keys, in the tensors' order.
    """

    def __init__(self, model, keys: list[str] | None):
        super().__init__()
        self.model, self.keys = model, keys

    def forward(self, *tensors):
        if self.keys is None:
            out = self.model(tensors[0], mode='tensor')
            return out[0] if isinstance(out, tuple) else out
        return self.model(dict(zip(self.keys, tensors, strict=True)), mode='tensor')['logits']


def count_flops(model, inputs: dict[str, torch.Tensor] | torch.Tensor) -> tuple[int, int]:
    """Multiply-accumulates and parameters of one forward pass (mmengine's counter)."""
    keys = None if isinstance(inputs, torch.Tensor) else list(inputs)
    tensors = (inputs,) if keys is None else tuple(inputs.values())
    with torch.no_grad():
        info = get_model_complexity_info(
            LogitsOf(model, keys), inputs=tensors, show_table=False, show_arch=False
        )
    return int(info['flops']), int(info['params'])
