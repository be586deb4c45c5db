"""`python -m bench [options]` (what `make bench` runs): every benchmark, each printing its figures and
their ratio to the baseline it measures in the same run. So far there is one, `bench.chat_fanout`;
`python -m bench --help` describes it and its options."""

import sys

from bench import chat_fanout

chat_fanout.main(sys.argv[1:])
