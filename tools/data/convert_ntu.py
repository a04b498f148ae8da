#!/usr/bin/env python3
"""Convert NTU RGB+D 60/120 raw ``.skeleton`` files to an MMAction2 pkl.

Example::

    python tools/data/convert_ntu.py --version 60 \
        --skeleton-dir data/raw/nturgb+d_skeletons \
        --out data/skeleton/ntu60_3d.pkl --nproc 8
"""
import argparse
import importlib.util
import os.path as osp
import sys

if importlib.util.find_spec('mmskel2vec') is None:
    sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))))

from mmskel2vec.datasets.converters import cli, convert_ntu  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Convert NTU RGB+D 60 or 120 raw .skeleton files into '
        "one MMAction2 skeleton annotation file (splits 'xsub_train', "
        "'xsub_val' and 'xview_train', 'xview_val' for NTU-60 or "
        "'xset_train', 'xset_val' for NTU-120). At most two bodies are "
        'kept per sample (the most active ones); samples on the published '
        'missing-skeleton lists are skipped.')
    parser.add_argument('--version', type=int, choices=(60, 120),
                        required=True, help='NTU RGB+D 60 or 120')
    parser.add_argument(
        '--skeleton-dir', required=True,
        help='folder with the *.skeleton files (for 120: all S001-S032 '
        'files in one folder)')
    cli.add_common_args(parser, 'data/skeleton/ntu{version}_3d.pkl')
    args = parser.parse_args(argv)
    args.out = args.out.format(version=args.version)
    return args


def main(argv=None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    return cli.run_converter(
        convert_ntu, skeleton_dir=args.skeleton_dir, out_path=args.out,
        version=args.version, skip_bad=args.skip_bad, nproc=args.nproc,
        progress=not args.no_progress)


if __name__ == '__main__':
    sys.exit(main())
