"""Two CPU runs with the same seed: identical masks, losses and weights."""

import numpy as np
import pytest
import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner


class Record(Hook):
    """Masks, sample names and losses of every iteration."""

    def __init__(self):
        self.masks, self.names, self.losses = [], [], []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        samples = data_batch['data_samples']
        self.masks.append(np.stack([s.mask for s in samples]))
        self.names.append([s.frame_dir for s in samples])
        self.losses.append(float(outputs['loss'].detach()))


#: Model-side randomness (drop path, dropout) and two epochs on top of the
#: tiny demo run.
OPTIONS = {
    'model.backbone.drop_path_rate': 0.2, 'model.backbone.drop_rate': 0.1,
    'train_cfg.max_epochs': 2
}


@pytest.fixture(scope='session')
def run(tiny_demo_cfg):
    """``run(work_dir, seed)``: train the tiny demo; (record, weights)."""

    def train(work_dir, seed):
        cfg = tiny_demo_cfg(work_dir, OPTIONS, name='determinism')
        cfg.randomness = dict(seed=seed, diff_rank_seed=True)
        runner = Runner.from_cfg(cfg)
        record = Record()
        runner.register_hook(record)
        runner.train()
        return record, runner.model.state_dict()

    return train


@pytest.fixture(scope='module')
def first_run(tmp_path_factory, run):
    return run(tmp_path_factory.mktemp('seed0_a'), seed=0)


def test_same_seed_gives_identical_runs(first_run, tmp_path, run):
    record_a, weights_a = first_run
    record_b, weights_b = run(tmp_path, seed=0)
    assert record_a.names == record_b.names
    assert len(record_a.masks) == 6
    for mask_a, mask_b in zip(record_a.masks, record_b.masks):
        np.testing.assert_array_equal(mask_a, mask_b)
    assert record_a.losses == record_b.losses
    assert weights_a.keys() == weights_b.keys()
    for name, value in weights_a.items():
        assert torch.equal(value, weights_b[name]), name


def test_other_seed_gives_other_masks(first_run, tmp_path, run):
    record_a, _ = first_run
    record_c, _ = run(tmp_path, seed=1)
    assert record_a.names != record_c.names
    assert any(not np.array_equal(a, c)
               for a, c in zip(record_a.masks, record_c.masks))
    assert record_a.losses != record_c.losses
