"""tools/data/prepare_dataset.py on good and broken files, interrupted and resumed."""

import csv
import json
import os
import shutil

import numpy as np
from conftest import REPO_ROOT, assert_ok, run_tool

from avemo_mm.datasets.preparation import FaceTracker
from avemo_mm.utils import write_av_clip


def _read(out):
    with open(os.path.join(out, 'annotations.json')) as fh:
        ann = json.load(fh)
    with open(os.path.join(out, 'report', 'skipped.csv')) as fh:
        skipped = {row['file']: row['reason'] for row in csv.DictReader(fh)}
    with open(os.path.join(out, 'report', 'summary.json')) as fh:
        summary = json.load(fh)
    return ann, skipped, summary


def test_prepared_corpus_outputs(ravdess_prepared):
    ann, skipped, summary = _read(ravdess_prepared)
    assert summary['videos'] == 120 and summary['prepared'] == 120 and not skipped
    assert summary['without_audio'] == 60  # the silent video-only files
    assert summary['face_detect_rate'] > 0.9  # the drawn faces of the clean corpus
    assert ann['metainfo']['classes'][0] == 'neutral' and len(ann['metainfo']['polarities']) == 8
    assert sorted(os.listdir(os.path.join(ravdess_prepared, 'folds'))) == [
        f'fold_{f}.json' for f in range(4)
    ]
    # 24 actors in 4 groups of 6: each tests and validates on 3 men and 3 women
    assert summary['fold_sex_balance'] == [
        dict(fold=f, test_male=3, test_female=3, val_male=3, val_female=3) for f in range(4)
    ]
    assert os.path.isfile(os.path.join(ravdess_prepared, 'report', 'fold_sex_balance.csv'))
    record = ann['data_list'][0]
    assert record['face_detect_rate'] > 0.5 and not record['face_fallback']
    import decord

    vr = decord.VideoReader(os.path.join(ravdess_prepared, record['face_video']))
    assert vr[0].shape == (32, 32, 3) and len(vr) == record['num_frames']


def _bad_corpus(ravdess_root, root):
    """Three good clips plus one file of each kind of breakage."""
    actor = root / 'Actor_01'
    actor.mkdir(parents=True)
    good = sorted(
        f for f in os.listdir(os.path.join(ravdess_root, 'Actor_01')) if f.startswith('01-')
    )[:3]
    for name in good:
        shutil.copy(os.path.join(ravdess_root, 'Actor_01', name), actor / name)
    (actor / '01-01-02-01-02-01-01.mp4').write_bytes(b'')  # zero length
    data = (actor / good[0]).read_bytes()
    (actor / '01-01-03-01-02-01-01.mp4').write_bytes(data[: len(data) // 3])  # truncated
    (actor / '01-01-04-01-02-01-01.mp4').write_bytes(os.urandom(5000))  # corrupt
    frames = np.full((60, 48, 64, 3), 128, np.uint8)
    write_av_clip(str(actor / '01-01-05-01-02-01-01.mp4'), frames)  # AV name, no audio track
    write_av_clip(
        str(actor / '01-01-06-01-02-01-01.mp4'), frames, audio=np.zeros(4800, np.float32)
    )  # 0.1 s of audio
    write_av_clip(
        str(actor / '01-01-07-01-02-01-01.mp4'), frames[:5], audio=np.zeros(48000, np.float32)
    )  # 5 frames
    write_av_clip(
        str(actor / '01-01-08-01-02-01-01.mp4'),
        np.random.default_rng(0).integers(0, 255, (30, 48, 64, 3), dtype=np.uint8),
        audio=np.zeros(48000, np.float32),
    )  # no face: centre-crop fallback
    (actor / 'README.mp4').write_bytes(b'x')  # a name that does not parse
    return good


def test_bad_files_are_reported_with_reasons(ravdess_root, tmp_path):
    root, out = tmp_path / 'RAVDESS', str(tmp_path / 'out')
    good = _bad_corpus(ravdess_root, root)
    log = assert_ok(
        run_tool(
            ['tools/data/prepare_dataset.py', 'ravdess', str(root), out, '--face-size', '32'],
            cwd=REPO_ROOT,
        )
    )
    ann, skipped, summary = _read(out)
    reasons = {os.path.basename(k): v for k, v in skipped.items()}
    assert 'cannot open' in reasons['01-01-02-01-02-01-01.mp4']
    assert 'cannot open' in reasons['01-01-03-01-02-01-01.mp4']
    assert 'cannot open' in reasons['01-01-04-01-02-01-01.mp4']
    assert 'no audio stream' in reasons['01-01-05-01-02-01-01.mp4']
    assert 'shorter than 1.0 s' in reasons['01-01-06-01-02-01-01.mp4']
    assert 'fewer than 16' in reasons['01-01-07-01-02-01-01.mp4']
    assert 'bad file name' in reasons['README.mp4']
    prepared = {r['clip_id'] + '.mp4' for r in ann['data_list']}
    assert prepared == set(good) | {'01-01-08-01-02-01-01.mp4'}
    assert summary['skipped'] == 7 and summary['face_fallback'] == 1
    assert summary['skipped_by_reason'] == dict(
        unreadable=3, no_audio=1, audio_too_short=1, too_few_frames=1, bad_name=1
    )
    assert 'skipped Actor_01/01-01-05-01-02-01-01.mp4' in log


def test_interrupted_run_resumes_to_the_same_outputs(ravdess_root, tmp_path):
    root = tmp_path / 'RAVDESS'
    _bad_corpus(ravdess_root, root)
    args = ['tools/data/prepare_dataset.py', 'ravdess', str(root)]
    full = str(tmp_path / 'full')
    assert_ok(run_tool(args + [full, '--face-size', '32'], cwd=REPO_ROOT))
    # an interrupted run: two clips done, one half-written, nothing else
    part = tmp_path / 'part'
    records = sorted(os.listdir(os.path.join(full, 'records')))
    (part / 'records').mkdir(parents=True)
    (part / 'faces').mkdir()
    for name in records[:2]:
        shutil.copy(os.path.join(full, 'records', name), part / 'records' / name)
        clip = name.replace('.json', '.mp4')
        shutil.copy(os.path.join(full, 'faces', clip), part / 'faces' / clip)
    (part / 'faces' / records[2].replace('.json', '.mp4.partial')).write_bytes(b'half')
    log = assert_ok(run_tool(args + [str(part), '--face-size', '32'], cwd=REPO_ROOT))
    assert 'removed 1 half-written file' in log and '2 already prepared' in log
    assert _read(str(part)) == _read(full)
    leftovers = [f for _, _, files in os.walk(part) for f in files if f.endswith('.partial')]
    assert not leftovers
    again = assert_ok(run_tool(args + [str(part), '--face-size', '32'], cwd=REPO_ROOT))
    assert '4 already prepared, 7 to do' in again  # only the skipped ones are retried


def test_missing_data_root_and_print_folds():
    proc = run_tool(['tools/data/prepare_dataset.py', 'cremad', '/nope', '/tmp/x'], REPO_ROOT)
    assert proc.returncode != 0 and 'data_root /nope is not a directory' in proc.stdout
    out = assert_ok(run_tool(['tools/data/print_folds.py', 'ravdess'], REPO_ROOT))
    assert out.splitlines()[0] == (
        'fold 0: {"train": [2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19, 22, 24], '
        '"val": [3, 18, 23], "test": [1, 20, 21]}'
    )


def test_face_tracker_smooths_and_falls_back():
    tracker = FaceTracker(detect_every=1, smooth_window=3)
    blank = [np.zeros((60, 80, 3), np.uint8)] * 4
    boxes, rate = tracker.track(iter(blank))
    assert rate == 0.0 and np.allclose(boxes[0], [40, 30, 0.8 * 60])


def test_ctrl_c_in_the_middle_then_rerun_matches_an_uninterrupted_run(ravdess_root, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    root = str(tmp_path / 'RAVDESS')  # one actor: 30 files
    shutil.copytree(os.path.join(ravdess_root, 'Actor_01'), os.path.join(root, 'Actor_01'))
    tool = ['tools/data/prepare_dataset.py', 'ravdess', root]
    small = ['--face-size', '64']
    part = tmp_path / 'part'
    proc = subprocess.Popen(
        [sys.executable, os.path.join(REPO_ROOT, tool[0]), *tool[1:], str(part), *small],
        start_new_session=True,
        # a job started with '&' inherits SIGINT ignored (POSIX), and Python then never
        # raises KeyboardInterrupt: give the tool the default, as a terminal would
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    records = part / 'records'
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if records.is_dir() and len(os.listdir(records)) >= 5:
            break
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()[0]
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    output = proc.communicate(timeout=60)[0]
    interrupted = len(os.listdir(records))
    assert proc.returncode == 130 and 'run the same command again' in output, output
    assert 5 <= interrupted < 30, 'the run was not interrupted in the middle'
    log = assert_ok(run_tool([*tool, str(part), *small], REPO_ROOT))
    assert f'{interrupted} already prepared' in log
    full = str(tmp_path / 'full')
    assert_ok(run_tool([*tool, full, *small], REPO_ROOT))
    assert _read(str(part)) == _read(full)
    leftovers = [f for _, _, files in os.walk(part) for f in files if f.endswith('.partial')]
    assert not leftovers


def test_cremad_sex_balance_is_reported_from_its_demographics_without_changing_folds(tmp_path):
    from avemo_mm.datasets.corpora import get_corpus
    from avemo_mm.datasets.preparation.clip import PrepareSettings
    from avemo_mm.datasets.preparation.corpus import _write_sex_balance

    spec = get_corpus('cremad')
    folds = spec.actor_folds(10)
    settings = PrepareSettings(corpus='cremad', data_root=str(tmp_path), out_dir=str(tmp_path))
    (tmp_path / 'report').mkdir()
    lines = []
    assert _write_sex_balance(spec, folds, settings, lines.append) is None  # no file: unknown
    rows = ['ActorID,Age,Sex,Race,Ethnicity'] + [
        f'{a},30,{"Female" if a in (1002, 1012, 1013) else "Male"},Caucasian,Not Hispanic'
        for a in spec.actors
    ]
    (tmp_path / 'VideoDemographics.csv').write_text('\n'.join(rows) + '\n')
    balance = _write_sex_balance(spec, folds, settings, lines.append)
    assert spec.actor_folds(10) == folds  # the file informs, never changes the folds
    # group g holds 1001 + g, 1011 + g, ...: the women 1002 and 1012 are in group 1, 1013 in 2
    assert [b['test_female'] for b in balance[:4]] == [0, 2, 1, 0]
    assert [b['val_female'] for b in balance[:4]] == [2, 1, 0, 0]
    assert balance[1]['test_male'] == 9 - 2  # group 1 holds 9 actors (1002 ... 1082)
    assert 'folds by sex' in lines[-1]
    assert (
        (tmp_path / 'report' / 'fold_sex_balance.csv')
        .read_text()
        .startswith('fold,test_male,test_female,val_male,val_female')
    )
