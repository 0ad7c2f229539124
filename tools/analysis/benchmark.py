"""Benchmarks, printed as a table and written as JSON.

``data``: training-pipeline throughput (samples/s), one process and with DataLoader
workers, for three pipelines over the same clips:

- ``avemo (face cache)``: avemo-mm's audio-visual pipeline reading the face cache
  that ``tools/data/prepare_dataset.py`` wrote (what training uses);
- ``avemo (original)``: the same pipeline reading the original videos;
- ``mmaction2 stock (original)``: MMAction2's stock ``DecordInit`` /
  ``SampleFrames`` / ``DecordDecode`` / ``Resize`` video pipeline on the original
  videos, decoding the same number of frames (6 clips x 16).

The clips are generated (synthetic RAVDESS at ``--size``, 1280x720 by default as
the real corpus) and prepared once under ``--work-dir``. Ratios are computed within
one run, since these machines are noisy.

``model CONFIG``: the config's recognizer against stock MMAction2 on the same input:
a ``Recognizer3D`` with the same video backbone and an ``I3DHead``, fed the same N x k
frames as one clip. For each: training step time and samples/s (``--batch``),
inference latency at batch 1 and throughput at ``--infer-batch``, peak memory (CUDA
max allocated on a GPU; the process's peak RSS on the CPU, each model measured in a
process of its own), FLOPs per sample and, on a GPU with a known peak, the achieved
fraction of it. ``--amp`` (autocast: bf16, or fp16 with ``--amp-dtype``),
``--channels-last`` (``channels_last_3d``) and ``--compile`` (``torch.compile``)
apply to both models alike. Inputs are random tensors of the config's shapes, so the
data pipeline is not in these figures (``data`` measures it).

``memory CONFIG``: the process's resident memory while the config's training pipeline
(with ``--train-step``, also the model's training step) runs over the training clips
again and again for ``--iters`` iterations of ``--batch`` samples. It reports the
growth after the warm-up (the first tenth), the slope in MiB per 1000 iterations and the
medians of the first and last thirds of the samples: a leak in a decoder or a cache
shows as a steady slope and a higher last median. RSS moves in steps of several MiB as
the allocator grows its arenas; ``--tracemalloc`` also reports the growth of live
Python objects, which has no such noise (a leak in native code shows in RSS only).

Examples::

    python tools/analysis/benchmark.py data --work-dir work_dirs/benchmark
    python tools/analysis/benchmark.py memory configs/avemo_tiny_ravdess.py --train-step \
        --iters 1000 --cfg-options data_root=... ann_file=...
    python tools/analysis/benchmark.py model configs/avemo_ravdess.py --device cuda --amp
"""

import argparse
import contextlib
import json
import os
import os.path as osp
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import torch  # noqa: E402
from mmaction.registry import DATASETS  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import avemo_mm  # noqa: E402,F401
from avemo_mm.utils.complexity import count_flops, input_shapes  # noqa: E402

# dense bf16/fp16 tensor-core peaks, FLOP/s (vendor data sheets)
DEVICE_PEAK_FLOPS = {'H100': 989e12, 'H200': 989e12, 'A100': 312e12, 'RTX 3090': 142e12}

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


def ensure_data(args) -> tuple[str, str, str]:
    """Generate and prepare the clips once; return (corpus, prepared, list file)."""
    corpus = osp.join(args.work_dir, f'ravdess_{args.size}')
    prepared = osp.join(args.work_dir, f'prepared_{args.size}_{args.face_size}')
    tools = osp.join(REPO_ROOT, 'tools', 'data')
    if not osp.isdir(corpus):
        subprocess.run([sys.executable, osp.join(tools, 'make_synthetic_ravdess.py'), corpus,
                        '--actors', str(args.actors), '--statements', '1', '--size', args.size],
                       check=True)  # fmt: skip
    if not osp.isfile(osp.join(prepared, 'annotations.json')):
        subprocess.run([sys.executable, osp.join(tools, 'prepare_dataset.py'), 'ravdess', corpus,
                        prepared, '--face-size', str(args.face_size),
                        '--workers', str(args.prep_workers)], check=True)  # fmt: skip
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
    warmup = max(2, workers * 2)
    iterator = iter(loader)
    for _ in range(warmup):
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
    init_default_scope('mmaction')
    corpus, prepared, list_file = ensure_data(args)
    ann = osp.join(prepared, 'annotations.json')
    shape = (args.crop, args.frames, args.snippets)
    datasets = {
        'avemo (face cache)': dict(type='RavdessDataset', ann_file=ann, data_root=corpus,
                                   split='all', pipeline=avemo_pipeline(*shape)),
        'avemo (original)': dict(type='RavdessDataset', ann_file=ann, data_root=corpus,
                                 split='all', video_source='original',
                                 pipeline=avemo_pipeline(*shape)),
        'mmaction2 stock (original)': dict(type='VideoDataset', ann_file=list_file,
                                           data_prefix=dict(video=corpus),
                                           pipeline=stock_pipeline(*shape)),
    }  # fmt: skip
    rows = {}
    for name, cfg in datasets.items():
        dataset = DATASETS.build(cfg)
        rows[name] = {f'workers={w}': measure(dataset, args.samples, w) for w in args.workers}
        print(f'  measured {name}: ' + ', '.join(f'{k} {v:.2f}/s' for k, v in rows[name].items()),
              flush=True)  # fmt: skip
    stock = rows['mmaction2 stock (original)']
    ratios = {name: {k: v / stock[k] for k, v in row.items()} for name, row in rows.items()}
    return dict(samples_per_second=rows, ratio_to_stock=ratios)


def build_models(cfg):
    """The config's model and the stock MMAction2 recognizer on the same video backbone."""
    from mmaction.registry import MODELS

    ours = MODELS.build(cfg.model)
    video = cfg.model.get('video_backbone')
    if video is None:
        raise ValueError('the stock comparison needs a video backbone: use an audio-visual '
                         'or video config')  # fmt: skip
    stock = MODELS.build(dict(
        type='Recognizer3D',
        backbone=video,
        cls_head=dict(type='I3DHead', num_classes=cfg.model.cls_head.num_classes,
                      in_channels=cfg.model.video_neck.in_channels),
    ))  # fmt: skip
    return dict(ours=ours, stock=stock)


def make_inputs(name: str, shapes: dict, batch: int, device: str, channels_last: bool):
    """Random network inputs: ours a dict, stock ``[B, 1, C, N*k, H, W]`` (one clip)."""
    fmt = torch.channels_last_3d if channels_last else torch.contiguous_format

    def tensor(shape):
        x = torch.randn(batch, *shape, device=device)
        return x.contiguous(memory_format=fmt) if x.dim() == 5 and channels_last else x

    if name == 'stock':
        n, c, k, h, w = shapes['imgs']
        return tensor((c, n * k, h, w)).unsqueeze(1)
    return {key: tensor(shape) for key, shape in shapes.items()}


def _labelled(batch: int, classes: int):
    from mmaction.structures import ActionDataSample

    return [ActionDataSample().set_gt_label(i % classes) for i in range(batch)]


def _sync(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def _timed(fn, repeats: int, warmup: int, device: str) -> float:
    """Median seconds of ``fn()`` after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        _sync(device)
        start = time.perf_counter()
        fn()
        _sync(device)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure_model(args, name: str) -> dict:
    """Every figure for one model, in this process (its peak memory is this process's)."""
    from mmengine.config import Config

    torch.manual_seed(0)
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    shapes = input_shapes(cfg)
    model = build_models(cfg)[name].to(args.device)
    if hasattr(model, 'set_dataset_meta'):
        from mmaction.registry import DATASETS

        model.set_dataset_meta(DATASETS.get(cfg.test_dataloader.dataset.type).METAINFO)
    if args.channels_last:  # 3D convolutions channels_last_3d, 2D ones channels_last
        for module in model.modules():
            if isinstance(module, torch.nn.Conv3d):
                module.to(memory_format=torch.channels_last_3d)
            elif isinstance(module, torch.nn.Conv2d):
                module.to(memory_format=torch.channels_last)
    flops, params = count_flops(model.eval(), make_inputs(name, shapes, 1, args.device, False))
    forward = torch.compile(model) if args.compile else model
    dtype = dict(bf16=torch.bfloat16, fp16=torch.float16)[args.amp_dtype]
    device_type = 'cuda' if args.device.startswith('cuda') else 'cpu'
    autocast = (lambda: torch.autocast(device_type, dtype=dtype)) if args.amp else (
        contextlib.nullcontext)  # fmt: skip
    classes = cfg.model.cls_head.num_classes
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    scaler = torch.amp.GradScaler(enabled=args.amp and args.amp_dtype == 'fp16')
    train_inputs = make_inputs(name, shapes, args.batch, args.device, args.channels_last)
    samples = _labelled(args.batch, classes)
    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()

    def train_step():
        with autocast():
            losses = forward(train_inputs, samples, mode='loss')
        loss = sum(v for k, v in losses.items() if k.startswith('loss'))
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()

    model.train()
    step = _timed(train_step, args.repeats, args.warmup, args.device)
    train_peak = _peak_memory(args.device)
    model.eval()
    result = dict(train_step_s=step, train_samples_per_s=args.batch / step)
    for key, batch in (('latency_b1', 1), (f'throughput_b{args.infer_batch}', args.infer_batch)):
        inputs = make_inputs(name, shapes, batch, args.device, args.channels_last)

        def infer(inputs=inputs):
            with torch.no_grad(), autocast():
                forward(inputs, mode='tensor')

        seconds = _timed(infer, args.repeats, args.warmup, args.device)
        result[key + '_s'] = seconds
        result[key + '_samples_per_s'] = batch / seconds
    result.update(
        flops_per_sample=flops, params=params, peak_memory_train_mb=train_peak,
        peak_memory_mb=_peak_memory(args.device),
    )  # fmt: skip
    gpu = machine()['cuda'] or ''
    peak = next((v for k, v in DEVICE_PEAK_FLOPS.items() if k in gpu), None)
    if peak and args.device.startswith('cuda'):
        # a training step is about 3 forward passes of FLOPs (2 MACs = 2 FLOPs each)
        achieved = 2 * flops * 3 * result['train_samples_per_s']
        result['train_fraction_of_peak'] = achieved / peak
    return result


def _peak_memory(device: str) -> float:
    if device.startswith('cuda'):
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def bench_model(args) -> dict:
    """Ours and stock, each in a fresh process, then the ratios ours / stock."""
    rows = {}
    for name in ('ours', 'stock'):
        cmd = [sys.executable, osp.abspath(__file__), 'model', args.config, '--role', name,
               *args.passthrough]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
            raise SystemExit(f'benchmark of {name} failed (exit {proc.returncode})')
        rows[name] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f'  measured {name}', flush=True)
    ratios = {k: rows['ours'][k] / rows['stock'][k] for k in rows['ours']
              if k in rows['stock'] and isinstance(rows['stock'][k], (int, float))
              and rows['stock'][k]}  # fmt: skip
    return dict(ours=rows['ours'], stock=rows['stock'], ratio_ours_to_stock=ratios)


MODEL_ROWS = (
    ('train step (s)', 'train_step_s'),
    ('train samples/s', 'train_samples_per_s'),
    ('latency b=1 (ms)', 'latency_b1_s'),
    ('throughput (samples/s)', None),
    ('peak memory, train (MiB)', 'peak_memory_train_mb'),
    ('peak memory, all (MiB)', 'peak_memory_mb'),
    ('GMACs per sample', 'flops_per_sample'),
    ('parameters (M)', 'params'),
    ('fraction of device peak', 'train_fraction_of_peak'),
)


def print_model_table(args, result: dict) -> None:
    scale = {'latency_b1_s': 1e3, 'flops_per_sample': 1e-9, 'params': 1e-6}
    print(f'\n{args.config} vs stock Recognizer3D + I3DHead, device {args.device}, '
          f'train batch {args.batch}, amp {args.amp_dtype if args.amp else "off"}, '
          f'channels_last {args.channels_last}, compile {args.compile}:')  # fmt: skip
    print(f'{"":<28}{"ours":>14}{"stock":>14}{"ours/stock":>12}')
    for label, key in MODEL_ROWS:
        key = key or f'throughput_b{args.infer_batch}_samples_per_s'
        if key not in result['ours']:
            continue
        ours, stock = result['ours'][key], result['stock'][key]
        factor = scale.get(key, 1)
        ratio = result['ratio_ours_to_stock'].get(key)
        print(f'{label:<28}{ours * factor:>14.3f}{stock * factor:>14.3f}'
              f'{(f"{ratio:.2f}x" if ratio else ""):>12}')  # fmt: skip


def current_rss_mib() -> float:
    """This process's resident memory now, MiB (Linux ``/proc``)."""
    with open('/proc/self/statm') as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf('SC_PAGE_SIZE') / 2**20


def bench_memory(args) -> dict:
    """RSS over many iterations of the training pipeline (and step) on the same clips."""
    from mmaction.registry import MODELS
    from mmengine.config import Config
    from mmengine.optim import OptimWrapper

    from avemo_mm.utils import propagate_dataset_variables

    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
        propagate_dataset_variables(cfg, args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    torch.manual_seed(0)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    model = optim_wrapper = None
    if args.train_step:
        model = MODELS.build(cfg.model).train()
        if hasattr(model, 'set_dataset_meta'):
            model.set_dataset_meta(dataset.metainfo)
        optim_wrapper = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-4))
    every = max(1, args.iters // 50)
    trace, traced = [], []  # (iteration, RSS MiB); Python-allocated MiB
    if args.tracemalloc:  # Python objects only, but without the allocator's noise
        tracemalloc.start()
    start = time.perf_counter()
    for it in range(args.iters):
        batch = [dataset[(it * args.batch + j) % len(dataset)] for j in range(args.batch)]
        if model is not None:  # the Runner's step: preprocess, losses, update
            model.train_step(pseudo_collate(batch), optim_wrapper)
        if it % every == 0 or it == args.iters - 1:
            trace.append((it + 1, current_rss_mib()))
            if args.tracemalloc:
                traced.append(tracemalloc.get_traced_memory()[0] / 2**20)
    seconds = time.perf_counter() - start
    tracemalloc.stop()
    warm = next(n for n, (i, _) in enumerate(trace) if i > args.iters // 10)
    steady = trace[warm:]
    its, mibs = zip(*steady, strict=True)
    slope = statistics.linear_regression(its, mibs).slope * 1000 if len(steady) > 1 else 0.0
    third = max(1, len(mibs) // 3)  # medians: a training step's RSS swings by tens of MiB
    python = {}
    if traced:
        python = dict(python_growth_mib=traced[-1] - traced[warm], python_trace_mib=traced)
    return dict(
        **python,
        iterations=args.iters,
        batch=args.batch,
        train_step=bool(args.train_step),
        clips=len(dataset),
        seconds=seconds,
        rss_after_warmup_mib=steady[0][1],
        rss_last_mib=steady[-1][1],
        growth_mib=steady[-1][1] - steady[0][1],
        median_first_third_mib=statistics.median(mibs[:third]),
        median_last_third_mib=statistics.median(mibs[-third:]),
        slope_mib_per_1000_iters=slope,
        trace=trace,
    )


def main_memory(parser, args) -> None:
    if not args.config:
        parser.error('memory needs a CONFIG')
    os.makedirs(args.work_dir, exist_ok=True)
    result = dict(machine=machine(), settings=vars(args), memory=bench_memory(args))
    m = result['memory']
    what = 'pipeline + training step' if m['train_step'] else 'training pipeline'
    print(f'\nmemory, {what}, {m["iterations"]} iterations x {m["batch"]} samples over '
          f'{m["clips"]} clips ({m["seconds"]:.0f} s):\n'
          f'  RSS after warm-up {m["rss_after_warmup_mib"]:.1f} MiB, at the end '
          f'{m["rss_last_mib"]:.1f} MiB: growth {m["growth_mib"]:+.1f} MiB, slope '
          f'{m["slope_mib_per_1000_iters"]:+.2f} MiB per 1000 iterations; median of the first '
          f'third {m["median_first_third_mib"]:.1f} MiB, of the last '
          f'{m["median_last_third_mib"]:.1f} MiB')  # fmt: skip
    if 'python_growth_mib' in m:
        print(f'  Python objects (tracemalloc): {m["python_growth_mib"]:+.2f} MiB after warm-up')
    out = args.out or osp.join(args.work_dir, 'benchmark_memory.json')
    with open(out, 'w') as fh:
        json.dump(result, fh, indent=1)
    print(f'written to {out}')


def machine() -> dict:
    return dict(
        platform=platform.platform(),
        processor=platform.processor() or platform.machine(),
        cpus=os.cpu_count(),
        torch=torch.__version__,
        cuda=torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        torch_threads=torch.get_num_threads(),
    )


def main():
    parser = argparse.ArgumentParser(description='avemo-mm benchmarks')
    parser.add_argument('part', choices=['data', 'model', 'memory'], help='what to measure')
    parser.add_argument('config', nargs='?', help='model, memory: the config to measure')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--batch', type=int, default=2, help='model, memory: training batch')
    parser.add_argument('--iters', type=int, default=500, help='memory: iterations')
    parser.add_argument('--train-step', action='store_true', help='memory: also train')
    parser.add_argument(
        '--tracemalloc', action='store_true', help='memory: also trace Python allocations'
    )
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, help='memory: overrides')
    parser.add_argument('--infer-batch', type=int, default=16, help='model: throughput batch')
    parser.add_argument('--repeats', type=int, default=5, help='model: timed repetitions')
    parser.add_argument('--warmup', type=int, default=2, help='model: untimed repetitions')
    parser.add_argument('--amp', action='store_true', help='model: autocast')
    parser.add_argument('--amp-dtype', choices=['bf16', 'fp16'], default='bf16')
    parser.add_argument('--channels-last', action='store_true', help='model: channels_last_3d')
    parser.add_argument('--compile', action='store_true', help='model: torch.compile')
    parser.add_argument('--role', choices=['ours', 'stock'], help=argparse.SUPPRESS)
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
    parser.add_argument('--out', help='JSON file (default: WORK_DIR/benchmark_PART.json)')
    args = parser.parse_args()
    if args.part == 'model':
        return main_model(parser, args)
    if args.part == 'memory':
        return main_memory(parser, args)
    os.makedirs(args.work_dir, exist_ok=True)

    result = dict(machine=machine(), settings=vars(args), data=bench_data(args))
    rows = result['data']['samples_per_second']
    ratios = result['data']['ratio_to_stock']
    print(f'\ntraining pipeline, samples/s ({args.snippets}x{args.frames} frames at '
          f'{args.crop}px, originals {args.size}, {result["machine"]["cpus"]} CPUs):')  # fmt: skip
    header = ''.join(f'{k:>16}' for k in next(iter(rows.values())))
    print(f'{"pipeline":<30}{header}{"ratio (w=0)":>14}')
    for name, row in rows.items():
        cells = ''.join(f'{v:>16.2f}' for v in row.values())
        print(f'{name:<30}{cells}{ratios[name]["workers=0"]:>13.2f}x')
    out = args.out or osp.join(args.work_dir, f'benchmark_{args.part}.json')
    with open(out, 'w') as fh:
        json.dump(result, fh, indent=1)
    print(f'written to {out}')


def main_model(parser, args) -> None:
    if not args.config:
        parser.error('model needs a CONFIG')
    if args.role:  # a child process: one model, one JSON line
        print(json.dumps(measure_model(args, args.role)))
        return
    args.passthrough = [
        *('--device', args.device, '--batch', str(args.batch)),
        *('--infer-batch', str(args.infer_batch), '--repeats', str(args.repeats)),
        *('--warmup', str(args.warmup), '--amp-dtype', args.amp_dtype),
        *[
            f'--{k.replace("_", "-")}'
            for k in ('amp', 'channels_last', 'compile')
            if getattr(args, k)
        ],
    ]
    os.makedirs(args.work_dir, exist_ok=True)
    result = dict(machine=machine(), settings={k: v for k, v in vars(args).items()},
                  model=bench_model(args))  # fmt: skip
    print_model_table(args, result['model'])
    out = args.out or osp.join(args.work_dir, 'benchmark_model.json')
    with open(out, 'w') as fh:
        json.dump(result, fh, indent=1)
    print(f'written to {out}')


if __name__ == '__main__':
    main()
