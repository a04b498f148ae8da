#!/usr/bin/env python3
"""Convert MSR Action3D real-world skeletons to an MMAction2 pkl.

Example::

    python tools/data/convert_msr_action3d.py \
        --data-dir ../shared/data/msr_action3d
"""
import argparse
import importlib.util
import os.path as osp
import sys

if importlib.util.find_spec('mmskel2vec') is None:
    sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))))

from mmskel2vec.datasets.converters import (cli,  # noqa: E402
                                            convert_msr_action3d)


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Convert MSR Action3D skeletons (real-world '
        'coordinates) into one MMAction2 skeleton annotation file with the '
        "cross-subject split ('xsub_train': odd subjects, 'xsub_val': even "
        'subjects). By default only the 557 sequences of '
        'files_used_in_cvpr12_paper.txt are converted.')
    parser.add_argument(
        '--data-dir', required=True,
        help='dataset root holding real_world_coordinates/ and '
        'files_used_in_cvpr12_paper.txt (or the real_world_coordinates '
        'folder itself)')
    parser.add_argument('--id-list',
                        help='sequence id list to use instead of '
                        'files_used_in_cvpr12_paper.txt')
    parser.add_argument('--all-files', action='store_true',
                        help='convert every file, not only the listed ones')
    cli.add_common_args(parser, 'data/skeleton/msr_action3d_3d.pkl')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    return cli.run_converter(
        convert_msr_action3d, data_dir=args.data_dir, out_path=args.out,
        id_list=args.id_list, use_all_files=args.all_files,
        skip_bad=args.skip_bad, nproc=args.nproc,
        progress=not args.no_progress)


if __name__ == '__main__':
    sys.exit(main())
