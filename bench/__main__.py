"""`python -m bench [options]` (what `make bench` runs): every benchmark, each printing its figures and
their ratio to the baseline it measures in the same run. There are two: `bench.chat_fanout` (chat
messages reaching a big room, against a bare websocket server) and `bench.forum_pages` (forum pages
under concurrent load, against a bare Django page). `--only` runs some of them; `python -m bench
--help` describes them and their options."""

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import chat_fanout, forum_pages
from bench.report import log


@dataclass(frozen=True)
class Benchmark:
    add_arguments: Callable[[argparse.ArgumentParser], None]
    # Runs it with the parsed options; servers' output goes to files in the folder given.
    main: Callable[[argparse.Namespace, Path], None]


BENCHMARKS = {
    "chat": Benchmark(chat_fanout.add_arguments, chat_fanout.main),
    "forum": Benchmark(forum_pages.add_arguments, forum_pages.main),
}


def benchmark_names(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if unknown := set(names) - set(BENCHMARKS):
        raise argparse.ArgumentTypeError(f"unknown benchmarks: {', '.join(sorted(unknown))}")
    return names


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only",
        type=benchmark_names,
        default=list(BENCHMARKS),
        help=f"a comma-separated subset of {', '.join(BENCHMARKS)} (default: all)",
    )
    for benchmark in BENCHMARKS.values():
        benchmark.add_arguments(parser)
    args = parser.parse_args(argv)
    logs = Path(tempfile.mkdtemp(prefix="convene-bench-"))
    log(f"Server output goes to {logs}")
    for name in args.only:
        BENCHMARKS[name].main(args, logs)


main(sys.argv[1:])
