"""tools/analysis/benchmark.py runs end to end (tiny sizes; the figures are not checked)."""

import json
import os.path as osp

from conftest import REPO_ROOT, assert_ok, run_tool


def test_data_benchmark_tiny(tmp_path):
    log = assert_ok(
        run_tool(
            [
                'tools/analysis/benchmark.py',
                'data',
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
