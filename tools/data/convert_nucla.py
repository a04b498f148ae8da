#!/usr/bin/env python3
"""Convert N-UCLA skeleton JSON files to an MMAction2 pkl.

Example::

    python tools/data/convert_nucla.py --data-dir ../shared/data/nw_ucla
"""
import argparse
import importlib.util
import os.path as osp
import sys

if importlib.util.find_spec('mmskel2vec') is None:
    sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))))

from mmskel2vec.datasets.converters import cli, convert_nucla  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Convert Northwestern-UCLA (N-UCLA) JSON skeletons into '
        'one MMAction2 skeleton annotation file with the cross-view split '
        "('xview_train': views 1-2, 'xview_val': view 3).")
    parser.add_argument('--data-dir', required=True,
                        help='the all_sqe folder, or the folder holding it')
    parser.add_argument(
        '--keep-single-frame', action='store_true',
        help='keep the two known one-frame sequences a02_s09_e04_v02/v03 '
        '(skipped by default)')
    cli.add_common_args(parser, 'data/skeleton/nucla_3d.pkl')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    return cli.run_converter(
        convert_nucla, data_dir=args.data_dir, out_path=args.out,
        keep_single_frame=args.keep_single_frame, skip_bad=args.skip_bad,
        nproc=args.nproc, progress=not args.no_progress)


if __name__ == '__main__':
    sys.exit(main())
