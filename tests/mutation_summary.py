"""``make mutation-results``: the score of the last mutation run, from mutmut's counts.

A mutant is caught when a test fails (killed) or hangs (timed out) with it in place. Mutants in
code that no fast unit test runs are counted apart: no test judged them.
"""

import json
import sys
from pathlib import Path


def summary(stats: dict[str, int]) -> str:
    """One sentence: how many mutants, how many caught, and the share of those the tests reach."""
    caught = stats["killed"] + stats["timeout"]
    reached = stats["total"] - stats["no_tests"] - stats["skipped"]
    return (
        f"{stats['total']} mutants: {caught} caught ({stats['killed']} killed, {stats['timeout']} timed out), "
        f"{stats['survived']} survived, {stats['no_tests']} in code no fast test runs; "
        f"{100 * caught / reached:.1f}% of the {reached} mutants the tests reach were caught"
    )


if __name__ == "__main__":
    print(summary(json.loads(Path(sys.argv[1] if len(sys.argv) > 1 else "mutants/mutmut-cicd-stats.json").read_text())))
