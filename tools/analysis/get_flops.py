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
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import avemo_mm  # noqa: E402,F401
from avemo_mm.utils.complexity import count_flops, input_shapes  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--json', help='also write the figures to this file')
    args = parser.parse_args()
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model).eval()
    shapes = input_shapes(cfg)
    flops, params = count_flops(model, {k: torch.zeros(1, *s) for k, s in shapes.items()})
    info = dict(flops=flops, params=params)
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
