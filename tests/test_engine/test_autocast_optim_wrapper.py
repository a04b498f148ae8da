"""AutocastOptimWrapper: bf16 autocast on CPU, refused where emulated."""
import time

import pytest
import torch
from torch import nn

from mmskel2vec.engine.optim_wrappers import autocast_optim_wrapper
from mmskel2vec.engine.optim_wrappers.autocast_optim_wrapper import \
    AutocastOptimWrapper
from mmskel2vec.utils import matmul_rate as probes


def wrapper(model, **kwargs):
    return AutocastOptimWrapper(
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1), **kwargs)


@pytest.fixture
def native(monkeypatch):
    """Pretend the probe found native bf16."""
    def fake(dtype, device, rates):
        rates.update(fp32=100.0, bfloat16=400.0)
        return False
    monkeypatch.setattr(autocast_optim_wrapper, 'dtype_is_emulated', fake)


@pytest.fixture
def emulated(monkeypatch):
    """Pretend the probe found emulated bf16."""
    def fake(dtype, device, rates):
        rates.update(fp32=140.0, bfloat16=1.3)
        return True
    monkeypatch.setattr(autocast_optim_wrapper, 'dtype_is_emulated', fake)


def test_forward_in_bf16_parameters_and_step_in_fp32(native):
    model = nn.Linear(8, 4)
    optim = wrapper(model)
    with optim.optim_context(model):
        out = model(torch.randn(2, 8))
    assert out.dtype == torch.bfloat16
    before = model.weight.detach().clone()
    optim.update_params(out.float().square().mean())
    assert model.weight.dtype == torch.float32
    assert not torch.equal(model.weight, before)


def test_emulated_bf16_is_refused_with_the_rates(emulated):
    with pytest.raises(RuntimeError, match='no native bf16') as err:
        wrapper(nn.Linear(2, 2))
    assert '1.3 GFLOP/s against 140.0 in fp32' in str(err.value)
    assert wrapper(nn.Linear(2, 2), allow_emulated=True).rates['fp32'] == 140


def test_only_bf16(native):
    with pytest.raises(ValueError, match='bfloat16 only'):
        wrapper(nn.Linear(2, 2), dtype='float16')


def test_probe_is_bounded_and_fp32_is_never_emulated():
    start = time.perf_counter()
    rate = probes.matmul_rate(torch.float32, size=64, budget_s=0.01)
    assert rate > 0 and time.perf_counter() - start < 5
    rates = {}
    assert not probes.dtype_is_emulated(torch.float32, rates=rates)
    assert rates['fp32'] > 0


def test_emulated_when_far_below_fp32(monkeypatch):
    monkeypatch.setattr(probes, 'matmul_rate', lambda dtype, device: {
        torch.float32: 100.0, torch.bfloat16: 1.0}[dtype])
    assert probes.dtype_is_emulated(torch.bfloat16)
    monkeypatch.setattr(probes, 'matmul_rate', lambda dtype, device: {
        torch.float32: 100.0, torch.bfloat16: 300.0}[dtype])
    assert not probes.dtype_is_emulated(torch.bfloat16)


def test_probes_run_on_one_cpu_thread(monkeypatch):
    """Oversubscribed OpenMP threads must not skew the fp32 probe."""
    seen = []
    monkeypatch.setattr(probes, 'matmul_rate', lambda dtype, device: (
        seen.append(torch.get_num_threads()) or 1.0))
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        probes.dtype_is_emulated(torch.bfloat16)
        assert seen == [1, 1]
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(threads)


def test_mixed_precision_picks_the_wrapper_per_device():
    """``--amp``'s config switch: AmpOptimWrapper on CUDA, autocast elsewhere."""
    from mmskel2vec.engine.optim_wrappers import mixed_precision
    base = dict(type='DivergenceGuardOptimWrapper', clip_grad=dict(
        max_norm=1.0), optimizer=dict(type='AdamW', lr=1e-3))
    cuda = mixed_precision(base, 'cuda')
    assert cuda == dict(base, type='AmpOptimWrapper', loss_scale='dynamic')
    assert mixed_precision(dict(base, loss_scale=512.0), 'cuda',
                           torch.bfloat16)['loss_scale'] == 512.0
    assert mixed_precision(base, 'cuda', torch.bfloat16)['dtype'] == \
        'bfloat16'
    cpu = mixed_precision(base, 'cpu')
    assert cpu == dict(base, type='AutocastOptimWrapper', device_type='cpu')
    assert base['type'] == 'DivergenceGuardOptimWrapper'  # not modified
