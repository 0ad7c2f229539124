"""The audio branch, trained briefly, hears a rising against a falling voice on
speakers it never heard: the pitch's movement, not the speaker's level.

Without ``pitch_reference`` the same training stays at chance (the slow test below;
``docs/method.md``, "The audio front-end")."""

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT
from mmaction.registry import MODELS, TRANSFORMS
from mmengine.config import Config
from mmengine.registry import init_default_scope

import avemo_mm  # noqa: F401

AUDIO_CONFIG = f'{REPO_ROOT}/configs/avemo_tiny_ravdess_at.py'
RATE = 16000
SECONDS = 2.5
TIMES = np.array([0.55, 1.25, 1.95])  # three 1 s segments across the clip


def _speaker_clip(rng, f0, rising):
    """A voice at ``f0`` Hz whose pitch rises (or falls) by 4-6 semitones over the
    clip, in syllables, with wander and pink-ish noise at 12-20 dB SNR: ``[S]``."""
    t = np.arange(int(SECONDS * RATE)) / RATE
    span = rng.uniform(4, 6) * (1 if rising else -1)
    wander = np.interp(t, np.linspace(0, SECONDS, 6), rng.normal(0, 0.3, 6))
    pitch = f0 * rng.uniform(0.97, 1.03) * 2 ** ((span * (t / SECONDS - 0.5) + wander) / 12)
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    brightness = rng.uniform(0.5, 0.8)
    voice = sum(brightness ** (k - 1) * np.sin(k * phase) / k for k in range(1, 10))
    rate = rng.uniform(3, 5)
    voice *= np.clip(np.sin(np.pi * rate * t + rng.uniform(0, np.pi)), 0, None) ** 2
    noise = np.cumsum(rng.normal(0, 1, len(t)))
    noise -= np.convolve(noise, np.ones(400) / 400, 'same')
    snr = rng.uniform(12, 20)
    noise *= np.sqrt(np.mean(voice**2) / np.mean(noise**2) / 10 ** (snr / 10))
    return (0.2 * (voice + noise)).astype(np.float32)


def _images(spectrogram, rng, speakers, per_speaker):
    """``[M, 3, 1, F, L]`` images and ``[M]`` labels (1: rising), half each."""
    images, labels = [], []
    for f0 in speakers:
        for i in range(per_speaker):
            audio = _speaker_clip(rng, f0, rising=bool(i % 2))
            results = dict(audio=audio, audio_sample_rate=RATE, snippet_times=TIMES)
            images.append(spectrogram(results)['audios'])
            labels.append(i % 2)
    return torch.from_numpy(np.stack(images)), torch.tensor(labels)


def _accuracy_on_unseen_speakers(spectrogram: dict, seed: int) -> float:
    """Train the tiny config's audio branch for 400 steps on rising against falling
    voices of 4 speakers, 32 clips each (``spectrogram``: the front-end's config); the
    share of 30 clips by 3 other speakers it gets right."""
    init_default_scope('mmaction')
    cfg = Config.fromfile(AUDIO_CONFIG)
    front_end = TRANSFORMS.build(spectrogram)
    rng = np.random.default_rng(seed)
    train_x, train_y = _images(front_end, rng, (95.0, 125.0, 190.0, 235.0), 32)
    test_x, test_y = _images(front_end, rng, (108.0, 160.0, 212.0), 10)  # unseen voices

    torch.manual_seed(seed)
    cfg.model.cls_head.update(num_classes=2, num_snippets=len(TIMES), loss_metric=None)
    model = MODELS.build(cfg.model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(400):
        batch = torch.randperm(len(train_y))[:8]
        audio, _, _ = model.extract_feat(dict(audios=train_x[batch]))
        logits = model.cls_head(audio, None)['logits']
        loss = torch.nn.functional.cross_entropy(logits, train_y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        audio, _, _ = model.extract_feat(dict(audios=test_x))
        predicted = model.cls_head(audio, None)['logits'].argmax(dim=1)
    return (predicted == test_y).sum().item() / len(test_y)


def _median_over_seeds(spectrogram: dict, seeds: tuple[int, ...]) -> float:
    """One brief training decides little, and another CPU gives another float sum and so
    another run. With 200 steps, seeds 0-9 got at least 27 of 30 clips right 9 times on
    the CI machine they were first measured on and 5 times on a later one, an AMD EPYC (2
    threads; 7 times on one). With 400 steps, on the AMD EPYC, 8 of seeds 0-8 on 2 threads
    and all of seeds 0-3 on one did; the tests hold to the median of three."""
    return float(np.median([_accuracy_on_unseen_speakers(spectrogram, s) for s in seeds]))


def test_the_tiny_audio_branch_tells_rising_from_falling_on_unseen_speakers():
    shipped = Config.fromfile(AUDIO_CONFIG).spectrogram
    accuracy = _median_over_seeds(shipped, (0, 1, 2))
    assert accuracy >= 0.9, f'{accuracy:.2f} of 30 clips by unseen speakers (median of 3 seeds)'


@pytest.mark.slow
def test_without_the_pitch_reference_it_cannot_and_with_it_it_can_on_another_seed():
    """The measurement behind the tiny config's front-end (three seeds each way)."""
    shipped = Config.fromfile(AUDIO_CONFIG).spectrogram
    level_kept = dict(shipped, pitch_reference=None)
    assert _median_over_seeds(level_kept, (0, 1, 2)) <= 0.6
    assert _median_over_seeds(shipped, (3, 4, 5)) >= 0.9
