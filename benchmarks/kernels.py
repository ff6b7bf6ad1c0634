"""Loop kernels shared by the benchmarks."""
import math


def scalar_loop(x, y, n):
    """A scalar recurrence of n iterations with a branch and transcendental functions."""
    s = 0.0
    for i in range(n):
        t = math.sin(x * s + y) * 0.5
        if t > 0.0:
            s = s + t * x
        else:
            s = s - t * y
        s = s * 0.999
    return s


def twenty_line(x, y, n):
    """The '20-line loop function' of the issue's closing note."""
    a = x * y
    b = math.exp(-x * x)
    s = 0.0
    k = 0
    for i in range(n):
        u = a * math.cos(i * 0.1) + b
        if u > 0.5:
            s = s + u * u
        elif u < -0.5:
            s = s - math.tanh(u)
        else:
            s = s + math.sqrt(1.0 + u * u)
        j = 0
        while j < 3:
            s = s * 0.99 + 0.01 * math.sin(s + y)
            j = j + 1
        k = k + 1
    r = s / (1.0 + k)
    return r * math.log1p(x * x) + y
