"""The realistic synthetic corpus: speakers, noise, echo, light, clutter and scale, measured."""

import os

import cv2
import numpy as np
import pytest
from conftest import REPO_ROOT, assert_ok, run_tool

from avemo_mm.datasets.folds import read_cremad_demographics
from avemo_mm.datasets.synthetic import AUDIO_GROUP, SyntheticClip, write_clip
from avemo_mm.datasets.synthetic_cremad import plan_cremad_corpus
from avemo_mm.datasets.synthetic_realistic import (
    PITCH_RANGES,
    VOICE_CUES,
    RecordingConditions,
    render_realistic_clip,
    write_cremad_demographics,
)

QUIET_DRY = RecordingConditions(snr_db=(40.0, 40.0), rt60=(0.0, 0.0), strength=(1.0, 1.0))


def _clip(actor, emotion, intensity=1):
    return SyntheticClip('x.mp4', 1, emotion, intensity, 1, 1, actor)


def _emotion_with_contour(name):
    group = next(g for g, cue in enumerate(VOICE_CUES) if cue[0] == name)
    return AUDIO_GROUP.index(group) + 1


def _pitch_track(audio, rate=48000, frame=0.04):
    """f0 (Hz) of each voiced 40 ms frame by autocorrelation, and the frames' times."""
    audio = audio[::3]  # 16 kHz is plenty below 400 Hz
    rate //= 3
    size = int(frame * rate)
    lags = np.arange(rate // 400, rate // 70)
    times, pitches = [], []
    loud = np.sqrt(np.mean(audio**2))
    for start in range(0, len(audio) - size - lags[-1], size // 2):
        x = audio[start : start + size + lags[-1]]
        if np.sqrt(np.mean(x[:size] ** 2)) < loud:  # voiced and loud
            continue
        corr = np.array([np.dot(x[:size], x[lag : lag + size]) for lag in lags])
        # the shortest lag near the best: a period's multiples correlate as well
        pitches.append(rate / lags[int(np.argmax(corr >= 0.85 * corr.max()))])
        times.append((start + size / 2) / rate)
    return np.array(times), np.array(pitches)


@pytest.mark.parametrize('actor', [1, 2, 3, 4])
def test_each_speaker_has_the_pitch_of_their_sex_and_the_cue_moves_relative_to_it(actor):
    sex = 'male' if actor % 2 else 'female'
    low, high = PITCH_RANGES[sex]
    for contour, sign in (('rising', 1), ('falling', -1)):
        clip = _clip(actor, _emotion_with_contour(contour))
        _, audio, info = render_realistic_clip(
            clip, np.random.default_rng(actor), conditions=QUIET_DRY
        )
        assert info['sex'] == sex and low <= info['speaker_f0'] <= high
        times, f0 = _pitch_track(audio)
        start, length = info['episode']
        inside = (times > start) & (times < start + length)
        assert 0.8 * low < np.median(f0[~inside]) < 1.2 * high  # the speaker's own voice
        first = np.median(f0[inside & (times < start + length / 3)])
        last = np.median(f0[inside & (times > start + 2 * length / 3)])
        semitones = 12 * np.log2(last / first)
        assert sign * semitones > 2, (contour, semitones)  # the contour, on this speaker


def test_noise_comes_at_the_drawn_snr_and_the_room_leaves_a_tail():
    clip = _clip(2, 3)
    noisy = RecordingConditions(snr_db=(10.0, 10.0), rt60=(0.0, 0.0), strength=(1.0, 1.0))
    _, audio, info = render_realistic_clip(clip, np.random.default_rng(0), conditions=noisy)
    noise_power = np.mean(audio[: int(0.25 * 48000)] ** 2)  # before the sentence
    speech = audio[int(0.35 * 48000) : -int(0.35 * 48000)]
    frames = speech[: len(speech) // 480 * 480].reshape(-1, 480)
    power = np.mean(frames**2, axis=1)
    speech_power = np.mean(power[power > np.median(power)]) - noise_power
    assert 10 * np.log10(speech_power / noise_power) == pytest.approx(10.0, abs=4.0)
    assert info['snr_db'] == 10.0

    tails = {}
    for rt60 in (0.0, 0.6):
        room = RecordingConditions(snr_db=(60.0, 60.0), rt60=(rt60, rt60), strength=(1.0, 1.0))
        _, audio, info = render_realistic_clip(clip, np.random.default_rng(0), conditions=room)
        tails[rt60] = np.mean(audio[-int(0.25 * 48000) :] ** 2)  # after the sentence
    assert tails[0.6] > 100 * tails[0.0]


def test_faces_at_many_sizes_in_moving_light():
    sizes = []
    for i, emotion in enumerate(range(1, 9)):
        frames, _, info = render_realistic_clip(
            _clip(i % 4 + 1, emotion), np.random.default_rng(i)
        )
        sizes.append(info['face_scale'].mean())
        brightness = frames.reshape(len(frames), -1).mean(axis=1)
        assert brightness.max() > 1.15 * brightness.min()  # the light changes within a clip
        lit = info['light']
        assert np.corrcoef(brightness, lit)[0, 1] > 0.8  # and it is the drawn light
    assert max(sizes) > 1.6 * min(sizes)


def test_a_person_looks_the_same_in_each_clip():
    """The same actor's scene in two clips (light aside) against another actor's."""

    def scene_colour(actor, seed):
        frames, _, info = render_realistic_clip(_clip(actor, 2), np.random.default_rng(seed))
        corner = frames[:, :20, :20].reshape(len(frames), -1, 3).mean(axis=1)  # [V, 3]
        return (corner / info['light'][:, None]).mean(axis=0)  # the light divided out

    first, again, other = scene_colour(1, 0), scene_colour(1, 1), scene_colour(3, 0)
    assert np.abs(first - again).max() < 0.5 * np.abs(first - other).max()


def test_the_tool_writes_the_realistic_mode_and_the_cremad_layout_says_each_sex(tmp_path):
    corpus = tmp_path / 'ravdess'
    log = assert_ok(
        run_tool(
            ['tools/data/make_synthetic_ravdess.py', str(corpus), '--actors', '2',
             '--realistic', '--snr', '5', '10', '--statements', '1', '--size', '96x72'],
            REPO_ROOT,
        )
    )  # fmt: skip
    assert 'wrote 30 clips for 2 actors' in log
    assert len(os.listdir(corpus / 'Actor_02')) == 15  # 8 emotions, two intensities but neutral
    frame = cv2.VideoCapture(str(corpus / 'Actor_01' / '01-01-03-02-01-01-01.mp4')).read()[1]
    assert frame.shape == (72, 96, 3)

    # the CREMA-D layout: FLV with its wav sidecar, and the demographics of the speakers
    cremad = tmp_path / 'cremad'
    clips = plan_cremad_corpus(str(cremad), num_actors=2, num_sentences=1)[::6]
    for clip in clips:
        write_clip(clip, seed=0, size=(96, 72), conditions=RecordingConditions())
        stem = os.path.basename(clip.path)[:-4]
        assert os.path.getsize(clip.path) > 0 and (cremad / 'AudioWAV' / f'{stem}.wav').is_file()
    write_cremad_demographics(str(cremad), [clip.actor for clip in clips])
    demographics = read_cremad_demographics(str(cremad / 'VideoDemographics.csv'))
    assert demographics == {1001: 'male', 1002: 'female'}


def test_ranges_that_cannot_be_drawn_are_refused_with_their_name(tmp_path):
    with pytest.raises(
        ValueError, match=r'rt60 must be \(MIN, MAX\) with MIN <= MAX and MIN >= 0'
    ):
        RecordingConditions(rt60=(-0.1, 0.2))
    with pytest.raises(ValueError, match='snr_db must be'):
        RecordingConditions(snr_db=(20.0, 8.0))
    proc = run_tool(
        ['tools/data/make_synthetic_ravdess.py', str(tmp_path), '--realistic', '--snr', '20', '8'],
        REPO_ROOT,
    )
    assert proc.returncode == 2 and '--snr must be (MIN, MAX)' in proc.stdout
    for option, values, told in (
        ('--face-scale', ['0.05', '1'], 'MIN >= 0.1'),
        ('--strength', ['1', '0.5'], 'MIN <= MAX'),
    ):
        args = ['tools/data/make_synthetic_ravdess.py', str(tmp_path), '--realistic', option]
        proc = run_tool([*args, *values], REPO_ROOT)
        assert proc.returncode == 2 and f'{option} must be (MIN, MAX)' in proc.stdout, option
        assert told in proc.stdout
    assert not any(tmp_path.iterdir())  # refused before any clip
