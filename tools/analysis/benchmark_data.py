"""Training-pipeline throughput (samples/s), printed as a table and written as JSON.

One process and with DataLoader workers, for three pipelines over the same clips:

- ``avemo (face cache)``: avemo-mm's audio-visual pipeline reading the face cache
  that ``tools/data/prepare_dataset.py`` wrote (what training uses);
- ``avemo (original)``: the same pipeline reading the original videos;
- ``mmaction2 stock (original)``: MMAction2's stock ``DecordInit`` /
  ``SampleFrames`` / ``DecordDecode`` / ``Resize`` video pipeline on the original
  videos, decoding the same number of frames (6 clips x 16).

The clips are generated (synthetic RAVDESS at ``--size``, 1280x720 by default as
the real corpus) and prepared once under ``--work-dir``. Ratios are computed within
one run, since these machines are noisy.

Example::

    python tools/analysis/benchmark_data.py --work-dir work_dirs/benchmark
"""

import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import torch  # noqa: E402
from mmaction.registry import DATASETS  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import avemo_mm  # noqa: E402,F401
from avemo_mm.utils.benchmark import machine, write_result  # noqa: E402

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def avemo_pipeline(size: int, frames: int, snippets: int) -> list[dict]:
    """The paper's training pipeline: snippets, random crop, flip, brightness, audio."""
    return [
        dict(type='DecordInit'),
        dict(type='SampleSnippets', num_snippets=snippets, snippet_len=frames),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(-1, size)),
        dict(type='RandomResizedCrop', area_range=(0.8, 1.0)),
        dict(type='Resize', scale=(size, size), keep_ratio=False),
        dict(type='Flip', flip_ratio=0.5),
        dict(type='ColorJitter', brightness=0.2, contrast=0, saturation=0, hue=0),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='LoadAudio'),
        dict(type='SnippetLogSpectrogram', out_size=(size, size)),
        dict(type='PackActionInputs', collect_keys=('imgs', 'audios')),
    ]


def stock_pipeline(size: int, frames: int, snippets: int) -> list[dict]:
    """MMAction2's usual 3D-recognizer training pipeline on videos."""
    return [
        dict(type='DecordInit'),
        dict(type='SampleFrames', clip_len=frames, frame_interval=1, num_clips=snippets),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(-1, size)),
        dict(type='RandomResizedCrop', area_range=(0.8, 1.0)),
        dict(type='Resize', scale=(size, size), keep_ratio=False),
        dict(type='Flip', flip_ratio=0.5),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs'),
    ]


def run_data_tool(script: str, *args: str) -> None:
    """Run ``tools/data/SCRIPT ARGS``; an error stops the benchmark."""
    subprocess.run(
        [sys.executable, osp.join(REPO_ROOT, 'tools', 'data', script), *args], check=True
    )


def ensure_data(args) -> tuple[str, str, str]:
    """Generate and prepare the clips once; return (corpus, prepared, list file)."""
    corpus = osp.join(args.work_dir, f'ravdess_{args.size}')
    prepared = osp.join(args.work_dir, f'prepared_{args.size}_{args.face_size}')
    if not osp.isdir(corpus):
        run_data_tool(
            'make_synthetic_ravdess.py',
            corpus,
            '--actors',
            str(args.actors),
            '--statements',
            '1',
            '--size',
            args.size,
        )
    if not osp.isfile(osp.join(prepared, 'annotations.json')):
        run_data_tool(
            'prepare_dataset.py',
            'ravdess',
            corpus,
            prepared,
            '--face-size',
            str(args.face_size),
            '--workers',
            str(args.prep_workers),
        )
    list_file = osp.join(args.work_dir, f'videos_{args.size}.txt')
    with open(osp.join(prepared, 'annotations.json')) as fh:
        records = json.load(fh)['data_list']
    with open(list_file, 'w') as fh:
        fh.writelines(f'{r["video"]} {r["label"]}\n' for r in records)
    return corpus, prepared, list_file


def measure(dataset, samples: int, workers: int) -> float:
    """Samples per second drawn through a DataLoader (``workers=0``: in process)."""
    loader = torch.utils.data.DataLoader(
        dataset,
        batch_size=1,
        shuffle=True,
        num_workers=workers,
        collate_fn=pseudo_collate,
        persistent_workers=False,
    )
    iterator = iter(loader)
    for _ in range(max(2, workers * 2)):  # warm-up: workers start, files open
        next(iterator)
    start = time.perf_counter()
    drawn = 0
    while drawn < samples:
        try:
            next(iterator)
        except StopIteration:
            iterator = iter(loader)
            continue
        drawn += 1
    return samples / (time.perf_counter() - start)


def bench_data(args) -> dict:
    """Samples/s of each pipeline at each worker count, and the ratios to stock."""
    init_default_scope('mmaction')
    corpus, prepared, list_file = ensure_data(args)
    ann = osp.join(prepared, 'annotations.json')
    shape = (args.crop, args.frames, args.snippets)
    ours = dict(type='RavdessDataset', ann_file=ann, data_root=corpus, split='all')
    datasets = {
        'avemo (face cache)': dict(ours, pipeline=avemo_pipeline(*shape)),
        'avemo (original)': dict(ours, video_source='original', pipeline=avemo_pipeline(*shape)),
        'mmaction2 stock (original)': dict(
            type='VideoDataset',
            ann_file=list_file,
            data_prefix=dict(video=corpus),
            pipeline=stock_pipeline(*shape),
        ),
    }
    rows = {}
    for name, cfg in datasets.items():
        dataset = DATASETS.build(cfg)
        rows[name] = {f'workers={w}': measure(dataset, args.samples, w) for w in args.workers}
        speeds = ', '.join(f'{k} {v:.2f}/s' for k, v in rows[name].items())
        print(f'  measured {name}: {speeds}', flush=True)
    stock = rows['mmaction2 stock (original)']
    ratios = {name: {k: v / stock[k] for k, v in row.items()} for name, row in rows.items()}
    return dict(samples_per_second=rows, ratio_to_stock=ratios)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/benchmark')
    parser.add_argument('--size', default='1280x720', help='original video size (RAVDESS: 720p)')
    parser.add_argument('--face-size', type=int, default=224, help='face cache side')
    parser.add_argument('--crop', type=int, default=224, help='network input side')
    parser.add_argument('--frames', type=int, default=16, help='k frames per snippet')
    parser.add_argument('--snippets', type=int, default=6, help='N snippets')
    parser.add_argument('--actors', type=int, default=1, help='synthetic actors (15 clips each)')
    parser.add_argument('--samples', type=int, default=30, help='samples timed per setting')
    parser.add_argument('--workers', type=int, nargs='+', default=[0, 2])
    parser.add_argument('--prep-workers', type=int, default=2)
    parser.add_argument('--out', help='JSON file (default: WORK_DIR/benchmark_data.json)')
    args = parser.parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    result = dict(machine=machine(), settings=vars(args), data=bench_data(args))
    rows, ratios = result['data']['samples_per_second'], result['data']['ratio_to_stock']
    print(
        f'\ntraining pipeline, samples/s ({args.snippets}x{args.frames} frames at '
        f'{args.crop}px, originals {args.size}, {result["machine"]["cpus"]} CPUs):'
    )
    header = ''.join(f'{k:>16}' for k in next(iter(rows.values())))
    print(f'{"pipeline":<30}{header}{"ratio (w=0)":>14}')
    for name, row in rows.items():
        cells = ''.join(f'{v:>16.2f}' for v in row.values())
        print(f'{name:<30}{cells}{ratios[name]["workers=0"]:>13.2f}x')
    write_result(result, args.out, args.work_dir, 'benchmark_data.json')


if __name__ == '__main__':
    main()
