"""Layer-wise learning-rate decay for fine-tuning pretrained encoders."""
import re
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from mmengine.logging import print_log
from mmengine.optim import DefaultOptimWrapperConstructor
from torch import nn

from mmaction.registry import OPTIM_WRAPPER_CONSTRUCTORS

#: Backbone submodules counted as the input layer (depth 0).
EMBED_NAMES = ('patch_embed', 'pos_embed', 'cls_token', 'mask_token',
               'data_bn')
#: Module lists whose ``i``-th entry is layer ``i + 1``.
BLOCK_NAMES = ('blocks', 'gcn')
#: Parameters never decayed, besides every 1-D tensor (norms, biases).
NO_DECAY_NAMES = ('pos_embed', 'mask_token', 'cls_token')


def _block_index(parts: Sequence[str],
                 block_names: Iterable[str]) -> Optional[int]:
    """Index ``i`` of the first ``<block_name>.<i>`` in a dotted name."""
    names = set(block_names)
    for first, second in zip(parts, parts[1:]):
        if first in names and second.isdigit():
            return int(second)
    return None


def get_layer_depth(name: str,
                    num_layers: int,
                    backbone_prefix: str = 'backbone.',
                    block_names: Iterable[str] = BLOCK_NAMES,
                    embed_names: Iterable[str] = EMBED_NAMES) -> int:
    """Depth of a parameter for layer-wise learning-rate decay.

    Inside the backbone, embeddings (``patch_embed``, ``pos_embed``,
    ``data_bn`` ...) are depth 0 and the parameters of ``blocks.i`` (or
    ``gcn.i`` for MMAction2's GCNs) depth ``i + 1``; everything else (the
    final norm) and every parameter outside the backbone (the head) is depth
    ``num_layers + 1``.

    Args:
        name: Parameter name in the model, e.g. ``backbone.blocks.3.mlp.0.
            weight``.
        num_layers: Number of blocks ``L`` of the backbone.
        backbone_prefix: Prefix of the backbone's parameters.
        block_names: Names of the block lists.
        embed_names: Names of the input-layer submodules.

    Returns:
        The depth in ``[0, num_layers + 1]``.
    """
    if not name.startswith(backbone_prefix):
        return num_layers + 1
    parts = name[len(backbone_prefix):].split('.')
    index = _block_index(parts, block_names)
    if index is not None:
        return min(index + 1, num_layers + 1)
    if set(parts) & set(embed_names):
        return 0
    return num_layers + 1


def count_layers(names: Iterable[str],
                 backbone_prefix: str = 'backbone.',
                 block_names: Iterable[str] = BLOCK_NAMES) -> int:
    """Number of blocks: one more than the largest block index found."""
    indices = [
        _block_index(name[len(backbone_prefix):].split('.'), block_names)
        for name in names if name.startswith(backbone_prefix)
    ]
    indices = [i for i in indices if i is not None]
    if not indices:
        raise ValueError(
            f'no parameter under {backbone_prefix!r} belongs to a block list '
            f'{tuple(block_names)}; set paramwise_cfg.num_layers and '
            'block_names')
    return max(indices) + 1


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class LayerDecayOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """Optimizer with layer-wise lr decay and no decay on norms/embeddings.

    A parameter at depth ``d`` (see :func:`get_layer_depth`) of a backbone
    with ``L`` blocks trains with ``lr * layer_decay_rate ** (L + 1 - d)``:
    the head and final norm with the base lr, block ``L`` with ``lr *
    rate``, ..., the embeddings with ``lr * rate ** (L + 1)``. One-
    dimensional parameters (norm weights, biases) and position embeddings,
    mask and class tokens get no weight decay. Frozen parameters are left
    out. Parameters are grouped by (depth, decay), head first, so the lr
    logged by MMEngine (that of the first group) is the base lr.

    ``paramwise_cfg`` keys:

    - ``layer_decay_rate`` (float): the decay per layer. Defaults to 0.8.
    - ``num_layers`` (int, optional): ``L``; counted from the parameter
      names when omitted.
    - ``backbone_prefix`` (str): Defaults to ``'backbone.'``.
    - ``block_names`` / ``embed_names`` / ``no_decay_names`` (list[str]):
      override :data:`BLOCK_NAMES`, :data:`EMBED_NAMES`,
      :data:`NO_DECAY_NAMES`.

    Args:
        optim_wrapper_cfg (dict): Optimizer wrapper config with
            ``optimizer``.
        paramwise_cfg (dict, optional): See above.
    """

    def __init__(self,
                 optim_wrapper_cfg: dict,
                 paramwise_cfg: Optional[dict] = None) -> None:
        paramwise_cfg = dict(paramwise_cfg or {})
        paramwise_cfg.setdefault('layer_decay_rate', 0.8)
        super().__init__(optim_wrapper_cfg, paramwise_cfg)
        rate = self.paramwise_cfg['layer_decay_rate']
        if not 0.0 < rate <= 1.0:
            raise ValueError(f'layer_decay_rate must be in (0, 1], got {rate}')
        if self.base_lr is None:
            raise ValueError('LayerDecayOptimWrapperConstructor needs '
                             'optimizer.lr')

    def param_groups(self, model: nn.Module) -> List[Dict]:
        """Group the trainable parameters of ``model`` by depth and decay.

        Args:
            model: The model (e.g. a ``RecognizerGCN``).

        Returns:
            Parameter groups with ``params``, ``lr``, ``weight_decay``,
            ``lr_scale``, ``layer_depth`` and ``param_names``.
        """
        cfg = self.paramwise_cfg
        prefix = cfg.get('backbone_prefix', 'backbone.')
        block_names = tuple(cfg.get('block_names', BLOCK_NAMES))
        embed_names = tuple(cfg.get('embed_names', EMBED_NAMES))
        no_decay_names = tuple(cfg.get('no_decay_names', NO_DECAY_NAMES))
        named = [(n, p) for n, p in model.named_parameters()
                 if p.requires_grad]
        num_layers = cfg.get('num_layers') or count_layers(
            [n for n, _ in named], prefix, block_names)
        rate = cfg['layer_decay_rate']
        base_wd = self.base_wd or 0.0
        groups: Dict[Tuple[int, bool], Dict] = {}
        for name, param in named:
            depth = get_layer_depth(name, num_layers, prefix, block_names,
                                    embed_names)
            decay = param.ndim > 1 and not any(
                re.search(rf'(^|\.){key}(\.|$)', name)
                for key in no_decay_names)
            scale = rate**(num_layers + 1 - depth)
            group = groups.setdefault(
                (depth, decay),
                dict(
                    params=[],
                    param_names=[],
                    lr=self.base_lr * scale,
                    lr_scale=scale,
                    layer_depth=depth,
                    weight_decay=base_wd if decay else 0.0))
            group['params'].append(param)
            group['param_names'].append(name)
        ordered = [groups[key] for key in sorted(
            groups, key=lambda k: (-k[0], not k[1]))]
        summary = ', '.join(
            f"d{g['layer_depth']}{'' if g['weight_decay'] else '/no-wd'}:"
            f"{len(g['params'])}x{g['lr_scale']:.3g}" for g in ordered)
        print_log(
            f'layer-wise lr decay {rate} over {num_layers} layers; groups '
            f'(depth: params x lr scale): {summary}',
            logger='current')
        return ordered

    def add_params(self,
                   params: List[Dict],
                   module: nn.Module,
                   prefix: str = '',
                   is_dcn_module=None) -> None:
        """Fill ``params`` with the layer-decay groups of ``module``."""
        params.extend(self.param_groups(module))
