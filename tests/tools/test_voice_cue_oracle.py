"""tools/analysis/voice_cue_oracle.py: the realistic corpus's voice groups from the tracks
each clip was sounded from, on held-out actors."""

import json

from conftest import REPO_ROOT, assert_ok, run_tool

from avemo_mm.datasets.synthetic import clip_rng, plan_corpus
from avemo_mm.datasets.synthetic_realistic import draw_voice, render_realistic_clip


def _oracle(tmp_path, name, *options):
    out = tmp_path / f'{name}.json'
    args = ['tools/analysis/voice_cue_oracle.py', '--actors', '6', '--folds', '3']
    log = assert_ok(run_tool([*args, *options, '--out', str(out)], REPO_ROOT))
    assert f'wrote {out}' in log
    return json.loads(out.read_text())['results']


def test_the_cues_are_told_apart_when_they_show_and_not_when_they_do_not(tmp_path):
    shown = _oracle(tmp_path, 'shown')
    hidden = _oracle(tmp_path, 'hidden', '--strength', '0', '0')  # every clip neutral
    for reference in ('within the clip', 'against the speaker'):
        assert set(shown[reference]) == {'pitch', 'rate+loudness', 'all'}
        assert len(shown[reference]['all']['by_fold']) == 3
        assert shown[reference]['all']['mean'] >= 0.85, reference
        assert all(cue['mean'] <= 0.45 for cue in hidden[reference].values()), reference


def test_the_oracle_reads_the_tracks_the_clip_was_sounded_from():
    """draw_voice makes render_realistic_clip's first draws, at the oracle's sample rate
    too: the same episode, strength and length as the clip the generator sounds."""
    clip = plan_corpus('', 2)[5]
    tracks = draw_voice(clip, clip_rng(clip, 0), sample_rate=1000)
    _, audio, info = render_realistic_clip(clip, clip_rng(clip, 0), size=(32, 24))
    assert info['episode'] == tracks.episode and info['strength'] == tracks.strength
    assert len(audio) == int(tracks.duration * 48000)
