"""Export a trained checkpoint to ONNX, to run without PyTorch (docs/deployment.md).

Writes DIR/NAME.onnx (the weights inside while under the protobuf's 2 GB) and
DIR/NAME.json (class names, N, k, face size, normalisation, audio settings, modality,
opset, SHA-256s), then checks ONNX Runtime against PyTorch on random inputs at batch 1
and 3 (same top class, probabilities within --atol).

Examples:
    python tools/deployment/export_onnx.py configs/avemo_tiny_ravdess.py \
        work_dirs/avemo_tiny_ravdess/best_WAR_epoch_20.pth --out-dir deploy/
    python tools/deployment/export_onnx.py configs/avemo_tiny_ravdess.py CKPT \
        --out-dir deploy/ --modality video --name tiny_face_only
"""

from __future__ import annotations

import argparse
import os.path as osp
import sys

from mmengine.config import DictAction

from avemo_mm.apis import init_model
from avemo_mm.compat import CheckpointRefusedError
from avemo_mm.deploy.onnx_export import DEFAULT_OPSET, compare_with_torch, export_onnx
from avemo_mm.engine import CheckpointMismatchError
from avemo_mm.modalities import MODALITIES


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config', help='the config the checkpoint was trained with')
    parser.add_argument('checkpoint', help='its weights (.pth)')
    parser.add_argument('--out-dir', required=True, help='where NAME.onnx and NAME.json go')
    parser.add_argument('--name', help="the files' stem (default: the config's)")
    parser.add_argument(
        '--modality',
        choices=MODALITIES,
        help='what the exported model reads (an audio-visual model may be exported for '
        'one modality; default: what it was trained on)',
    )
    parser.add_argument('--opset', type=int, default=DEFAULT_OPSET, help='ONNX opset')
    parser.add_argument(
        '--atol', type=float, default=1e-4, help='the check: largest probability difference'
    )
    parser.add_argument('--no-check', action='store_true', help='skip the ONNX Runtime check')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, default={}, help='config overrides'
    )
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        model = init_model(args.config, args.checkpoint, cfg_options=args.cfg_options)
    except (CheckpointMismatchError, CheckpointRefusedError, FileNotFoundError) as err:
        one_line = ' '.join(part.strip() for part in str(err).splitlines())
        print(f'export_onnx: {one_line}', file=sys.stderr)
        return 1
    name = args.name or osp.splitext(osp.basename(args.config))[0]
    path = export_onnx(
        model, args.out_dir, name, args.modality, args.opset, args.checkpoint, args.config
    )
    print(f'wrote {path} and {osp.splitext(path)[0]}.json')
    if not args.no_check:
        worst = compare_with_torch(model, path, args.atol)
        print(
            'ONNX Runtime against PyTorch at batch 1 and 3: the same top class, '
            f'probabilities within {worst:.1e}'
        )
    return 0


if __name__ == '__main__':
    sys.exit(main())
