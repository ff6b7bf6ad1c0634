"""Fuzz regression: VerifierError in verifier.py:use (python reverse)

Found by python -m tests.fuzz.run --seed 21 (program seed 21000246).
Observed:
    VerifierError: f_vjp/add: %bx1.61182 used before definition or out of scope
      File "/work/wt-fuzzgen/adcompiler/transforms/pipeline.py", line 60, in derivative_ir
        return run_pipeline(passes_for(fn, mode, kinds, active_positions))
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      File "/work/wt-fuzzgen/adcompiler/transforms/pipeline.py", line 29, in run_pipeline
        verify(ir)
      File "/work/wt-fuzzgen/adcompiler/ir/verifier.py", line 69, in verify
        check_block(fn.body, set(fn.params), None, fn.name)
      File "/work/wt-fuzzgen/adcompiler/ir/verifier.py", line 29, in check_block
        use(a, scope, f"{where}/{stmt.prim}")
      File "/work/wt-fuzzgen/adcompiler/ir/verifier.py", line 22, in use
        raise VerifierError(f"{where}: {atom!r} used before definition or out of scope")
"""
def f(x1):
    s1 = 0.5
    k2 = 0
    while k2:
        s1 = x1
    return s1

# signature: python VerifierError | verifier.py:use | _ used before definition or out of scope | Assign FunctionDef Return While


# -- replayed by tests/fuzz/regressions.py --------------------------------------
KIND = 'valid'
ENTRY = 'f'
ARGS = (-1.3,)
# backend -> reason: the replay marks these xfail(strict=True); remove an entry once
# the bug is fixed
XFAIL = {}
