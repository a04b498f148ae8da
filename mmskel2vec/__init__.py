"""mmskel2vec: Skeleton2vec self-supervised pretraining for MMAction2.

Importing the package first applies the compatibility fixes for the
torch / mmengine / mmaction2 / numpy / setuptools stack (see
:mod:`mmskel2vec.compat`), then registers the models, transforms, datasets
and hooks in MMAction2's registries. Configs load it with
``custom_imports = dict(imports=['mmskel2vec'])``.
"""
from .compat import apply_compat_fixes

apply_compat_fixes()

from . import datasets, engine, models  # noqa: E402,F401
from .version import __version__  # noqa: E402

__all__ = ['__version__', 'apply_compat_fixes']
