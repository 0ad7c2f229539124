"""The figures of the experiment pages under docs/experiments/ are their records' figures."""

import json
import math
import re
import statistics

from conftest import REPO_ROOT
from test_readme import BARS, MIN_FUSION_GAIN, learning_failures

EXPERIMENTS = f'{REPO_ROOT}/docs/experiments'
QUICKSTART_ROWS = {  # table row -> record
    'seed 0': 'seed0',
    'seed 1 (1 thread)': 'seed1',
    'seed 2 (1 thread)': 'seed2',
    'seed 0, AMD EPYC': 'epyc_seed0',
    'seed 1, AMD EPYC (1 thread)': 'epyc_seed1',
    'seed 2, AMD EPYC (1 thread)': 'epyc_seed2',
    '2 epochs (broken recipe)': '2_epochs',
    # before the tiny configs' pitch reference: the runs the test's bars come from
    '64703f8 seed 0': '64703f8_seed0',
    '64703f8 seed 1 (1 thread)': '64703f8_seed1',
    '64703f8 seed 2 (1 thread)': '64703f8_seed2',
    '64703f8 2 epochs (broken recipe)': '64703f8_2_epochs',
    # the same runs at the commit before the channels-last convolution
    '095de75 seed 0': '095de75_seed0',
    '095de75 seed 0, again, under load': '095de75_seed0_again',
    '095de75 seed 1 (1 thread)': '095de75_seed1',
    '095de75 seed 2 (1 thread)': '095de75_seed2',
    '095de75 2 epochs': '095de75_2_epochs',
}
COLUMNS = [
    (name, split) for name in ('audio-visual', 'audio', 'video') for split in ('train', 'test')
]


def _table(page: str) -> dict[str, list[str]]:
    """First cell -> the other cells, for every table row of ``page`` (markup stripped)."""
    rows = {}
    for line in open(f'{EXPERIMENTS}/{page}').read().splitlines():
        cells = [re.sub(r'[*]', '', c).strip() for c in line.strip('|').split('|')]
        if line.startswith('|') and len(cells) > 1:
            rows[cells[0]] = cells[1:]
    return rows


def _quickstart_record(record: str) -> dict:
    with open(f'{EXPERIMENTS}/records/quickstart_{record}.json') as fh:
        return json.load(fh)


def _war_figures(summary: dict) -> list[float]:
    """The table's columns: WAR of each model and split, then the fusion gain (%)."""
    results = summary['results']
    return [100 * results[n][s]['WAR'] for n, s in COLUMNS] + [100 * summary['fusion_gain']]


def test_quickstart_seeds_table_is_its_records():
    table = _table('quickstart-seeds.md')
    for row, record in QUICKSTART_ROWS.items():
        summary = _quickstart_record(record)
        figures = [f'{v:.1f}' for v in _war_figures(summary)]
        figures[-1] = f'{float(figures[-1]):+.1f}'
        assert table[row] == figures, row
        if not record.startswith(('095de75', '64703f8')):
            # the shipped recipe meets the test's bars; the broken one does not (the
            # earlier recipes had bars of their own, the table's)
            assert bool(learning_failures(summary)) == record.endswith('2_epochs'), record


def test_the_bars_are_the_spread_across_seeds():
    """Each bar: the mean less 3 (sample) standard deviations over seeds 0-2, rounded
    down to 5 points; the test's bars from the shipped recipe's seeds on both machines,
    the previous recipe's from its own seeds on the first."""
    table = _table('quickstart-seeds.md')
    for prefix, bar_row, mean_row in (
        ('', 'bar of the test', 'mean - 3 sd, seeds 0-2, both machines'),
        ('64703f8_', '64703f8 its bars', '64703f8 mean - 3 sd, seeds 0-2'),
    ):
        machines = ('', 'epyc_') if not prefix else ('',)
        seeds = [
            _war_figures(_quickstart_record(f'{prefix}{machine}seed{i}'))
            for machine in machines
            for i in range(3)
        ]
        lowest = [statistics.mean(v) - 3 * statistics.stdev(v) for v in zip(*seeds, strict=True)]
        assert table[mean_row] == [f'{v:.1f}' for v in lowest[:-1]] + [f'{lowest[-1]:+.1f}']
        bars = [5 * math.floor(v / 5) for v in lowest]
        assert table[bar_row] == [f'{b:.0f}' for b in bars[:-1]] + [f'+{bars[-1]:.0f}']
        if not prefix:
            assert bars == [round(100 * BARS[c]) for c in COLUMNS] + [round(100 * MIN_FUSION_GAIN)]


def test_realistic_corpus_face_detection_table_is_its_records():
    table = _table('realistic-corpus-faces.md')
    reports = []
    for name in ('clean', 'realistic', 'clean_two_looks', 'realistic_two_looks', 'realistic_cnn'):
        corpus, _, looks = name.partition('_')  # realistic_two_looks -> realistic, two_looks
        with open(
            f'{EXPERIMENTS}/records/{corpus}_face_detection{"_" + looks if looks else ""}.json'
        ) as fh:
            reports.append(json.load(fh))
    for actor in [*reports[1]['actors'], 'all']:
        cells = []
        for report in reports:
            row = report['all'] if actor == 'all' else report['actors'][actor]
            cells += [f'{100 * row["detect_rate"]:.0f}', str(row['no_face'])]
        assert table[actor] == cells, actor
    for suffix, report in (('', reports[1]), ('_two_looks', reports[3]), ('_cnn', reports[4])):
        with open(f'{EXPERIMENTS}/records/realistic_preparation_summary{suffix}.json') as fh:
            summary = json.load(fh)
        assert summary['face_fallback'] == report['all']['no_face']


AUDIO_FRONT_END_ROWS = {  # table row -> record (records/audio_front_end_<record>.json)
    'mel (before)': 'realistic_mel',
    'mel, clip normalised': 'realistic_mel_clip',
    'log': 'realistic_log',
    'log, clip normalised': 'realistic_log_clip',
    'mel, pitch reference (shipped)': 'realistic_mel_ref',
    'mel, pitch reference, 64 ms': 'realistic_mel_ref_64ms',
    'mel, pitch reference, augmented': 'realistic_mel_ref_augmented',
    'pitch image, 64 ms': 'realistic_pitch_64ms',
    'clean: mel (before)': 'clean_mel',
    'clean: mel, pitch reference (shipped)': 'clean_mel_ref',
    'clean: pitch image, 64 ms': 'clean_pitch_64ms',
    'clean: mel, pitch reference, 64 pitch rows': 'clean_mel_ref_pitch_rows',
}


def test_audio_front_end_tables_are_their_records():
    for corpus in ('realistic', 'clean'):
        rows = {
            row: f'audio_front_end_{name}'
            for row, name in AUDIO_FRONT_END_ROWS.items()
            if name.startswith(corpus)
        }
        _assert_compare_table('audio-front-end.md', rows, face=False)


def test_audio_front_end_commands_parse_and_build_their_configs():
    """Each cross-validation command of the page: its arguments parse, its config and
    overrides build, and the overridden pipeline step is the spectrogram."""
    import shlex
    import sys

    from mmengine.config import Config

    sys.path.insert(0, f'{REPO_ROOT}/tools')
    from cross_validate import parse_args

    page = open(f'{EXPERIMENTS}/audio-front-end.md').read()
    commands = [c for c in page.splitlines() if 'tools/cross_validate.py' in c]
    assert len(commands) == len(AUDIO_FRONT_END_ROWS)
    for command in commands:
        words = shlex.split(command)
        args = parse_args(words[words.index('tools/cross_validate.py') + 1 :])
        assert args.folds == 5 and args.folds_to_run == [0, 1, 2]
        cfg = Config.fromfile(f'{REPO_ROOT}/{args.config}')
        options = dict(o.split('=', 1) for o in args.cfg_options)
        steps = {k.rsplit('.', 1)[0] for k in options if '.pipeline.' in k}
        for step in steps:  # e.g. train_dataloader.dataset.pipeline.2
            loader, _, _, index = step.split('.')
            pipeline = cfg[loader]['dataset']['pipeline']
            assert pipeline[int(index)]['type'] == 'SnippetLogSpectrogram', command
        assert {f'{d}_dataloader' for d in ('train', 'val', 'test')} >= {
            s.split('.')[0] for s in steps
        }
        assert len(steps) in (0, 3), command  # every loader gets the same front-end


def test_live_speed_table_is_its_records():
    table = _table('live-speed.md')
    for name in ('tiny', 'paper'):
        with open(f'{EXPERIMENTS}/records/live_speed_{name}.json') as fh:
            record = json.load(fh)
        assert record['machine']['cpus'] == 2 and record['settings']['size'] == '1280x720'
        for faces, r in record['results'].items():
            row = f'{name}, {faces} face' + ('s' if faces != '1' else '')
            assert table[row] == [
                str(r['windows']),
                str(r['skipped']),
                f'{r["latency_ms_median"]:.0f} / {r["latency_ms_p95"]:.0f}',
                f'{r["compute_ms_median"]:.0f} / {r["compute_ms_p95"]:.0f}',
                f'{r["real_time_factor"]:.2f}',
            ], row


def test_live_speed_commands_parse():
    import sys

    sys.path.insert(0, f'{REPO_ROOT}/tools/analysis')
    from benchmark_live import parse_args

    page = open(f'{EXPERIMENTS}/live-speed.md').read().replace('\\\n', ' ')
    commands = [line for line in page.splitlines() if 'benchmark_live.py' in line]
    assert len(commands) == 2
    for line in commands:
        words = line.split()
        args = parse_args(words[words.index('tools/analysis/benchmark_live.py') + 1 :])
        assert args.faces == [1, 3] and args.out.startswith('docs/experiments/records/')


def test_onnx_speed_table_is_its_records():
    table = _table('onnx-speed.md')
    for name in ('tiny', 'paper'):
        with open(f'{EXPERIMENTS}/records/benchmark_onnx_{name}.json') as fh:
            record = json.load(fh)
        assert record['machine']['cpus'] == 2 and record['max_probability_difference'] < 1e-4
        for r in record['rows']:
            assert table[f'{name}, {r["threads"]} thread' + ('s' if r['threads'] > 1 else '')] == [
                f'{r["torch_ms"]:.1f}',
                f'{r["onnxruntime_ms"]:.1f}',
                f'{r["ratio"]:.2f}',
                f'{record["export_seconds"]:.0f} s, {record["onnx_mib"]:.0f} MiB',
                f'{record["max_probability_difference"]:.0e}',
            ]


def test_onnx_speed_commands_parse():
    import sys

    sys.path.insert(0, f'{REPO_ROOT}/tools/analysis')
    from benchmark_onnx import parse_args

    page = open(f'{EXPERIMENTS}/onnx-speed.md').read().replace('\\\n', ' ')
    commands = [line for line in page.splitlines() if 'benchmark_onnx.py' in line]
    assert len(commands) == 2
    for line in commands:
        words = line.split()
        args = parse_args(words[words.index('tools/analysis/benchmark_onnx.py') + 1 :])
        assert args.threads == [1, 2] and args.out.startswith('docs/experiments/records/')


def _assert_compare_table(page: str, rows: dict[str, str | list[str]], face: bool = True) -> None:
    """``page``'s table rows are ``compare_reports`` of the records ``rows`` names
    (row -> ``records/<name>.json``, or a list of them: the row's repeats), with the
    voice groups and, on request, the face's."""
    from avemo_mm.datasets.synthetic import AUDIO_GROUP, VISUAL_GROUP
    from avemo_mm.evaluation.cross_validation import compare_reports

    table = _table(page)
    reports = {}
    for row, names in rows.items():
        reports[row] = []
        for name in [names] if isinstance(names, str) else names:
            with open(f'{EXPERIMENTS}/records/{name}.json') as fh:
                reports[row].append(json.load(fh))
    groups = {'face groups': VISUAL_GROUP} if face else {}
    groups['voice groups'] = AUDIO_GROUP
    for line in compare_reports(reports, groups).splitlines()[2:]:
        cells = [c.strip() for c in line.strip('|').split('|')]
        assert table[cells[0]] == cells[1:], cells[0]


def test_class_prior_table_is_its_records():
    rows = {'balanced (tiny recipe)': 'class_prior_balanced', 'corpus': 'class_prior_corpus'}
    _assert_compare_table('class-prior.md', rows)


def test_realistic_corpus_learning_table_is_its_records():
    rows = {
        'audio-visual (shipped)': 'realistic_av',
        'audio-visual, pitch image': 'realistic_av_pitch',
        'audio-visual, CNN second look': 'realistic_av_cnn',
    }
    _assert_compare_table('realistic-corpus-learning.md', rows)


REALISTIC_FACE_ROWS = {  # the face-alone table's rows -> their records (work dir names)
    'face alone (shipped)': 'realistic_face',
    'face alone, 40 epochs': 'realistic_face_40_epochs',
    'face alone, light and scale augmented': 'realistic_face_augmented',
    'face alone, frames standardised, 40 epochs': 'realistic_face_standardized',
    'face alone, tight crop, 40 epochs': 'realistic_face_tight_crop',
    'face alone, 24 actors': 'realistic24_face',
}


def _fit_row(folds: list[dict]) -> list[str]:
    """A run's cells in the face-alone fit table: per fold, the training batches' mean
    top-1 over the last five epochs and the best validation WAR (%)."""
    fits = [100 * sum(f['train_top1'][-5:]) / len(f['train_top1'][-5:]) for f in folds]
    return [
        ', '.join(f'{fit:.0f}' for fit in fits),
        ', '.join(f'{100 * max(f["val_war"]):.0f}' for f in folds),
    ]


def test_realistic_corpus_face_alone_tables_are_their_records():
    _assert_compare_table('realistic-corpus-learning.md', REALISTIC_FACE_ROWS)
    with open(f'{EXPERIMENTS}/records/realistic_face_curves.json') as fh:
        curves = json.load(fh)
    table = _table('realistic-corpus-learning.md')
    assert set(curves) == set(REALISTIC_FACE_ROWS.values())
    for name, folds in curves.items():
        assert [f['fold'] for f in folds] == [0, 1, 2], name
        assert table[f'work_dirs/{name}'] == _fit_row(folds), name


FACE_ORACLE_ROWS = {  # the oracle table's rows -> their records
    'true boxes, as rendered': 'realistic_face_oracle',
    'true boxes, as encoded': 'realistic_face_oracle_encoded',
    "the preparation's crops": 'realistic_face_oracle_prepared',
    'true boxes, clean size, full strength': 'realistic_face_oracle_strong',
    "the preparation's crops, clean size, full strength": 'realistic_face_oracle_strong_prepared',
}


def test_face_cue_oracle_and_its_face_branch_tables_are_their_records():
    """The page's "What the frames allow": the oracle's means over folds 0-2 and over all
    five per view, each row from the frames its record says; and the face branch's runs."""
    table = _table('realistic-corpus-learning.md')
    for row, name in FACE_ORACLE_ROWS.items():
        with open(f'{EXPERIMENTS}/records/{name}.json') as fh:
            record = json.load(fh)
        assert record['actors'] == 10 and record['folds'] == 5, name
        assert bool(record['corpus']) == name.endswith(('_encoded', '_prepared')), name
        assert bool(record['prepared']) == name.endswith('_prepared'), name
        strong = '_strong' in name  # the faces at the clean size and full strength
        assert record['face_scale'] == ([1.0, 1.1] if strong else [0.45, 1.1]), name
        assert record['strength'] == ([1.0, 1.0] if strong else [0.4, 1.0]), name
        views = ('expression', 'change', 'whole clip')
        results = record['results']
        figures = [statistics.mean(results[v]['by_fold'][:3]) for v in views]
        figures += [results[v]['mean'] for v in views]
        assert table[row] == [f'{100 * v:.1f}' for v in figures], row
    _assert_compare_table(
        'realistic-corpus-learning.md',
        {
            'face alone (shipped), again': 'realistic_face',
            "face alone, change from the clip's mean": 'realistic_face_change',
            'face alone, clean size, full strength': 'realistic_strong_face',
            "face alone, change from the clip's mean, clean size, full strength": (
                'realistic_strong_face_change'
            ),
            'audio-visual, clean size, full strength': 'realistic_strong_av',
        },
    )


def test_realistic_corpus_learning_commands_build_their_configs():
    """The page's commands build, and each face-alone variant's config is the shipped
    face-alone config with the steps its row names, where the row says."""
    from mmengine.config import Config

    _assert_cross_validate_commands_build('realistic-corpus-learning.md', 13)
    shipped = Config.fromfile(f'{REPO_ROOT}/configs/avemo_tiny_ravdess_vs-vc-vt.py')
    train = shipped.train_dataloader.dataset.pipeline
    test = shipped.test_dataloader.dataset.pipeline
    added = {  # config -> (its steps after the decode, also in the test pipeline)
        'face_augmented': ([dict(type='ClipLightChange'), dict(type='ClipScaleJitter')], False),
        'face_standardized': ([dict(type='FrameStandardize')], True),
        'face_tight_crop': ([dict(type='CenterCrop', crop_size=48)], True),
    }
    for name, (steps, in_test) in added.items():
        cfg = Config.fromfile(f'{EXPERIMENTS}/configs/{name}.py')
        assert cfg.model == shipped.model, name
        assert cfg.train_dataloader.dataset.pipeline == [*train[:3], *steps, *train[3:]], name
        expected = [*test[:3], *steps, *test[3:]] if in_test else test
        assert cfg.test_dataloader.dataset.pipeline == expected, name
        assert cfg.val_dataloader.dataset.pipeline == expected, name
    # the clip's change: after the augmentations, and after the test pipeline's resize
    cfg = Config.fromfile(f'{EXPERIMENTS}/configs/face_change.py')
    change = dict(type='ClipChange')
    assert cfg.model == shipped.model
    assert [s['type'] for s in train[-3:]] == ['ColorJitter', 'FormatShape', 'PackActionInputs']
    assert cfg.train_dataloader.dataset.pipeline == [*train[:-2], change, *train[-2:]]
    assert [s['type'] for s in test[-3:]] == ['Resize', 'FormatShape', 'PackActionInputs']
    for loader in (cfg.val_dataloader, cfg.test_dataloader):
        assert loader.dataset.pipeline == [*test[:-2], change, *test[-2:]]


def test_the_readme_and_results_figures_are_the_quickstart_records():
    """The measured status the README and the results page give is the shipped recipe's
    three seeds on both machines: the fused model's and each single modality's held-out
    WAR ranges."""
    seeds = [_quickstart_record(f'{m}seed{i}')['results'] for m in ('', 'epyc_') for i in range(3)]
    fused = [100 * r['audio-visual']['test']['WAR'] for r in seeds]
    single = [100 * r[m]['test']['WAR'] for r in seeds for m in ('audio', 'video')]
    fused_range = f'{min(fused):.1f}-{max(fused):.1f}%'
    single_range = f'{min(single):.1f}-{max(single):.1f}%'
    for page in ('README.md', 'docs/results.md'):
        text = ' '.join(open(f'{REPO_ROOT}/{page}').read().split())
        assert fused_range in text and single_range in text, page


def test_paper_departures_tables_are_their_records():
    """Each table of the departures page is ``departures_table`` of its record, and the
    shipped run's config departs where the paper configs do."""
    from mmengine.config import Config

    from avemo_mm.evaluation.paper_departures import departures, departures_table

    page = open(f'{EXPERIMENTS}/paper-departures.md').read()
    for name in ('paper_departures_previous', 'paper_departures'):
        with open(f'{EXPERIMENTS}/records/{name}.json') as fh:
            record = json.load(fh)
        for when in ('init', 'after'):
            assert departures_table(record, when) in page, (name, when)
    paper = Config.fromfile(f'{REPO_ROOT}/configs/avemo_ravdess.py').model
    letter = Config.fromfile(f'{REPO_ROOT}/configs/_base_/models/avemo_paper_letter.py')
    assert sorted(record['departures']) == sorted(departures(paper, letter.paper_letter))


HEADS_ROWS = {  # the fusion-heads page: corpus -> table row -> its records (the repeats)
    'constant': {
        'default': ['default', 'default_s1'],
        'concatenation': ['concat', 'concat_s1'],
        "paper configs' head": ['paper_head'],
        'voice alone': ['audio'],
        'face alone': ['video'],
        'face alone, no metric loss': ['video_no_metric'],
        'default, face only at test': ['default_video_only'],
        'default, voice only at test': ['default_audio_only'],
    },
    'episodic': {  # its rows named apart from the constant corpus's
        'episodic: default': ['default', 'default_s1'],
        'episodic: concatenation': ['concat', 'concat_s1'],
        "episodic: paper configs' head": ['paper_head', 'paper_head_s1'],
        'episodic: with the crop': ['crop', 'crop_s1'],
    },
}


def test_fusion_heads_tables_are_their_records():
    for corpus, rows in HEADS_ROWS.items():
        named = {row: [f'heads_{corpus}_{n}' for n in names] for row, names in rows.items()}
        _assert_compare_table('fusion-heads.md', named)


def _assert_cross_validate_commands_build(page: str, count: int) -> None:
    """Each cross-validation command of ``page``, its block's variables expanded: the
    arguments parse (folds 0-2 of 5) and the config builds with the overrides."""
    import sys

    from mmengine.config import Config

    sys.path.insert(0, f'{REPO_ROOT}/tools')
    sys.path.insert(0, f'{REPO_ROOT}/tests')
    from cross_validate import parse_args, parse_cfg_options
    from test_doc_commands import shell_blocks, tool_calls

    calls = [
        args
        for block in shell_blocks(f'docs/experiments/{page}')
        for tool, args in tool_calls(block)
        if tool == 'tools/cross_validate.py'
    ]
    assert len(calls) == count
    for argv in calls:
        args = parse_args(argv)
        assert args.folds == 5 and args.folds_to_run == [0, 1, 2]
        cfg = Config.fromfile(f'{REPO_ROOT}/{args.config}')
        cfg.merge_from_dict(parse_cfg_options(None, args.cfg_options))
        assert cfg.data_root.startswith('data/ravdess_'), argv


def test_fusion_heads_commands_build_their_configs():
    """The page's commands build (above); the crop config is the shipped tiny config with
    the dataset base's crop before its Resize."""
    from mmengine.config import Config

    _assert_cross_validate_commands_build('fusion-heads.md', 18)
    shipped = Config.fromfile(f'{REPO_ROOT}/configs/avemo_tiny_ravdess.py')
    crop = Config.fromfile(f'{EXPERIMENTS}/configs/tiny_with_crop.py')
    steps = crop.train_dataloader.dataset.pipeline
    assert steps[3] == dict(type='RandomResizedCrop', area_range=(0.8, 1.0))
    assert steps[:3] + steps[4:] == shipped.train_dataloader.dataset.pipeline
    assert crop.model == shipped.model


def _curves_row(folds: list[dict]) -> list[str]:
    """A run's cells in the fusion-heads page's learning table: the epoch each fold's
    validation WAR first passed 60%, the largest |g| and the range of |W| over its folds."""
    found = ', '.join(str(f['passed_at'] or 'never') for f in folds)
    gates = [abs(g) for f in folds for g in f['gates'] or []]
    norms = [f['w_norm'] for f in folds if f['w_norm'] is not None]
    return [
        found,
        f'{max(gates):.3f}' if gates else '-',
        f'{min(norms):.2f}-{max(norms):.2f}' if norms else '-',
    ]


def test_fusion_heads_learning_table_is_its_record():
    with open(f'{EXPERIMENTS}/records/heads_training_curves.json') as fh:
        runs = json.load(fh)
    table = _table('fusion-heads.md')
    for name, folds in runs.items():
        assert [f['fold'] for f in folds] == [0, 1, 2], name
        assert table[f'work_dirs/heads/{name}'] == _curves_row(folds), name


SETTINGS_ROWS = {  # the training-settings page: table row -> its records (the repeats)
    'default': ['heads_episodic_default', 'heads_episodic_default_s1'],
    'lr 3e-4': ['settings_episodic_lr_3e-4'],
    'constant lr 1e-3': ['settings_episodic_constant_lr'],
    'full colour jitter': ['settings_episodic_colour_jitter'],
    'audio ResNet at 64 channels': ['settings_episodic_audio_wide'],
}


def test_training_settings_table_is_its_records():
    _assert_compare_table('tiny-recipe-settings.md', SETTINGS_ROWS)


def test_training_settings_commands_build_their_configs():
    """The page's four commands build, and each changes what its row says it does."""
    from mmengine.config import Config

    _assert_cross_validate_commands_build('tiny-recipe-settings.md', 4)
    shipped = Config.fromfile(f'{REPO_ROOT}/configs/avemo_tiny_ravdess.py')
    jitter = shipped.train_dataloader.dataset.pipeline[5]
    assert jitter == dict(type='ColorJitter', brightness=0.2, contrast=0, saturation=0, hue=0)
    assert shipped.model.audio_backbone.base_channels == 16


def _settings_curves_row(folds: list[dict]) -> list[str]:
    """A run's cells in the training-settings page's learning table: the epoch each
    fold's validation WAR first passed 60%, and each fold's range of the validation WAR
    over the last five epochs (points)."""
    ranges = [100 * (max(f['val_war'][-5:]) - min(f['val_war'][-5:])) for f in folds]
    return [
        ', '.join(str(f['passed_at'] or 'never') for f in folds),
        ', '.join(f'{r:.1f}' for r in ranges),
    ]


def test_training_settings_learning_table_is_its_records():
    with open(f'{EXPERIMENTS}/records/settings_training_curves.json') as fh:
        runs = json.load(fh)
    with open(f'{EXPERIMENTS}/records/heads_training_curves.json') as fh:
        runs['ep_default'] = json.load(fh)['ep_default']
    table = _table('tiny-recipe-settings.md')
    for name, folds in runs.items():
        assert [f['fold'] for f in folds] == [0, 1, 2], name
        folder = 'heads' if name == 'ep_default' else 'settings'
        assert table[f'work_dirs/{folder}/{name}'] == _settings_curves_row(folds), name


def test_voice_cue_oracle_table_is_its_records():
    """The audio front-end page's table of what the realistic corpus's true voice tracks
    allow: folds 0-2 of the 10-actor corpus, and their mean with 24 actors."""
    table = _table('audio-front-end.md')
    records = []
    for name in ('realistic_voice_oracle', 'realistic24_voice_oracle'):
        with open(f'{EXPERIMENTS}/records/{name}.json') as fh:
            records.append(json.load(fh))
    assert [r['actors'] for r in records] == [10, 24] and {r['folds'] for r in records} == {5}
    for reference, cues in records[0]['results'].items():
        for cue, result in cues.items():
            folds = result['by_fold'][:3]
            wider = records[1]['results'][reference][cue]['by_fold'][:3]
            figures = [*folds, statistics.mean(folds), statistics.mean(wider)]
            assert table[f'{cue}, {reference}'] == [f'{100 * v:.1f}' for v in figures]
