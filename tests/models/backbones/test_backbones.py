"""HaraResNet3d and SpectrogramResNet: shapes, and loading the published layouts."""

import pytest
import torch
from mmaction.registry import MODELS

import avemo_mm  # noqa: F401
from avemo_mm.models.backbones import HaraResNet3d, SpectrogramResNet


def _randomise(module):
    with torch.no_grad():
        for key, tensor in module.state_dict().items():
            if key.endswith('running_var'):
                tensor.copy_(torch.rand_like(tensor) + 0.5)  # variances are positive
            elif tensor.is_floating_point():
                tensor.copy_(torch.randn_like(tensor) * 0.1)


def test_hara_architecture_by_depth():
    model = MODELS.build(dict(type='HaraResNet3d', depth=18, base_channels=8))
    out = model(torch.randn(1, 3, 16, 64, 64))
    assert out.shape == (1, 64, 1, 2, 2)  # time / 16, space / 32
    deep = HaraResNet3d(depth=101)
    assert deep.out_channels == 2048
    assert sum(p.numel() for p in deep.parameters()) == pytest.approx(85.2e6, rel=0.002)
    assert deep.conv1.kernel_size == (7, 7, 7) and deep.conv1.stride == (1, 2, 2)
    assert deep.layer2[0].conv2.stride == (2, 2, 2)  # stages 2-4 stride 2 in time and space
    assert 'layer3.22.conv3.weight' in deep.state_dict()  # [3, 4, 23, 3] bottlenecks
    with pytest.raises(ValueError, match='depth must be one of'):
        HaraResNet3d(depth=42)


def test_hara_channels_last_on_the_cpu_changes_only_the_rounding():
    """The CPU forward convolves channels-last (for speed): same values and gradients
    as the plain layout up to float rounding, and a contiguous output for the neck."""
    from avemo_mm.models.backbones.resnet_blocks import run_stages

    torch.manual_seed(0)
    model = HaraResNet3d(depth=18, base_channels=8).eval()  # BN on fixed statistics
    x = torch.randn(2, 3, 4, 64, 64)
    out = model(x)
    grad = torch.autograd.grad(out.square().sum(), model.conv1.weight)[0]
    plain = run_stages(model, model.maxpool(model.relu(model.bn1(model.conv1(x)))))
    plain_grad = torch.autograd.grad(plain.square().sum(), model.conv1.weight)[0]
    assert out.is_contiguous()
    torch.testing.assert_close(out, plain, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(grad, plain_grad, rtol=1e-3, atol=1e-4)


def test_hara_convolves_channels_last_in_fp32_only():
    """Under bf16 autocast the stem sees the plain layout: oneDNN's bf16 weight gradient
    of a channels-last 3D convolution crashed or hung on an AMD EPYC with avx512_bf16."""
    model = HaraResNet3d(depth=18, base_channels=8)
    seen = []
    model.conv1.register_forward_hook(lambda m, inputs, out: seen.append(inputs[0]))
    x = torch.randn(2, 3, 4, 64, 64)
    model(x)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        model(x).float().sum().backward()
    assert seen[0].is_contiguous(memory_format=torch.channels_last_3d)
    assert seen[1].is_contiguous() and model.conv1.weight.grad is not None


@pytest.mark.parametrize('data_parallel', [False, True])
def test_hara_checkpoint_layout_loads_and_drops_the_classifier(tmp_path, data_parallel):
    source = HaraResNet3d(depth=18, base_channels=8)
    _randomise(source)
    state = dict(
        source.state_dict(), **{'fc.weight': torch.randn(700, 64), 'fc.bias': torch.randn(700)}
    )
    if data_parallel:
        state = {f'module.{k}': v for k, v in state.items()}
    path = tmp_path / 'r3d18_K_200ep.pth'
    torch.save(
        dict(
            epoch=200,
            arch='resnet-18',
            state_dict=state,
            optimizer=dict(state={}, param_groups=[dict(lr=0.1, params=[0])]),
            scheduler=dict(milestones={}, last_epoch=200),
        ),
        path,
    )
    model = MODELS.build(
        dict(type='HaraResNet3d', depth=18, base_channels=8, pretrained=str(path))
    )
    model.init_weights()
    for key, value in source.state_dict().items():
        assert torch.equal(model.state_dict()[key], value), key


def test_mismatching_checkpoint_is_a_clear_error(tmp_path):
    path = tmp_path / 'r3d34.pth'
    torch.save(dict(state_dict=HaraResNet3d(depth=34, base_channels=8).state_dict()), path)
    with pytest.raises(ValueError, match=r'r3d34.pth does not fit HaraResNet3d: unexpected'):
        HaraResNet3d(depth=18, base_channels=8, pretrained=str(path)).init_weights()
    torch.save(dict(state_dict=HaraResNet3d(depth=18, base_channels=16).state_dict()), path)
    with pytest.raises(
        ValueError, match=r'shape mismatch .*conv1.weight: file \(16, 3, 7, 7, 7\)'
    ):
        HaraResNet3d(depth=18, base_channels=8, pretrained=str(path)).init_weights()


def test_spectrogram_resnet_loads_torchvision_layout_summing_conv1(tmp_path):
    rgb = SpectrogramResNet(depth=18, in_channels=3)  # torchvision's names and shapes
    _randomise(rgb)
    state = dict(
        rgb.state_dict(), **{'fc.weight': torch.randn(1000, 512), 'fc.bias': torch.randn(1000)}
    )
    path = tmp_path / 'resnet18-f37072fd.pth'
    torch.save(state, path)  # torchvision files are bare state dicts
    model = MODELS.build(dict(type='SpectrogramResNet', pretrained=str(path)))
    model.init_weights()
    assert torch.allclose(model.conv1.weight, state['conv1.weight'].sum(dim=1, keepdim=True))
    assert torch.equal(model.layer4[1].bn2.running_var, state['layer4.1.bn2.running_var'])
    model.eval()  # a training-mode forward would update BN's running statistics
    rgb.eval()
    assert model(torch.randn(2, 1, 224, 224)).shape == (2, 512, 7, 7)
    grey = torch.randn(1, 1, 64, 64)
    assert torch.allclose(model(grey), rgb(grey.expand(1, 3, 64, 64)), atol=1e-4)
