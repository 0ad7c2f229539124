"""The live mode in real time: latency per window, windows skipped, real-time factor.

A drawn clip (``--size`` 1280x720 at 30 fps by default, AAC sound, ``--faces`` talking
faces side by side on grey, taking turns) is played out over HTTP at its real rate by
``avemo_mm/utils/live_publisher.py`` in a subprocess, and read by the live mode
(:func:`avemo_mm.apis.stream_predictions`, as ``tools/demo.py --stream`` runs it): one
``--window`` s window every ``--hop`` s, every face with ``--faces`` above 1. Reported
per face count: windows predicted and skipped, latency (last sample in -> prediction
out) and compute time per window, median and 95th percentile, and the real-time factor
(median compute / hop; below 1 keeps up). The weights do not change the timing, so
the model is the config's untrained one unless ``--checkpoint`` is given.

Example::

    python tools/analysis/benchmark_live.py configs/avemo_tiny_ravdess.py --faces 1 3
"""

import argparse
import os
import os.path as osp
import statistics
import subprocess
import sys
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from mmengine.config import DictAction  # noqa: E402

import avemo_mm  # noqa: E402,F401
from avemo_mm.apis import LiveSource, init_model, stream_predictions  # noqa: E402
from avemo_mm.datasets.synthetic_talking_faces import write_talking_faces_clip  # noqa: E402
from avemo_mm.utils import live_publisher  # noqa: E402
from avemo_mm.utils.benchmark import machine, write_result  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Live-mode latency on a real-rate stream.')
    parser.add_argument('config')
    parser.add_argument('--checkpoint', help='weights (default: the untrained model)')
    parser.add_argument('--faces', type=int, nargs='+', default=[1, 3], help='faces per clip')
    parser.add_argument('--seconds', type=float, default=30.0, help='length of the stream')
    parser.add_argument('--window', type=float, default=4.0, help='seconds per window')
    parser.add_argument('--hop', type=float, default=1.0, help='seconds between windows')
    parser.add_argument('--size', default='1280x720', help='WIDTHxHEIGHT of the stream')
    parser.add_argument('--fps', type=float, default=30.0)
    parser.add_argument('--port', type=int, default=8765, help='HTTP port on 127.0.0.1')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--work-dir', default='work_dirs/benchmark_live')
    parser.add_argument('--out', help='JSON result (default WORK_DIR/benchmark_live.json)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, help='config overrides')
    return parser.parse_args(argv)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_one(model, clip: str, args, all_faces: bool) -> dict:
    url = f'http://127.0.0.1:{args.port}/live.ts'
    command = [sys.executable, live_publisher.__file__, clip, url]
    publisher = subprocess.Popen([*command, '--format', 'mpegts', '--option', 'listen=1'])
    try:
        time.sleep(1.0)  # the publisher's start-up
        started = time.monotonic()
        windows = list(
            stream_predictions(
                model, LiveSource(url), args.window, args.hop, all_faces=all_faces, live=True
            )
        )
        wall = time.monotonic() - started
    finally:
        publisher.kill()
        publisher.wait()
    latency = [w.latency_ms for w in windows]
    compute = [w.compute_ms for w in windows]
    faces = [len(w.faces) for w in windows]
    return dict(
        windows=len(windows),
        skipped=sum(w.skipped for w in windows),
        faces_per_window=statistics.median(faces) if faces else 0,
        latency_ms_median=round(statistics.median(latency), 1),
        latency_ms_p95=round(percentile(latency, 0.95), 1),
        compute_ms_median=round(statistics.median(compute), 1),
        compute_ms_p95=round(percentile(compute, 0.95), 1),
        real_time_factor=round(statistics.median(compute) / 1000 / args.hop, 3),
        wall_seconds=round(wall, 1),
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    width, height = (int(v) for v in args.size.split('x'))
    os.makedirs(args.work_dir, exist_ok=True)
    model = init_model(args.config, args.checkpoint, args.device, args.cfg_options)
    rows = {}
    for faces in args.faces:
        clip = osp.join(
            args.work_dir, f'talking_{faces}_{args.size}_{args.fps:g}_{args.seconds:g}.mp4'
        )
        if not osp.exists(clip):
            print(f'drawing {clip} ...', flush=True)
            turn = args.seconds / max(2, faces)
            write_talking_faces_clip(
                clip, (width, height), faces, args.seconds, turn, args.fps, background=110
            )
        rows[faces] = run_one(model, clip, args, all_faces=faces > 1)
        print(f'{faces} face(s): {rows[faces]}', flush=True)
    print(
        f'\n{args.config}, {args.size} at {args.fps:g} fps, '
        f'window {args.window:g} s, hop {args.hop:g} s'
    )
    print('faces  windows  skipped  latency ms (median / p95)  compute ms (median / p95)  RTF')
    for faces, row in rows.items():
        print(
            f'{faces:5d}  {row["windows"]:7d}  {row["skipped"]:7d}  '
            f'{row["latency_ms_median"]:10.0f} / {row["latency_ms_p95"]:<10.0f}     '
            f'{row["compute_ms_median"]:10.0f} / {row["compute_ms_p95"]:<10.0f}     '
            f'{row["real_time_factor"]:.2f}'
        )
    result = dict(
        config=args.config,
        settings=dict(
            size=args.size, fps=args.fps, seconds=args.seconds, window=args.window, hop=args.hop
        ),
        machine=machine(),
        results={str(k): v for k, v in rows.items()},
    )
    write_result(result, args.out, args.work_dir, 'benchmark_live.json')
    return 0


if __name__ == '__main__':
    sys.exit(main())
