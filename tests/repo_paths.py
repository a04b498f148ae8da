"""Paths of the checkout the tests run from.

``pytest.ini`` puts ``tests/`` on ``sys.path`` (``pythonpath``), so test
modules import these constants (``from repo_paths import REPO_ROOT``) where
a fixture does not fit, e.g. in ``pytest.mark.parametrize`` lists.
"""
import os.path as osp

#: Root of the repository checkout (configs/, tools/, mmskel2vec/).
REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
#: The shared copies of the real datasets, next to the checkout.
SHARED_DATA = osp.join(osp.dirname(REPO_ROOT), 'shared', 'data')
#: The demo pretraining config (embedded synthetic dataset).
DEMO_CONFIG = osp.join(
    REPO_ROOT, 'configs', 'skeleton2vec',
    'skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py')
