"""tools/cross_validate.py: trains and tests folds, resumes, reports what is missing."""

import json
import os

from conftest import REPO_ROOT, TINY_CONFIG, assert_ok, run_tool


def test_two_folds_then_a_rerun_that_only_reports(ravdess_root, ravdess_prepared, tmp_path):
    work = tmp_path / 'cv'
    args = [
        'tools/cross_validate.py',
        TINY_CONFIG,
        '--folds',
        '4',
        '--work-dir',
        str(work),
        '--cfg-options',
        f'data_root={ravdess_root}',
        f'ann_file={ravdess_prepared}/annotations.json',
        'train_cfg.max_epochs=1',
    ]
    out = assert_ok(run_tool([*args, '--folds-to-run', '0', '2'], REPO_ROOT))
    assert 'fold 0: WAR' in out and 'fold 2: WAR' in out
    assert 'Missing folds (no results yet): 1, 3' in out
    for fold in (0, 2):
        metrics = json.loads((work / f'fold_{fold}' / 'test_metrics.json').read_text())
        assert sum(map(sum, metrics['confusion_matrix'])) == 15  # one actor's 15 clips
        assert 'best_WAR_epoch_1.pth' in metrics['checkpoint']
    report = json.loads((work / 'report.json').read_text())
    assert report['missing'] == [1, 3] and [f['fold'] for f in report['folds']] == [0, 2]
    assert report['paper'] == 89.25 and report['corpus'] == 'RAVDESS'
    assert (work / 'confusion_matrix.png').stat().st_size > 5000

    # a finished fold is never re-run: its files stay untouched
    stamp = os.stat(work / 'fold_0' / 'test_metrics.json').st_mtime_ns
    again = assert_ok(run_tool([*args, '--folds-to-run', '0'], REPO_ROOT))
    assert 'fold 0: already finished' in again
    assert os.stat(work / 'fold_0' / 'test_metrics.json').st_mtime_ns == stamp
    only = assert_ok(run_tool([args[0], *args[1:], '--report-only'], REPO_ROOT))
    assert '2 of 4 folds finished' in only and 'Epoch(train)' not in only

    # runs side by side (here the same run twice: no difference)
    table = tmp_path / 'compare.md'
    compared = assert_ok(
        run_tool(
            ['tools/analysis/compare_runs.py', f'av={work}', f'again={work}', '--out', str(table)],
            REPO_ROOT,
        )
    )
    assert '| run | fold 0 | fold 2 |' in compared and '| again |' in compared
    assert compared.strip().endswith('+0.00 |') and table.read_text() == compared


def test_fold_out_of_range_is_refused_before_any_work(tmp_path):
    proc = run_tool(
        ['tools/cross_validate.py', TINY_CONFIG, '--folds', '4', '--folds-to-run', '4'],
        str(tmp_path),
    )
    assert proc.returncode == 2 and 'out of range: folds are 0..3' in proc.stdout
