"""Registries of the ``mmskel2vec`` scope, children of MMAction2's.

A config inherited as ``_base_ = 'mmskel2vec::...'`` is built in the
``mmskel2vec`` scope: MMEngine imports this module and looks every ``type``
up here, then in the parent. Every module of the package registers in
MMAction2's registries (so ``default_scope = 'mmaction'`` configs find them),
and these children hold nothing themselves: a lookup here falls through to
MMAction2's registry of the same kind, then to MMEngine's.
"""
from mmengine.registry import Registry

from mmaction import registry as _mmaction_registry
from mmaction.utils import register_all_modules

# what MMEngine does for configs of the 'mmaction' scope: import MMAction2's
# modules (visualizers, metrics, ...) into its registries, our parents
register_all_modules(init_default_scope=False)

__all__ = []

for _name in dir(_mmaction_registry):
    _parent = getattr(_mmaction_registry, _name)
    if _name.isupper() and isinstance(_parent, Registry):
        # importing the package registers everything (in the parents)
        globals()[_name] = Registry(_parent.name, parent=_parent,
                                    scope='mmskel2vec',
                                    locations=['mmskel2vec'])
        __all__.append(_name)
