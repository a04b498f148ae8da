"""Shared pytest fixtures."""
import uuid
from typing import Callable, Optional

import pytest

from repo_paths import DEMO_CONFIG, REPO_ROOT
from tiny_demo import TINY_DEMO


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


@pytest.fixture(scope='session')
def tiny_runner(tiny_demo_cfg: Callable) -> Callable:
    """Factory of runners of :func:`tiny_demo_cfg`'s configs.

    ``tiny_runner(work_dir, options=None, name='tiny')`` builds a ``Runner``
    (not yet trained) from ``tiny_demo_cfg(work_dir, options, name)``; a
    dict option with ``_delete_=True`` replaces the config's dict instead
    of merging into it (e.g. another ``default_hooks.checkpoint``).
    """
    from mmengine.runner import Runner

    def build(work_dir, options: Optional[dict] = None, name: str = 'tiny'):
        return Runner.from_cfg(tiny_demo_cfg(work_dir, options, name))

    return build
