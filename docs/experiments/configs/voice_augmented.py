# The tiny voice-alone config with the voice's augmentations for recordings in its
# training pipeline (docs/experiments/audio-front-end.md): a random gain, pink noise at
# 5-30 dB SNR on half the clips, and SpecAugment's masks on half of them.
_base_ = ['../../../configs/avemo_tiny_ravdess_at.py']
augment = [dict(type='AudioGain'), dict(type='AudioNoise', snr_db=(5, 30))]
train_dataloader = dict(
    dataset=dict(
        pipeline=[
            _base_.sampling,
            dict(type='LoadAudio'),
            *augment,
            _base_.spectrogram,
            dict(type='SpectrogramMasks'),
            _base_.pack_audio,
        ]
    )
)
