"""A fuzzer for adcompiler (no Hypothesis: a seeded generator of our own).

- generator.py: random valid, well-conditioned programs (scalars, loops, branches, arrays,
  helpers) with their arguments;
- check.py: checks one program with ad.testing.check_grads per mode and backend, away from
  kinks (finite differences at two step sizes and one-sided must agree, else inputs are
  redrawn or the program is skipped);
- shrink.py: greedy shrinking of a failing program, and regression files;
- reject.py: programs with unsupported constructs inserted, which must give a located
  CompileError;
- regressions.py: replays tests/fuzz/regressions/*.py;
- run.py: the command line (`make fuzz N=... SEED=...`, or
  `python -m tests.fuzz.run --n N --seed S [--backends python,numba] [--kind valid|reject|both]`);
- test_fuzz.py, test_reject.py: the seeded batches and the regressions inside `make test`.
"""
