"""Install script for mmskel2vec."""
import os.path as osp

from setuptools import find_packages, setup


def read_version() -> str:
    """Read ``__version__`` from ``mmskel2vec/version.py`` without importing."""
    namespace: dict = {}
    with open(osp.join(osp.dirname(__file__), 'mmskel2vec', 'version.py')) as f:
        exec(f.read(), namespace)
    return namespace['__version__']


setup(
    name='mmskel2vec',
    version=read_version(),
    description='Skeleton2vec self-supervised pretraining for MMAction2',
    long_description=open('README.md', encoding='utf-8').read()
    if osp.exists('README.md') else '',
    long_description_content_type='text/markdown',
    packages=find_packages(include=['mmskel2vec', 'mmskel2vec.*']),
    # configs and tools travel inside the package as OpenMMLab packages do
    # (mmskel2vec/.mim/{configs,tools} link to the top-level folders), so
    # `_base_ = 'mmskel2vec::skeleton2vec/...'` works from any project
    package_data={'mmskel2vec': [
        '.mim/model-index.yml', '.mim/configs/**/*.py',
        '.mim/configs/**/*.yml', '.mim/tools/**/*.py', '.mim/tools/**/*.sh'
    ]},
    python_requires='>=3.9',
    # Honest ranges: what this code is written against. mmaction2 1.2.0
    # refuses mmcv >= 2.2.0; the skeleton path needs no compiled mmcv ops, so
    # mmcv-lite is enough. The exact tested set lives in requirements.txt.
    install_requires=[
        'torch>=2.1',
        'mmengine>=0.10.0,<1.0',
        'mmcv-lite>=2.0.0,<2.2.0',
        'mmaction2>=1.2.0,<1.3',
        'importlib_metadata',
        'numpy',
        'scipy',
        'matplotlib',
        'scikit-learn',
    ],
    extras_require={'tests': ['pytest>=7']},  # pytest.ini's pythonpath
    license='Apache License 2.0',
    zip_safe=False,
)
