"""Fuzz regression: VerifierError in verifier.py:use (python reverse)

Found by python -m tests.fuzz.run --seed 21 (program seed 21000213).
Observed:
    VerifierError: f_vjp/if.else/for.body/if.then/add: %bp2.48447 used before definition or out of scope
      File "/work/wt-fuzzgen/adcompiler/ir/verifier.py", line 37, in check_block
        check_block(stmt.else_body, scope, n, f"{where}/if.else")
      File "/work/wt-fuzzgen/adcompiler/ir/verifier.py", line 46, in check_block
        check_block(stmt.body, scope | {stmt.index, *stmt.args}, len(stmt.args), f"{where}/for.body")
      File "/work/wt-fuzzgen/adcompiler/ir/verifier.py", line 36, in check_block
        check_block(stmt.then_body, scope, n, f"{where}/if.then")
      File "/work/wt-fuzzgen/adcompiler/ir/verifier.py", line 29, in check_block
        use(a, scope, f"{where}/{stmt.prim}")
      File "/work/wt-fuzzgen/adcompiler/ir/verifier.py", line 22, in use
        raise VerifierError(f"{where}: {atom!r} used before definition or out of scope")
    adcompiler.ir.verifier.VerifierError: f_vjp/if.else/for.body/if.then/add: %bp2.48447 used before definition or out of scope
"""
def h0(p0, p1, p2=0.14):
    for i4 in range(1):
        p2 = p1
    return (p2, p2)

def f(x0):
    s11, s12 = h0(x0, x0, x0)
    return s12

# signature: python VerifierError | verifier.py:use | _ used before definition or out of scope | Assign For FunctionDef Return h0 range


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.5,)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
