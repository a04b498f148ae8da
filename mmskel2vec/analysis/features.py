"""Pooled backbone features of a recognizer config, for t-SNE plots."""
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch

from ..models.weight_init import compare_state_dicts, select_prefix


def load_backbone(model: torch.nn.Module, checkpoint: str,
                  prefix: str = 'backbone.') -> None:
    """Load ``model.backbone`` from ``checkpoint`` (exact match required).

    Works with downstream checkpoints and with pretraining checkpoints
    (``backbone.`` = student, ``teacher.`` = EMA teacher).

    Raises:
        KeyError: Naming the keys when the backbone does not match.
    """
    from mmengine.runner.checkpoint import CheckpointLoader

    ckpt = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    weights = select_prefix(ckpt.get('state_dict', ckpt), prefix, checkpoint)
    missing, unexpected, mismatched = compare_state_dicts(
        model.backbone.state_dict(), weights)
    if missing or unexpected or mismatched:
        raise KeyError(f'{checkpoint} ({prefix!r}) does not match the '
                       f'backbone: missing {missing[:10]}, unexpected '
                       f'{unexpected[:10]}, mismatched {mismatched[:10]}')
    model.backbone.load_state_dict(weights, strict=True)


def _annotation_classes(ann_file: str) -> Optional[List[str]]:
    """``class_names`` stored in an annotation file by our converters."""
    import os.path as osp
    import pickle

    if not ann_file or not osp.isfile(ann_file):
        return None
    with open(ann_file, 'rb') as f:
        data = pickle.load(f)
    names = data.get('class_names') if isinstance(data, dict) else None
    return [str(n) for n in names] if names else None


@torch.no_grad()
def extract_pooled_features(
        config: str,
        checkpoint: Optional[str],
        split: str = 'test',
        max_samples: int = 1000,
        prefix: str = 'backbone.',
        cfg_options: Optional[dict] = None
) -> Tuple[np.ndarray, np.ndarray, Sequence[str]]:
    """Backbone features averaged over tokens, persons and clips.

    Args:
        config: A recognizer config (e.g. a linear-probe config).
        checkpoint: Checkpoint with the backbone; None keeps the random
            initialization (``init_weights`` without the ``Pretrained``
            init).
        split: ``'test'`` or ``'val'``: which dataloader of the config.
        max_samples: Stop after this many samples.
        prefix: Backbone prefix in the checkpoint.
        cfg_options: Config overrides.

    Returns:
        Features ``(N, C)``, labels ``(N,)`` and the class names.
    """
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner

    from mmaction.registry import MODELS

    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    backbone_cfg = cfg.model.backbone
    backbone_cfg.pop('init_cfg', None)  # loaded below, or left random
    model = MODELS.build(cfg.model)
    if checkpoint:
        load_backbone(model, checkpoint, prefix)
    else:
        model.init_weights()
    model.eval()
    loader_cfg = cfg.get(f'{split}_dataloader')
    loader_cfg.update(num_workers=0, persistent_workers=False)
    loader = Runner.build_dataloader(loader_cfg)
    feats: List[np.ndarray] = []
    labels: List[int] = []
    for batch in loader:
        data = model.data_preprocessor(batch, False)
        inputs = data['inputs']
        num, clips = inputs.shape[:2]
        x, _ = model.extract_feat(inputs, stage='backbone')
        pooled = x.mean(dim=(3, 4)).mean(dim=1).reshape(num, clips, -1)
        feats.append(pooled.mean(1).float().cpu().numpy())
        labels.extend(int(s.gt_label.item()) for s in data['data_samples'])
        if len(labels) >= max_samples:
            break
    classes = loader.dataset.metainfo.get('classes') or _annotation_classes(
        getattr(loader.dataset, 'ann_file', '')) or [
            str(c) for c in range(max(labels) + 1)]
    return (np.concatenate(feats)[:max_samples],
            np.asarray(labels[:max_samples]), classes)
