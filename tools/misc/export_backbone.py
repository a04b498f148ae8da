"""Export the encoder of a Skeleton2vec pretraining checkpoint.

Writes a plain backbone state dict that MMAction2 recognizers load with
``init_cfg=dict(type='Pretrained', checkpoint=OUT, prefix='backbone.',
strict=True)``
(or, with ``--bare``, without a prefix):

    python tools/misc/export_backbone.py work_dirs/<pretrain>/epoch_400.pth \
        work_dirs/<pretrain>/backbone.pth [--source teacher] [--bare]

``--source student`` takes the ``backbone.`` entries, ``--source teacher``
the EMA teacher's ``teacher.`` entries. A ``MaskedGCNEncoder`` (GCN
pretraining) is unwrapped: its ``encoder.`` entries become the plain GCN's
keys and the wrapper's own ``mask_token`` is dropped, so the file loads into
the stock ``STGCN``. The output is written atomically (temporary file, then
rename). A checkpoint without the requested entries fails with the prefixes
it does have.

``--joint-order SOURCE TARGET`` (layout names of
``mmskel2vec.datasets.layouts``) moves a ``SkeletonTransformer``'s joint
embeddings from the pretraining data's joint order to the downstream
data's, e.g. ``--joint-order nucla msr_action3d`` to fine-tune on MSR
Action3D an encoder pretrained on N-UCLA (the same 20 Kinect v1 joints in
another order).
"""
import argparse
import os
import os.path as osp
import sys
import tempfile
from collections import OrderedDict
from typing import Dict, Optional, Tuple

try:
    import mmskel2vec  # noqa: F401  (compat fixes: weights-only loading)
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    import mmskel2vec  # noqa: F401

import torch
from mmengine.runner.checkpoint import CheckpointLoader

from mmskel2vec.compat import apply_tool_fixes
from mmskel2vec.datasets.layouts import joint_permutation
from mmskel2vec.models.weight_init import select_prefix

#: Checkpoint prefix of each exportable encoder.
SOURCES = {'student': 'backbone.', 'teacher': 'teacher.'}
#: Submodule of ``MaskedGCNEncoder`` holding the plain GCN.
WRAPPED_ENCODER = 'encoder.'
#: The one joint-order dependent entry of a ``SkeletonTransformer``: its
#: joint position embedding ``(1, 1, V, D)``.
JOINT_EMBEDDING = 'pos_embed.spatial'


def reorder_joints(state_dict: Dict[str, torch.Tensor], source: str,
                   target: str) -> 'OrderedDict[str, torch.Tensor]':
    """Move a ``SkeletonTransformer``'s joint embeddings to another order.

    Args:
        state_dict: Encoder entries with the source prefix removed.
        source: Layout name of the pretraining data's joint order.
        target: Layout name of the downstream data's joint order.

    Returns:
        The entries with ``pos_embed.spatial`` permuted; the rest of the
        encoder does not depend on the joint order.

    Raises:
        KeyError: When the encoder has no joint embedding (e.g. ST-GCN,
            whose graph and batch norm are per joint).
        ValueError: When the layouts differ in joints or in number from
            the embedding.
    """
    if JOINT_EMBEDDING not in state_dict:
        raise KeyError(
            f'--joint-order needs a SkeletonTransformer encoder (a '
            f'{JOINT_EMBEDDING!r} entry); this one has none')
    order = joint_permutation(source, target)
    table = state_dict[JOINT_EMBEDDING]
    if table.shape[2] != len(order):
        raise ValueError(f'the encoder embeds {table.shape[2]} joints, the '
                         f'layouts have {len(order)}')
    reordered = OrderedDict(state_dict)
    reordered[JOINT_EMBEDDING] = table[:, :, order].clone()
    return reordered


def unwrap_encoder(
        state_dict: Dict[str, torch.Tensor]
) -> Tuple['OrderedDict[str, torch.Tensor]', bool]:
    """Strip a ``MaskedGCNEncoder`` down to its inner encoder's keys.

    Args:
        state_dict: Encoder entries with the source prefix removed.

    Returns:
        The (possibly) unwrapped state dict and whether it was unwrapped: it
        is when the entries are ``mask_token`` plus ``encoder.*`` only.
    """
    inner = [k for k in state_dict if k.startswith(WRAPPED_ENCODER)]
    outer = [k for k in state_dict if not k.startswith(WRAPPED_ENCODER)]
    if not inner or set(outer) != {'mask_token'}:
        return OrderedDict(state_dict), False
    return OrderedDict((k[len(WRAPPED_ENCODER):], state_dict[k])
                       for k in inner), True


def export_backbone(checkpoint: str,
                    out: str,
                    source: str = 'student',
                    out_prefix: Optional[str] = 'backbone.',
                    unwrap: bool = True,
                    joint_order: Optional[Tuple[str, str]] = None
                    ) -> Dict[str, object]:
    """Export the student or teacher encoder of ``checkpoint`` to ``out``.

    Args:
        checkpoint: Pretraining checkpoint (MMEngine runner checkpoint).
        out: Output ``.pth`` path.
        source: ``'student'`` or ``'teacher'``.
        out_prefix: Prefix of the output keys (``'backbone.'``), or None
            for bare keys.
        unwrap: Unwrap a ``MaskedGCNEncoder`` to its plain encoder.
        joint_order: ``(source, target)`` layout names: reorder the joint
            embeddings from the pretraining data's order to the downstream
            data's (:func:`reorder_joints`).

    Returns:
        A summary: ``num_keys``, ``num_params``, ``unwrapped``, ``out``.

    Raises:
        ValueError: For an unknown source.
        KeyError: If the checkpoint has no entries for the source.
    """
    if source not in SOURCES:
        raise ValueError(f'source must be one of {sorted(SOURCES)}, got '
                         f'{source!r}')
    ckpt = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    state_dict = ckpt.get('state_dict', ckpt)
    weights = select_prefix(state_dict, SOURCES[source], checkpoint)
    unwrapped = False
    if unwrap:
        weights, unwrapped = unwrap_encoder(weights)
    if joint_order is not None:
        weights = reorder_joints(weights, *joint_order)
    prefix = out_prefix or ''
    exported = OrderedDict(
        (prefix + k, v.detach().clone()) for k, v in weights.items())
    meta = dict(
        source_checkpoint=osp.abspath(checkpoint),
        source=source,
        key_prefix=prefix,
        joint_order=list(joint_order) if joint_order else None,
        unwrapped_masked_gcn_encoder=unwrapped,
        mmskel2vec_version=mmskel2vec.__version__)
    folder = osp.dirname(osp.abspath(out))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix='.pth.tmp')
    os.close(fd)
    try:
        torch.save(dict(state_dict=exported, meta=meta), tmp)
        os.replace(tmp, out)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
    num_params = sum(v.numel() for v in exported.values()
                     if v.is_floating_point())
    return dict(num_keys=len(exported), num_params=num_params,
                unwrapped=unwrapped, out=out)


def parse_args() -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(
        description='Export the encoder of a Skeleton2vec checkpoint')
    parser.add_argument('checkpoint', help='pretraining checkpoint')
    parser.add_argument('out', help='output .pth file')
    parser.add_argument(
        '--source',
        choices=sorted(SOURCES),
        default='student',
        help="'student' (backbone.) or 'teacher' (teacher.: the EMA copy)")
    parser.add_argument(
        '--bare',
        action='store_true',
        help="write bare keys instead of 'backbone.'-prefixed ones")
    parser.add_argument(
        '--no-unwrap',
        action='store_true',
        help='keep a MaskedGCNEncoder wrapper (mask_token, encoder.*)')
    parser.add_argument(
        '--joint-order',
        nargs=2,
        metavar=('SOURCE', 'TARGET'),
        help='reorder the joint embeddings from the layout of the '
        'pretraining data to that of the downstream data, e.g. '
        '`nucla msr_action3d` (SkeletonTransformer encoders)')
    return parser.parse_args()


def main() -> None:
    """Export and print a one-line summary."""
    args = parse_args()
    apply_tool_fixes()  # a URL checkpoint loads weights-only too
    try:
        info = export_backbone(
            args.checkpoint,
            args.out,
            source=args.source,
            out_prefix=None if args.bare else 'backbone.',
            unwrap=not args.no_unwrap,
            joint_order=tuple(args.joint_order) if args.joint_order else None)
    except (KeyError, ValueError, FileNotFoundError) as err:
        sys.exit(f'export_backbone: {err}')
    print(f"Exported the {args.source} encoder ({info['num_keys']} tensors, "
          f"{info['num_params']:,} parameters"
          f"{', unwrapped from MaskedGCNEncoder' if info['unwrapped'] else ''}"
          f") to {info['out']}")


if __name__ == '__main__':
    main()
