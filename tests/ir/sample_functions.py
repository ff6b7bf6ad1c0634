"""Functions used by the IR tests."""
import math


def straight(x, y):
    a = x * y
    a = a + math.sin(x)
    return a / (1.0 + y * y)


def branchy(x, y):
    if x > y:
        z = x - y
    elif x < 0.0:
        z = -x
    else:
        z = y * 2.0
    return z * x if z > 1.0 else z + 1.0


def loops(x, n):
    s = 0.0
    k = 0
    while s < x * 10.0:
        s = s + x
        k += 1
    for i in range(n, 0, -2):
        for j in range(i):
            if j % 3 == 0:
                continue
            s = s + math.cos(s) * j
            if s > 1e6:
                break
    return s + k


def early(x):
    for i in range(10):
        x = x * 1.1
        if x > 5.0:
            return x * 2.0
    if x < 1.0:
        return x
    return -x
