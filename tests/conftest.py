"""Shared pytest fixtures."""
import os.path as osp

import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SHARED_DATA = osp.join(osp.dirname(REPO_ROOT), 'shared', 'data')


@pytest.fixture(autouse=True, scope='session')
def _mmaction_scope():
    """Register everything and make 'mmaction' the default scope."""
    import mmskel2vec  # noqa: F401
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')


@pytest.fixture(scope='session')
def demo_config() -> str:
    """Path of the demo pretraining config (embedded synthetic dataset)."""
    return osp.join(
        REPO_ROOT, 'configs', 'skeleton2vec',
        'skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py')


@pytest.fixture(scope='session')
def repo_root() -> str:
    """Root of the repository checkout (configs/, tools/)."""
    return REPO_ROOT
