"""Fuzz regression: a return in the else of an inner loop was lost (silently wrong value)

The outer loop did not see the return inside the inner loop's else clause (desugaring looked
for returns in loop bodies only), so it went on after it: 1.4 instead of Python's 0.7.
Fixed: loop else clauses are searched too.

Found by python -m tests.fuzz.run --seed 101 (program seed 101002535).
Observed:
    GradientCheckError: f: value from jvp:
      derivative:          1.7164367150869322
      finite differences:  0.6759566000000001
"""
def f(np_, n1, x2):
    for i5, e4 in enumerate(range(n1, 1, -1)):
        for e6, k1_ in zip(range(1, np_), range(np_)):
            pass
        else:
            return 0.7
    s19 = x2
    return s19

# signature: python wrong result | value from jvp | Assign For FunctionDef Pass Return enumerate range zip


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0, 2, 1.4)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
