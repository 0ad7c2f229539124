"""Run ``tools/dist_test.sh`` and ``tools/dist_train.sh`` many times and count failures.

A job that fails once in a few dozen runs fails a CI run now and then; one run of
each tool says nothing about that. This tool makes the stock MMAction2 config's tiny
data set (``tools/data/make_tiny_videos.py``), trains it one epoch on one process
for a checkpoint, then alternates two-process ``dist_test.sh`` and ``dist_train.sh``
runs (gloo on the CPU, or one GPU each) and reports, per tool, how many runs exited
non-zero, how many printed the gloo abort ("terminate called without an active
exception"), and how long a run took. The output of every failed run is kept under
``--work-dir``; the summary goes to ``repeat_dist_runs.json`` there.

Example::

    python tools/analysis/repeat_dist_runs.py --runs 50 --work-dir work_dirs/repeat_dist
"""

import argparse
import os
import os.path as osp
import subprocess
import sys
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from avemo_mm.utils.benchmark import machine, write_result  # noqa: E402

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
STOCK_CONFIG = osp.join(
    REPO_ROOT, 'configs', 'mmaction_stock', 'tsn_r18_1xb2-1x1x3-1e_tiny-videos-rgb.py'
)
GLOO_ABORT = 'terminate called without an active exception'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=50, help='runs in all, tools alternating')
    parser.add_argument('--procs', type=int, default=2, help='processes per run')
    parser.add_argument('--timeout', type=float, default=300, help='seconds per run')
    parser.add_argument('--work-dir', default='work_dirs/repeat_dist')
    parser.add_argument('--out', help='result JSON (default: WORK_DIR/repeat_dist_runs.json)')
    return parser.parse_args(argv)


def run(args: list[str], cwd: str, timeout: float, port: int) -> tuple[int, str, float]:
    """Run one tool; returns its exit code (-9 after a timeout), output and seconds."""
    env = dict(os.environ, PYTHONUNBUFFERED='1', PYTHON=sys.executable, PORT=str(port))
    script = osp.join(REPO_ROOT, args[0])
    cmd = (['bash', script] if script.endswith('.sh') else [sys.executable, script]) + args[1:]
    start = time.time()
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, timeout=timeout,
        )  # fmt: skip
        code, output = proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as err:
        code, output = -9, f'timed out after {timeout} s\n{err.stdout or ""}'
    return code, output, time.time() - start


def main(argv=None):
    args = parse_args(argv)
    work_dir = osp.abspath(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    setup = [
        ['tools/data/make_tiny_videos.py', 'data/tiny_videos'],
        ['tools/train.py', STOCK_CONFIG, '--work-dir', 'single', '--no-validate'],
    ]
    for step in setup:
        code, output, _ = run(step, work_dir, args.timeout, 29500)
        if code != 0:
            sys.exit(f'setup step {step[0]} failed (exit {code}):\n{output[-3000:]}')
    procs = str(args.procs)
    jobs = {
        'dist_test.sh': ['tools/dist_test.sh', STOCK_CONFIG, 'single/epoch_1.pth', procs],
        'dist_train.sh': ['tools/dist_train.sh', STOCK_CONFIG, procs,
                          '--work-dir', 'dist_train', '--no-validate'],
    }  # fmt: skip
    runs = []
    for index in range(args.runs):
        name = list(jobs)[index % len(jobs)]
        # a fresh port each run: a port left in TIME_WAIT never fails a run by itself
        code, output, seconds = run(jobs[name], work_dir, args.timeout, 29600 + index % 300)
        aborted = GLOO_ABORT in output
        runs.append(dict(tool=name, exit_code=code, gloo_abort=aborted, seconds=round(seconds, 1)))
        if code != 0 or aborted:
            with open(osp.join(work_dir, f'failed_run_{index:03d}.log'), 'w') as fh:
                fh.write(output)
        print(f'[{index + 1}/{args.runs}] {name}: exit {code}'
              f'{" (gloo abort)" if aborted else ""} in {seconds:.1f} s', flush=True)  # fmt: skip

    per_tool = {}
    for name in jobs:
        mine = [r for r in runs if r['tool'] == name]
        times = sorted(r['seconds'] for r in mine)
        per_tool[name] = dict(
            runs=len(mine),
            failed=sum(r['exit_code'] != 0 for r in mine),
            gloo_abort=sum(r['gloo_abort'] for r in mine),
            median_seconds=times[len(times) // 2] if times else None,
        )
    print(f'{"tool":<15}{"runs":>6}{"failed":>8}{"gloo abort":>12}{"median s":>10}')
    for name, row in per_tool.items():
        print(f'{name:<15}{row["runs"]:>6}{row["failed"]:>8}{row["gloo_abort"]:>12}'
              f'{row["median_seconds"] or 0:>10.1f}')  # fmt: skip
    result = dict(machine=machine(), procs=args.procs, per_tool=per_tool, runs=runs)
    write_result(result, args.out, work_dir, 'repeat_dist_runs.json')
    return 1 if any(r['exit_code'] != 0 or r['gloo_abort'] for r in runs) else 0


if __name__ == '__main__':
    sys.exit(main())
