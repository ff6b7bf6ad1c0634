"""~200 generated programs with unsupported constructs inserted at random places: each
must give ad.CompileError naming the marked line (from ad.grad and from ad.jvp), never
another exception. Known failures (compiler bugs) are listed in KNOWN_REJECT, with the same
strict rules as test_fuzz.py; regenerate with ``python -m tests.fuzz.test_reject --write``
(without ``--write`` it only prints the list). The programs are built on generator.py's, so
a change to the generator changes them too.
"""
import sys

import pytest

from . import check as C
from . import reject as R
from .run import program_seed

TEST_SEED = 20251
N_REJECT = 200
SEEDS = [program_seed(TEST_SEED, k) for k in range(N_REJECT)]

# program seed -> (failure signature, reason)
KNOWN_REJECT = {
}


def first_failure(results):
    for r in results:
        if r.status == "fail":
            return r
    return None


@pytest.mark.parametrize("pseed", SEEDS)
def test_rejected_program(pseed):
    program = R.generate_reject(pseed)
    results = R.check_reject(program)
    failure = first_failure(results)
    expected = KNOWN_REJECT.get(pseed)
    base = [r for r in results if r.status == "base"]
    if failure is None and base and expected is None:
        pytest.skip(f"the program fails the same way without the inserted constructs "
                    f"({base[0].category}); the valid-program fuzzer covers that")
    if failure is None:
        if expected is not None:
            pytest.fail(f"reject program seed {pseed} passes now (was: {expected[1]}); remove "
                        f"it from KNOWN_REJECT in {__file__}")
        return
    signature = f"{failure.api}: {failure.category}"
    if expected is not None and expected[0] == signature:
        pytest.xfail(expected[1])
    pytest.fail(f"reject program seed {pseed} ({', '.join(program.constructs)}) "
                f"[{failure.api}] {failure.category}:\n{failure.message}\n\n{program.source}")


def test_every_construct_is_generated():
    seen = set()          # generating is cheap: look at a larger batch than is compiled
    for pseed in [program_seed(TEST_SEED, k) for k in range(4 * N_REJECT)]:
        seen.update(R.generate_reject(pseed).constructs)
    missing = (set(R.SNIPPETS) | set(R.SIGNATURE_SNIPPETS)) - seen
    assert not missing, f"constructs never inserted in the batch: {sorted(missing)}"


if __name__ == "__main__":
    known = {}
    print("KNOWN_REJECT = {")
    for pseed in SEEDS:
        program = R.generate_reject(pseed)
        failure = first_failure(R.check_reject(program))
        if failure is not None:
            signature = f"{failure.api}: {failure.category}"
            known[pseed] = (signature, f"BUG: {failure.category} instead of a located CompileError "
                                       f"({', '.join(program.constructs)})")
            print(f"    {pseed}: {known[pseed]!r},", flush=True)
    print("}")
    if "--write" in sys.argv[1:]:
        from .test_fuzz import write_known
        write_known("KNOWN_REJECT", known, path=__file__)
        print(f"# written to {__file__}: {len(known)} entries")
    sys.exit(0)


def test_documented_refusals_are_documented():
    # a valid program refused with one of these messages counts as "rejected", not as a
    # failure: each must be a limitation docs/limitations.md states
    import pathlib
    text = (pathlib.Path(__file__).parents[2] / "docs" / "limitations.md").read_text()
    assert [r for r in C.DOCUMENTED_REFUSALS if r not in text] == []
