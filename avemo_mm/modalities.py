"""The modality names every part agrees on: a model's branches, a test run's inputs."""

# a model is built with both branches or with one (the unimodal ablations); an
# audio-visual model can also be run on one of them (test_cfg.modality)
MODALITIES = ('audio-visual', 'audio', 'video')
