"""tools/analysis/benchmark_{data,model,memory}.py and repeat_dist_runs.py run end to end
(tiny sizes; the figures are not checked)."""

import json
import os.path as osp

from conftest import REPO_ROOT, assert_ok, run_tool


def test_data_benchmark_tiny(tmp_path):
    log = assert_ok(
        run_tool(
            [
                'tools/analysis/benchmark_data.py',
                '--work-dir',
                str(tmp_path),
                '--size',
                '96x64',
                '--face-size',
                '32',
                '--crop',
                '32',
                '--frames',
                '2',
                '--samples',
                '3',
                '--workers',
                '0',
            ],
            REPO_ROOT,
        )
    )
    assert 'mmaction2 stock (original)' in log
    result = json.load(open(osp.join(tmp_path, 'benchmark_data.json')))
    rows = result['data']['samples_per_second']
    assert set(rows) == {'avemo (face cache)', 'avemo (original)', 'mmaction2 stock (original)'}
    assert all(v > 0 for row in rows.values() for v in row.values())
    assert result['data']['ratio_to_stock']['mmaction2 stock (original)']['workers=0'] == 1.0


def test_model_benchmark_against_stock_on_the_tiny_config(tmp_path):
    config = osp.join(REPO_ROOT, 'configs', 'avemo_tiny_ravdess.py')
    log = assert_ok(
        run_tool(
            [
                'tools/analysis/benchmark_model.py',
                config,
                '--work-dir',
                str(tmp_path),
                '--batch',
                '1',  # a training batch of one clip (the fusion head's norm takes it)
                '--infer-batch',
                '2',
                '--repeats',
                '1',
                '--warmup',
                '1',
                '--channels-last',
            ],
            REPO_ROOT,
        )
    )
    assert 'vs stock Recognizer3D + I3DHead' in log and 'ours/stock' in log
    result = json.load(open(osp.join(tmp_path, 'benchmark_model.json')))['model']
    for name in ('ours', 'stock'):
        row = result[name]
        assert row['train_step_s'] > 0 and row['latency_b1_s'] > 0
        assert row['throughput_b2_samples_per_s'] > 0 and row['peak_memory_mb'] > 100
    # the same video backbone: ours has it plus the attention, the audio branch and head
    assert result['ours']['flops_per_sample'] > result['stock']['flops_per_sample']
    ratio = result['ratio_ours_to_stock']['train_step_s']
    assert ratio == result['ours']['train_step_s'] / result['stock']['train_step_s']


def test_memory_stays_flat_over_many_pipeline_iterations(tiny_avemo, tmp_path):
    """The training pipeline over the same 30 clips 40 times: no steady growth (a leak
    of about 4 KB a file, as PyAV's AudioResampler had, shows as +5 MiB of Python
    objects here)."""
    log = assert_ok(
        run_tool(
            ['tools/analysis/benchmark_memory.py', 'configs/avemo_tiny_ravdess.py',
             '--iters', '300', '--batch', '4', '--tracemalloc', '--work-dir', str(tmp_path),
             '--cfg-options', *tiny_avemo['options']],
            REPO_ROOT,
        )
    )  # fmt: skip
    assert 'MiB per 1000 iterations' in log
    memory = json.load(open(osp.join(tmp_path, 'benchmark_memory.json')))['memory']
    assert memory['iterations'] == 300 and len(memory['trace']) >= 50
    # live Python objects: exact (the leak: +5 MiB); RSS: loose, the allocator steps by MiB
    assert abs(memory['python_growth_mib']) < 1, memory
    assert memory['median_last_third_mib'] - memory['median_first_third_mib'] < 8, memory


def test_repeat_dist_runs_counts_each_tool(tmp_path):
    """Two runs (one of each tool); the 50-run figure is in docs/reliability.md."""
    log = assert_ok(
        run_tool(
            ['tools/analysis/repeat_dist_runs.py', '--runs', '2', '--work-dir', str(tmp_path)],
            REPO_ROOT,
        )
    )
    assert '[2/2] dist_train.sh: exit 0' in log
    result = json.load(open(osp.join(tmp_path, 'repeat_dist_runs.json')))
    assert result['per_tool']['dist_test.sh'] == dict(
        runs=1, failed=0, gloo_abort=0, median_seconds=result['runs'][0]['seconds']
    )
    assert result['per_tool']['dist_train.sh']['failed'] == 0
    assert osp.isfile(osp.join(tmp_path, 'dist_train', 'epoch_1.pth'))
