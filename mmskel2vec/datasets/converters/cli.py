"""Command-line plumbing shared by the ``tools/data/convert_*.py`` scripts."""
import argparse
import sys
from typing import Any, Callable

from .common import ConversionError, ConversionReport

#: Exit status for bad input found in the dataset.
EXIT_BAD_INPUT = 1
#: Exit status for a missing path or an invalid option.
EXIT_USAGE = 2


def add_common_args(parser: argparse.ArgumentParser,
                    default_out: str) -> None:
    """Add ``--out``, ``--skip-bad``, ``--nproc`` and ``--no-progress``.

    Args:
        parser (argparse.ArgumentParser): The script's parser.
        default_out (str): Default output path.
    """
    parser.add_argument(
        '--out', default=default_out,
        help=f'output annotation file (default: {default_out})')
    parser.add_argument(
        '--skip-bad', action='store_true',
        help='leave out samples with bad input (corrupt or truncated files, '
        'NaN, all-zero or empty sequences, unknown action ids) and count '
        'them in the summary, instead of failing without writing anything')
    parser.add_argument('--nproc', type=int, default=1,
                        help='worker processes for parsing (default: 1)')
    parser.add_argument('--no-progress', action='store_true',
                        help='do not show the progress bar')


def run_converter(convert: Callable[..., ConversionReport],
                  **kwargs: Any) -> int:
    """Run a converter, print its summary and map failures to exit codes.

    Args:
        convert (Callable): A ``convert_*`` function.
        **kwargs: Arguments for ``convert``.

    Returns:
        int: 0 on success, :data:`EXIT_BAD_INPUT` when bad input was found,
        :data:`EXIT_USAGE` for a missing path or invalid option.
    """
    try:
        report = convert(**kwargs)
    except ConversionError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return EXIT_BAD_INPUT
    except (FileNotFoundError, NotADirectoryError, ValueError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return EXIT_USAGE
    print(report.format())
    return 0
