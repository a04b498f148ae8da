#!/usr/bin/env python3
"""Convert UTD-MHAD skeleton ``.mat`` files to an MMAction2 pkl.

Example::

    python tools/data/convert_utd_mhad.py --data-dir ../shared/data/utd_mhad
"""
import argparse
import importlib.util
import os.path as osp
import sys

if importlib.util.find_spec('mmskel2vec') is None:
    sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))))

from mmskel2vec.datasets.converters import cli, convert_utd_mhad  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Convert UTD-MHAD Kinect skeletons (.mat) into one '
        'MMAction2 skeleton annotation file with the cross-subject split '
        "('xsub_train': subjects 1, 3, 5, 7; 'xsub_val': 2, 4, 6, 8).")
    parser.add_argument('--data-dir', required=True,
                        help='the Skeleton folder, or the folder holding it')
    cli.add_common_args(parser, 'data/skeleton/utd_mhad_3d.pkl')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    return cli.run_converter(
        convert_utd_mhad, data_dir=args.data_dir, out_path=args.out,
        skip_bad=args.skip_bad, nproc=args.nproc,
        progress=not args.no_progress)


if __name__ == '__main__':
    sys.exit(main())
