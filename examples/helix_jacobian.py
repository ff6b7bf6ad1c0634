"""The course's helix f(t, s) = (sin t + s, cos t, 6t/pi): its 3x2 Jacobian by forward and
reverse mode, and which one ``mode="auto"`` picks.

A Jacobian with few inputs and many outputs (tall) costs one forward pass per input; one with
many inputs and few outputs (wide) costs one reverse pass per output.
"""
import numpy as np

import adcompiler as ad


def helix(t, s):
    return np.array([np.sin(t) + s, np.cos(t), 6.0 * t / np.pi])


def main():
    t, s = 0.3, 1.0
    for mode in ("forward", "reverse", "auto"):
        jacobian = ad.jacobian(helix, wrt=(0, 1), mode=mode)
        dt, ds = jacobian(t, s)
        print(f"{mode:8s} (used {jacobian.chosen}):  d/dt = {np.round(dt, 6)}   d/ds = {ds}")
    exact = np.array([[np.cos(t), 1.0], [-np.sin(t), 0.0], [6.0 / np.pi, 0.0]])
    print("exact:\n", exact)
    print("\none forward pass per input: the tangent source\n")
    print(ad.source(helix, mode="forward"))


if __name__ == "__main__":
    main()
