"""MMEngine's ``Pretrained`` initialization with an opt-in ``strict`` mode.

MMEngine's ``PretrainedInit`` loads with ``strict=False`` and only logs a
warning for missing keys, so a wrong checkpoint or prefix silently leaves a
randomly initialized backbone behind. :class:`StrictPretrainedInit` adds a
``strict`` argument: with ``strict=True`` a load that misses a key, has an
unexpected one or mismatches a shape raises :class:`PretrainedKeyError`
naming the keys, and nothing is loaded. Every downstream config of this
package writes ``init_cfg=dict(type='Pretrained', ..., strict=True)``.

It is registered in MMAction2's ``WEIGHT_INITIALIZERS`` under MMEngine's
name ``Pretrained`` because ``BaseModule.init_weights`` applies an init
named ``Pretrained`` *after* the submodules' own ``init_weights`` (any other
name runs first and is then overwritten, e.g. by ST-GCN's blocks). Without
``strict`` (the default, ``strict=False``) it is MMEngine's loader itself
(``super().__call__``), so configs that do not ask for strictness, MMAction2's
own among them, load exactly as without ``mmskel2vec``
(``tests/test_import_side_effects.py`` trains one and compares).
"""
from collections import OrderedDict
from typing import Dict, List, Mapping, Optional, Tuple

import torch
from mmengine.logging import print_log
from mmengine.model.weight_init import PretrainedInit, update_init_info
from torch import nn

from mmaction.registry import WEIGHT_INITIALIZERS

#: At most this many key names are listed per category in an error.
MAX_NAMED_KEYS = 20


class PretrainedKeyError(KeyError):
    """A checkpoint does not provide exactly the parameters of a module."""

    def __str__(self) -> str:
        # KeyError quotes its argument; show the message as written.
        return str(self.args[0]) if self.args else ''


def _name_keys(keys: List[str]) -> str:
    """Format a list of keys, shortened to :data:`MAX_NAMED_KEYS`."""
    shown = ', '.join(keys[:MAX_NAMED_KEYS])
    if len(keys) > MAX_NAMED_KEYS:
        shown += f', ... ({len(keys) - MAX_NAMED_KEYS} more)'
    return f'[{shown}]'


def select_prefix(state_dict: Mapping[str, torch.Tensor], prefix: str,
                  source: str) -> 'OrderedDict[str, torch.Tensor]':
    """Keep the entries under ``prefix`` and strip it from their names.

    Args:
        state_dict: Checkpoint weights.
        prefix: Submodule prefix such as ``'backbone.'`` (a missing trailing
            dot is added).
        source: Checkpoint name used in the error message.

    Returns:
        The selected entries without the prefix.

    Raises:
        PretrainedKeyError: If no key starts with the prefix; the message
            lists the top-level prefixes the checkpoint does have.
    """
    if not prefix.endswith('.'):
        prefix += '.'
    selected = OrderedDict((key[len(prefix):], value)
                           for key, value in state_dict.items()
                           if key.startswith(prefix))
    if not selected:
        heads = sorted({key.split('.', 1)[0] + '.' for key in state_dict})
        raise PretrainedKeyError(
            f'no key of {source} starts with {prefix!r}; its keys start '
            f'with {_name_keys(heads)}')
    return selected


def compare_state_dicts(
    expected: Mapping[str, torch.Tensor], given: Mapping[str, torch.Tensor]
) -> Tuple[List[str], List[str], List[str]]:
    """Missing keys, unexpected keys and shape mismatches of ``given``.

    Args:
        expected: The module's state dict.
        given: The checkpoint's (prefix-stripped) state dict.

    Returns:
        Sorted ``missing`` and ``unexpected`` key names, and
        ``'key: checkpoint shape vs module shape'`` strings for mismatches.
    """
    missing = sorted(set(expected) - set(given))
    unexpected = sorted(set(given) - set(expected))
    mismatched = [
        f'{key}: {tuple(given[key].shape)} in the checkpoint vs '
        f'{tuple(expected[key].shape)} in the model'
        for key in sorted(set(expected) & set(given))
        if hasattr(given[key], 'shape')
        and tuple(given[key].shape) != tuple(expected[key].shape)
    ]
    return missing, unexpected, mismatched


@WEIGHT_INITIALIZERS.register_module(name='Pretrained')
class StrictPretrainedInit(PretrainedInit):
    """Load a pretrained checkpoint; with ``strict``, demand an exact match.

    Same arguments as MMEngine's ``Pretrained`` init plus ``strict``. The
    checkpoint's ``state_dict`` (or the checkpoint itself when it has none)
    is reduced to the keys under ``prefix`` (prefix stripped; a leading
    ``module.`` of distributed checkpoints is removed first) and must then
    hold every parameter and buffer of the module, nothing else, with equal
    shapes; otherwise a :class:`PretrainedKeyError` names the offending
    keys and nothing is loaded.

    Args:
        checkpoint (str): Checkpoint file (or any URL MMEngine can load).
        prefix (str, optional): Submodule prefix in the checkpoint, e.g.
            ``'backbone.'`` or ``'teacher.'``. Defaults to None (the whole
            checkpoint).
        map_location (str): Where to map the tensors. Defaults to ``'cpu'``.
        strict (bool): Fail on any key difference. False (default) is
            MMEngine's warn-only loading.
    """

    def __init__(self,
                 checkpoint: str,
                 prefix: Optional[str] = None,
                 map_location: str = 'cpu',
                 strict: bool = False) -> None:
        super().__init__(checkpoint, prefix=prefix, map_location=map_location)
        self.strict = strict

    def load_weights(self) -> 'OrderedDict[str, torch.Tensor]':
        """Read the checkpoint and return the entries for the module."""
        from mmengine.runner.checkpoint import CheckpointLoader

        ckpt = CheckpointLoader.load_checkpoint(
            self.checkpoint, map_location=self.map_location)
        if not isinstance(ckpt, Mapping):
            raise PretrainedKeyError(
                f'{self.checkpoint} holds a {type(ckpt).__name__}, not a '
                'state dict')
        state_dict: Dict[str, torch.Tensor] = ckpt.get('state_dict', ckpt)
        state_dict = OrderedDict(
            (key[len('module.'):] if key.startswith('module.') else key,
             value) for key, value in state_dict.items())
        if self.prefix:
            return select_prefix(state_dict, self.prefix, self.checkpoint)
        return state_dict

    def __call__(self, module: nn.Module) -> None:
        """Load the weights into ``module`` or raise naming the bad keys."""
        if not self.strict:
            super().__call__(module)
            return
        source = self.checkpoint + (f' (prefix {self.prefix!r})'
                                    if self.prefix else '')
        print_log(f'load {type(module).__name__} strictly from {source}',
                  logger='current')
        state_dict = self.load_weights()
        missing, unexpected, mismatched = compare_state_dicts(
            module.state_dict(), state_dict)
        problems = []
        if missing:
            problems.append(f'{len(missing)} missing keys '
                            f'{_name_keys(missing)}')
        if unexpected:
            problems.append(f'{len(unexpected)} unexpected keys '
                            f'{_name_keys(unexpected)}')
        if mismatched:
            problems.append(f'{len(mismatched)} shape mismatches '
                            f'{_name_keys(mismatched)}')
        if problems:
            raise PretrainedKeyError(
                f'Pretrained init (strict) of {type(module).__name__} from '
                f'{source} '
                'does not match the model: ' + '; '.join(problems) +
                '. Nothing was loaded. Check the checkpoint and the prefix '
                "(strict=False in the init_cfg allows a deliberate partial "
                'load).')
        module.load_state_dict(state_dict, strict=True)
        if hasattr(module, '_params_init_info'):
            update_init_info(module, init_info=self.init_info())

    def init_info(self) -> str:
        """The line MMEngine logs for the weights this initialiser set."""
        return (f'{type(self).__name__}: load from {self.checkpoint}'
                + (f' (prefix {self.prefix!r})' if self.prefix else ''))
