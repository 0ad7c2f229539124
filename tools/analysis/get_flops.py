"""Parameters and FLOPs (multiply-accumulates) of a config's model, per sample.

The input is shaped from the config itself (N snippets x k frames at the crop size,
N spectrogram segments), as MMAction2's ``get_flops.py`` does for its recognizers.

Example::

    python tools/analysis/get_flops.py configs/avemo_ravdess.py
"""

import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import torch  # noqa: E402
from mmaction.registry import MODELS  # noqa: E402
from mmengine.analysis import get_model_complexity_info  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import avemo_mm  # noqa: E402,F401


def input_shapes(cfg) -> dict:
    """``imgs`` / ``audios`` shapes of one sample, read from the test pipeline."""
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


class _TensorInputs(torch.nn.Module):
    """Positional tensors in, the logits out: what the FLOP counter traces."""

    def __init__(self, model, keys):
        super().__init__()
        self.model, self.keys = model, keys

    def forward(self, *tensors):
        return self.model(dict(zip(self.keys, tensors, strict=True)), mode='tensor')['logits']


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--json', help='also write the figures to this file')
    args = parser.parse_args()
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model).eval()
    shapes = input_shapes(cfg)
    inputs = tuple(torch.zeros(1, *shape) for shape in shapes.values())
    with torch.no_grad():
        info = get_model_complexity_info(
            _TensorInputs(model, list(shapes)), inputs=inputs, show_table=False, show_arch=False
        )
    parts = {
        name: sum(p.numel() for p in module.parameters())
        for name, module in model.named_children()
        if module is not None
    }
    result = dict(
        config=args.config,
        input_shapes=shapes,
        flops_per_sample=info['flops'],
        params=info['params'],
        params_by_part=parts,
    )
    print(f'config: {args.config}')
    for key, shape in shapes.items():
        print(f'input {key}: {shape} per sample')
    print(f'FLOPs (multiply-accumulates) per sample: {info["flops"] / 1e9:.1f} G')
    print(f'parameters: {info["params"] / 1e6:.2f} M')
    for name, count in parts.items():
        print(f'  {name}: {count / 1e6:.2f} M')
    if args.json:
        with open(args.json, 'w') as fh:
            json.dump(result, fh, indent=1)


if __name__ == '__main__':
    main()
