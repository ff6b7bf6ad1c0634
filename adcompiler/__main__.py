"""Command line: ``python -m adcompiler show FILE.py:FUNCTION [--mode reverse|forward] [--wrt 0,1]
[--args 'x=f64[:], n=int']`` prints the generated derivative source (parameter types are read
off the code unless ``--args`` gives them); ``--ir`` prints the IR after every pass instead."""
import argparse
import importlib.util
import os
import sys

from . import source, CompileError


def _load(target):
    path, _, name = target.rpartition(":")
    if not path or not name:
        raise SystemExit(f"expected FILE.py:FUNCTION, got {target!r}")
    module_name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None:
        raise SystemExit(f"cannot load {path!r}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec.loader.exec_module(module)
    try:
        return getattr(module, name)
    except AttributeError:
        raise SystemExit(f"{path} has no function {name!r}")


def _wrt(text):
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    parts = [int(p) if p.lstrip("-").isdigit() else p for p in parts]
    return tuple(parts) if len(parts) > 1 else parts[0]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="adcompiler", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    show = sub.add_parser("show", help="print the generated derivative source")
    show.add_argument("target", help="FILE.py:FUNCTION")
    show.add_argument("--mode", choices=("reverse", "forward"), default="reverse")
    show.add_argument("--wrt", default=None, help="comma-separated positions or names")
    show.add_argument("--ir", action="store_true", help="print the IR after every pass")
    show.add_argument("--backend", choices=("numba", "python", "cuda", "auto"), default="numba",
                      help="cuda: the host code with a kernel per parallel loop")
    show.add_argument("--args", default=None,
                      help="parameter types, e.g. 'x=f64[:], A=f64[:,:], n=int' (others inferred)")
    args = parser.parse_args(argv)
    fn = _load(args.target)
    if args.ir:
        os.environ["ADCOMPILER_DUMP"] = "all"
    try:
        kinds = None
        if args.args:
            from .api import _param_names
            from .frontend.infer import parse_kinds
            kinds = parse_kinds(args.args, _param_names(fn))
        print(source(fn, mode=args.mode, wrt=_wrt(args.wrt), kinds=kinds, backend=args.backend),
              end="")
    except CompileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:          # a bad --args
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
