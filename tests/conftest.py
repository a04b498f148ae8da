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
