"""Shared pytest fixtures."""
import uuid
from typing import Callable, Optional

import pytest

from repo_paths import DEMO_CONFIG, REPO_ROOT


@pytest.fixture(autouse=True, scope='session')
def _mmaction_scope():
    """Register everything and make 'mmaction' the default scope."""
    import mmskel2vec  # noqa: F401
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')


@pytest.fixture(scope='session')
def demo_config() -> str:
    """Path of the demo pretraining config (embedded synthetic dataset)."""
    return DEMO_CONFIG


@pytest.fixture(scope='session')
def repo_root() -> str:
    """Root of the repository checkout (configs/, tools/)."""
    return REPO_ROOT


#: Settings that shrink the demo pretraining config to a run of seconds: a
#: 1-block, 16-wide encoder and decoder on 12 synthetic clips, 3 iterations
#: of batch 4 per epoch, one epoch, a log line every iteration.
TINY_DEMO = {
    'model.backbone.depth': 1, 'model.backbone.embed_dims': 16,
    'model.backbone.num_heads': 2, 'model.head.in_channels': 16,
    'model.head.embed_dims': 16, 'model.head.depth': 1,
    'model.head.num_heads': 2, 'model.target_generator.top_k': 1,
    'train_dataloader.dataset.num_samples': 12,
    'train_dataloader.batch_size': 4, 'train_dataloader.num_workers': 0,
    'train_dataloader.persistent_workers': False,
    'train_cfg.max_epochs': 1, 'default_hooks.logger.interval': 1
}


@pytest.fixture(scope='session')
def tiny_demo_cfg(demo_config: str) -> Callable:
    """Factory of tiny demo configs for tests that build a runner.

    ``tiny_demo_cfg(work_dir, options=None, name='tiny')`` returns the demo
    config with ``TINY_DEMO`` and then ``options`` (dotted keys, as
    ``Config.merge_from_dict`` takes them) merged in, writing to
    ``work_dir`` under a fresh experiment name.
    """
    from mmengine.config import Config

    def make(work_dir, options: Optional[dict] = None,
             name: str = 'tiny') -> Config:
        cfg = Config.fromfile(demo_config)
        cfg.merge_from_dict(TINY_DEMO)
        cfg.merge_from_dict(options or {})
        cfg.work_dir = str(work_dir)
        cfg.experiment_name = f'{name}_{uuid.uuid4().hex}'
        return cfg

    return make
