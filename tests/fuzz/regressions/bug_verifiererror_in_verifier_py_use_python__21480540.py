"""Fuzz regression: VerifierError in verifier.py:use (python reverse)

Found by python -m tests.fuzz.run --seed 21 (program seed 21000191).
Observed:
    VerifierError: f_vjp/if.else/add: %bx2.40060 used before definition or out of scope
      File "/work/wt-fuzzgen/adcompiler/transforms/pipeline.py", line 29, in run_pipeline
        verify(ir)
      File "/work/wt-fuzzgen/adcompiler/ir/verifier.py", line 69, in verify
        check_block(fn.body, set(fn.params), None, fn.name)
      File "/work/wt-fuzzgen/adcompiler/ir/verifier.py", line 37, in check_block
        check_block(stmt.else_body, scope, n, f"{where}/if.else")
      File "/work/wt-fuzzgen/adcompiler/ir/verifier.py", line 29, in check_block
        use(a, scope, f"{where}/{stmt.prim}")
      File "/work/wt-fuzzgen/adcompiler/ir/verifier.py", line 22, in use
        raise VerifierError(f"{where}: {atom!r} used before definition or out of scope")
    adcompiler.ir.verifier.VerifierError: f_vjp/if.else/add: %bx2.40060 used before definition or out of scope
"""
def f(x0, x1):
    s1 = x1
    x0 = s1
    return (x0, x1)

# signature: python VerifierError | verifier.py:use | _ used before definition or out of scope | Assign FunctionDef Return


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (0.1, 0.7)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
