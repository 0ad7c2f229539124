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
            [
                'tools/analysis/compare_runs.py',
                f'av={work}',
                f'again={work},{work}',  # repeats: paired with av's one run
                '--out',
                str(table),
            ],
            REPO_ROOT,
        )
    )
    assert '| run | fold 0 | fold 2 |' in compared and '| again |' in compared
    again = next(line for line in compared.splitlines() if line.startswith('| again |'))
    first, second = again.split(' | ')[1].split(' / ')  # fold 0, both repeats
    assert first == second and ' | 2 | ' in again
    twice = run_tool(['tools/analysis/compare_runs.py', f'av={work}', f'av={work}'], REPO_ROOT)
    assert twice.returncode == 2 and "'av' named twice" in twice.stdout
    assert compared.strip().endswith('+0.00 +- 0.00 |') and table.read_text() == compared
    # the synthetic corpus's groups: two more columns, shares in [0, 100]
    grouped = assert_ok(
        run_tool(['tools/analysis/compare_runs.py', f'av={work}', '--synthetic-groups'], REPO_ROOT)
    )
    header, _, row = grouped.strip().splitlines()
    assert header.endswith('| face groups (%) | voice groups (%) |')
    assert all(0 <= float(v) <= 100 for v in row.strip(' |').split(' | ')[-2:])

    # how each fold learnt: its validation curve from mmengine's scalars, the gates from
    # the checkpoint it was tested with
    curves_path = tmp_path / 'curves.json'
    printed = assert_ok(
        run_tool(
            [
                'tools/analysis/training_curves.py',
                str(work),
                '--threshold',
                '0',
                '--out',
                str(curves_path),
            ],
            REPO_ROOT,
        )
    )
    curves = json.loads(curves_path.read_text())['cv']
    assert [f['fold'] for f in curves] == [0, 2] and printed.count('\n') == 2
    for f in curves:
        metrics = json.loads((work / f'fold_{f["fold"]}' / 'test_metrics.json').read_text())
        assert f['checkpoint'] == metrics['checkpoint'] and len(f['val_war']) == 1
        assert len(f['train_loss_cls']) == len(f['train_top1']) == 1
        assert 0.5 < f['train_loss_cls'][0] < 5 and 0 <= f['train_top1'][0] <= 1
        assert f['passed_at'] == (1 if f['val_war'][0] > 0 else None)
        assert max(map(abs, f['gates'])) < 0.1  # the gates start at 0: one epoch moves them little
        assert 7 < f['w_norm'] < 9  # W of 64 x 64, Xavier-initialised: about 8


def test_fold_out_of_range_is_refused_before_any_work(tmp_path):
    proc = run_tool(
        ['tools/cross_validate.py', TINY_CONFIG, '--folds', '4', '--folds-to-run', '4'],
        str(tmp_path),
    )
    assert proc.returncode == 2 and 'out of range: folds are 0..3' in proc.stdout


def _all_24_actors(ravdess_root, root):
    """All 24 RAVDESS actors, 3 audio-visual clips each (copies of the 4 synthetic
    actors' files under each actor's own name), so every published protocol finds
    its actors."""
    import shutil

    for actor in range(1, 25):
        source = (actor - 1) % 4 + 1
        folder = root / f'Actor_{actor:02d}'
        folder.mkdir(parents=True)
        for i in range(3):
            emotion = (3 * actor + i) % 8 + 1
            name = f'01-01-{emotion:02d}-01-01-01-{{:02d}}.mp4'
            shutil.copy(
                os.path.join(ravdess_root, f'Actor_{source:02d}', name.format(source)),
                folder / name.format(actor),
            )


def test_a_published_protocol_runs_with_its_own_folds_and_figures(ravdess_root, tmp_path):
    corpus, prepared = tmp_path / 'RAVDESS', tmp_path / 'prepared'
    _all_24_actors(ravdess_root, corpus)
    assert_ok(
        run_tool(
            ['tools/data/prepare_dataset.py', 'ravdess', str(corpus), str(prepared)]
            + ['--face-size', '32'],
            REPO_ROOT,
        )
    )
    work = tmp_path / 'cv'
    out = assert_ok(
        run_tool(
            ['tools/cross_validate.py', TINY_CONFIG, '--protocol', 'hicmae', '--folds-to-run', '0']
            + ['--work-dir', str(work), '--cfg-options', f'data_root={corpus}']
            + [f'ann_file={prepared}/annotations.json', 'train_cfg.max_epochs=1'],
            REPO_ROOT,
        )
    )
    assert '1 fold(s) of 6' in out and 'fold 0: WAR' in out
    log = (work / 'fold_0' / 'train.log').read_text()
    # test actors 1-4; the next fold's test actors 5-8 validate; 16 actors train
    assert "48 clips in split 'train' of fold 0 of protocol 'hicmae'" in log
    assert "12 clips in split 'val' of fold 0 of protocol 'hicmae'" in log
    metrics = json.loads((work / 'fold_0' / 'test_metrics.json').read_text())
    assert sum(map(sum, metrics['confusion_matrix'])) == 12
    report = (work / 'report.md').read_text()
    assert 'Protocol `hicmae` (6 folds)' in report
    assert '| HiCMAE | 87.99 | n/a | Sun et al., Information Fusion 2024 |' in report
    assert 'not test-selected' in report


def test_protocol_arguments_are_checked_before_any_work(tmp_path):
    for extra, message in (
        (['--protocol', 'msaf'], "unknown ravdess protocol 'msaf'"),
        (['--protocol', 'hicmae', '--folds', '10'], 'has 6 folds; --folds 10 differs'),
        (['--protocol', 'chumachenko', '--folds-to-run', '1'], 'out of range: folds are 0..0'),
    ):
        proc = run_tool(['tools/cross_validate.py', TINY_CONFIG, *extra], str(tmp_path))
        assert proc.returncode == 2 and message in proc.stdout, proc.stdout
