"""Each departure of a paper config from the paper's letter, measured at the config's size.

For the config's model (default: the paper's, 224 px, 6 x 16 frames, Hara's 3D
ResNet-101 and ResNet-18) and the paper's letter
(``configs/_base_/models/avemo_paper_letter.py``), the variants are: the config as
shipped, the config with one departure reverted (one variant per departure), and the
letter. One batch of the config's own training data (its train pipeline, its
class-balanced sampler) goes once through the two backbones at initialisation; each
variant's necks and head, initialised with the same seed, are then measured at
initialisation and after ``--steps`` steps of the config's optimiser on that batch,
the backbones held as they were (``avemo_mm.evaluation.paper_departures``):

- the gradient reaching each backbone and its ratio, video over audio;
- how much D^VT and D^AT differ between clips;
- the cross-modal attention's largest weights (1/N: uniform, 1: one snippet), the
  share of skip sums in the tanh's flat part, the gradient of W and of the gates;
- how far the weights behind an attended row are from summing to one (Eq. 8);
- the share of embedding units that pass no gradient.

Examples::

    python tools/analysis/measure_departures.py configs/avemo_ravdess.py \\
        --cfg-options data_root=data/ravdess_synthetic \\
        ann_file=data/ravdess_synthetic_224/annotations.json num_folds=5 \\
        --out docs/experiments/records/paper_departures.json
"""

import argparse
import logging
import os.path as osp
import sys
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import torch  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.logging import MMLogger  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmengine.runner import Runner, set_random_seed  # noqa: E402

import avemo_mm  # noqa: E402,F401
from avemo_mm.evaluation.paper_departures import (  # noqa: E402
    backbone_outputs,
    departures,
    departures_table,
    measure_variant,
    variant_configs,
)
from avemo_mm.utils import propagate_dataset_variables  # noqa: E402
from avemo_mm.utils.benchmark import machine, write_result  # noqa: E402

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
LETTER = osp.join(REPO_ROOT, 'configs', '_base_', 'models', 'avemo_paper_letter.py')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config')
    parser.add_argument('--batch-size', type=int, default=8, help='clips in the batch')
    parser.add_argument(
        '--samples-per-class', type=int, default=2, help='clips of each class in the batch'
    )
    parser.add_argument('--steps', type=int, default=10, help='optimiser steps per variant')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--work-dir', default='work_dirs/measure_departures')
    parser.add_argument('--out', help='JSON result (default WORK_DIR/departures.json)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, help='config overrides')
    return parser.parse_args(argv)


def first_batch(cfg: Config, args) -> tuple[dict, dict]:
    """The first batch of the config's training loader (--batch-size clips) and the
    dataset's metainfo (classes and polarities)."""
    loader_cfg = cfg.train_dataloader
    loader_cfg.batch_size = args.batch_size
    loader_cfg.num_workers, loader_cfg.persistent_workers = 0, False
    if loader_cfg.get('batch_sampler'):
        loader_cfg.batch_sampler.samples_per_class = args.samples_per_class
    loader = Runner.build_dataloader(loader_cfg, seed=args.seed)
    return next(iter(loader)), loader.dataset.metainfo


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
        propagate_dataset_variables(cfg, args.cfg_options)
    if not (cfg.model.get('video_backbone') and cfg.model.get('audio_backbone')):
        raise SystemExit(
            f'{args.config}: the departures are those of the audio-visual model; this '
            'config has one branch only'
        )
    init_default_scope('mmaction')
    MMLogger.get_current_instance().setLevel(logging.WARNING)  # not each layer's init
    letter = Config.fromfile(LETTER).paper_letter
    found = departures(cfg.model, letter)
    variants = variant_configs(cfg.model, letter)
    print(f'{len(found)} departures: {", ".join(found)}')

    from mmaction.registry import MODELS

    set_random_seed(args.seed)  # the pipeline's crops and flips too: the run repeats
    start = time.time()
    batch, metainfo = first_batch(cfg, args)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()  # the backbones' BatchNorm as a training step has it
    data = model.data_preprocessor(batch, True)
    video_out, audio_out = backbone_outputs(model, data['inputs'])
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    del model
    shapes = f'{tuple(video_out.shape)}, {tuple(audio_out.shape)}'
    print(f'backbone outputs {shapes} in {time.time() - start:.0f} s')

    results = {}
    for name, model_cfg in variants.items():
        start = time.time()
        results[name] = measure_variant(
            model_cfg,
            cfg.optim_wrapper,
            video_out,
            audio_out,
            labels,
            metainfo,
            args.steps,
            args.seed,
        )
        print(f'{name}: {time.time() - start:.0f} s')
    result = dict(
        config=args.config,
        cfg_options=args.cfg_options,
        batch_size=args.batch_size,
        labels=labels.tolist(),
        imgs_shape=list(data['inputs']['imgs'].shape),
        audios_shape=list(data['inputs']['audios'].shape),
        steps=args.steps,
        seed=args.seed,
        departures={k: [repr(v) for v in pair] for k, pair in found.items()},
        variants=results,
        machine=machine(),
    )
    for when in ('init', 'after'):
        print(f'\n{when}:\n{departures_table(result, when)}')
    write_result(result, args.out, args.work_dir, 'departures.json')


if __name__ == '__main__':
    main()
