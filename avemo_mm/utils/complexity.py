"""Input shapes of a config's samples and the FLOPs of a model on them."""

from __future__ import annotations

import torch
from mmengine.analysis import get_model_complexity_info


def input_shapes(cfg) -> dict[str, tuple[int, ...]]:
    """``imgs`` / ``audios`` shapes of one sample, read from the config's test pipeline.

    Returns:
        dict: ``imgs`` ``(N, 3, k, H, W)`` when the pipeline decodes video, ``audios``
        ``(N, 1, F, T)`` when it makes spectrograms.
    """
    pipeline = cfg.test_dataloader.dataset.pipeline
    find = lambda name: next((t for t in pipeline if t['type'] == name), None)  # noqa: E731
    shapes = {}
    sampling = find('SampleSnippets')
    resize = find('Resize')
    if find('DecordDecode') is not None:
        height, width = resize['scale'][1], resize['scale'][0]
        shapes['imgs'] = (sampling['num_snippets'], 3, sampling['snippet_len'], height, width)
    spectrogram = find('SnippetLogSpectrogram')
    if spectrogram is not None:
        size = spectrogram.get('out_size') or (spectrogram.get('num_bins', 256), 100)
        shapes['audios'] = (sampling['num_snippets'], 1, *size)
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
