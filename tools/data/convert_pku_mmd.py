#!/usr/bin/env python3
"""Convert PKU-MMD phase I/II skeletons and labels to an MMAction2 pkl.

Example::

    python tools/data/convert_pku_mmd.py --phase 1 \
        --skeleton-dir data/raw/pku_mmd/PKU_Skeleton_Renew \
        --label-dir data/raw/pku_mmd/Train_Label_PKU_final \
        --split-dir data/raw/pku_mmd/Split \
        --out data/skeleton/pku1_3d.pkl
"""
import argparse
import importlib.util
import os.path as osp
import sys

if importlib.util.find_spec('mmskel2vec') is None:
    sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))))

from mmskel2vec.datasets.converters import cli, convert_pku_mmd  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Convert PKU-MMD phase I or II into one MMAction2 '
        'skeleton annotation file. Every labelled action interval becomes '
        "one sample '<video>_<n>'; splits 'xsub_train', 'xsub_val', "
        "'xview_train', 'xview_val' come from the official split files.")
    parser.add_argument('--phase', type=int, choices=(1, 2), required=True,
                        help='PKU-MMD phase (1: 51 classes, 2: 41 classes)')
    parser.add_argument('--skeleton-dir', required=True,
                        help='folder with the <video>.txt skeleton files')
    parser.add_argument('--label-dir', required=True,
                        help='folder with the <video>.txt label files')
    parser.add_argument(
        '--split-dir',
        help='folder with the split files (phase 1: cross-subject.txt, '
        'cross-view.txt; phase 2: cross_subject_v2.txt, cross_view_v2.txt)')
    parser.add_argument('--xsub-split', help='cross-subject split file '
                        '(overrides --split-dir)')
    parser.add_argument('--xview-split', help='cross-view split file '
                        '(overrides --split-dir)')
    parser.add_argument(
        '--num-classes', type=int,
        help='accept action ids 1..N (default: 51 for phase 1, 41 for '
        'phase 2)')
    cli.add_common_args(parser, 'data/skeleton/pku{phase}_3d.pkl')
    args = parser.parse_args(argv)
    args.out = args.out.format(phase=args.phase)
    if not args.split_dir and not (args.xsub_split and args.xview_split):
        parser.error('give --split-dir, or both --xsub-split and '
                     '--xview-split')
    return args


def main(argv=None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    split_files = {}
    if args.xsub_split:
        split_files['xsub'] = args.xsub_split
    if args.xview_split:
        split_files['xview'] = args.xview_split
    return cli.run_converter(
        convert_pku_mmd, skeleton_dir=args.skeleton_dir,
        label_dir=args.label_dir, out_path=args.out, phase=args.phase,
        split_dir=args.split_dir, split_files=split_files,
        num_classes=args.num_classes, skip_bad=args.skip_bad,
        nproc=args.nproc, progress=not args.no_progress)


if __name__ == '__main__':
    sys.exit(main())
