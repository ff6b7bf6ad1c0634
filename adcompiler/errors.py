"""Errors raised to users of adcompiler."""


class CompileError(Exception):
    """Raised for any program the compiler does not support.

    The message names ``path:line``, shows the offending source line, says what is
    unsupported and what to write instead.
    """

    def __init__(self, message, loc=None, hint=None):
        self.loc = loc
        self.hint = hint
        self.reason = message
        text = message
        if loc is not None:
            text = f"{loc.filename}:{loc.lineno}: {message}"
            if loc.text:
                text += f"\n    {loc.text.strip()}"
            for site in getattr(loc, "called_from", ()):
                text += f"\n  called from {site.filename}:{site.lineno}: {site.text.strip()}"
        if hint:
            text += f"\n  what to do: {hint}"
        super().__init__(text)


class BackendError(RuntimeError):
    """A backend (Numba) failed on code adcompiler generated: a bug in adcompiler."""
