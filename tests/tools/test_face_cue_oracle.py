"""tools/analysis/face_cue_oracle.py: the realistic corpus's face groups from face crops at
the true boxes (or the preparation's), on held-out actors."""

import importlib.util
import json

import numpy as np
from conftest import REPO_ROOT, assert_ok, run_tool

from avemo_mm.datasets.synthetic import clip_rng, plan_corpus
from avemo_mm.datasets.synthetic_realistic import actor_speaker, render_realistic_clip


def _oracle(tmp_path, name, *options):
    out = tmp_path / f'{name}.json'
    args = ['tools/analysis/face_cue_oracle.py', '--actors', '6', '--folds', '3']
    log = assert_ok(run_tool([*args, '--statements', '1', *options, '--out', str(out)], REPO_ROOT))
    assert f'wrote {out}' in log
    return json.loads(out.read_text())['results']


def test_the_face_groups_are_told_apart_when_the_expression_shows_and_not_when_it_does_not(
    tmp_path,
):
    shown = _oracle(tmp_path, 'shown')
    hidden = _oracle(tmp_path, 'hidden', '--strength', '0', '0')  # every face neutral
    assert set(shown) == {'expression', 'change', 'whole clip'}
    for view in ('expression', 'change'):  # told when the expression shows
        assert len(shown[view]['by_fold']) == 3
        # 6 actors, 90 clips: 49-50% here against 22-27% (chance 25%)
        assert shown[view]['mean'] >= 0.40, view
    assert all(view['mean'] <= 0.35 for view in hidden.values())


def test_the_crops_follow_the_face_through_its_drift_and_zoom():
    """Crops at each frame's true box stay alike through the clip; a box held where the
    face was in the first frame does not."""
    spec = importlib.util.spec_from_file_location(
        'face_cue_oracle', f'{REPO_ROOT}/tools/analysis/face_cue_oracle.py'
    )
    oracle = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(oracle)
    for clip in plan_corpus('', 2)[:4]:
        frames, _, info = render_realistic_clip(clip, clip_rng(clip, 0))  # 160 x 120
        pixels = info['face_scale'] * max(actor_speaker(clip.actor).shape)
        tracked = oracle.face_crops(frames, info['face_center'], pixels)
        first = np.repeat(info['face_center'][:1], len(frames), axis=0)
        held = oracle.face_crops(frames, first, np.repeat(pixels[:1], len(frames)))

        def likeness(crops):  # mean correlation of every crop with the first
            return np.mean([np.corrcoef(crops[0].ravel(), crop.ravel())[0, 1] for crop in crops])

        assert likeness(tracked) >= likeness(held) + 0.05, clip.path
