"""Gradient ascent on the launch angle of a throw.

On flat ground, without air resistance, a projectile launched at speed u and angle theta
lands at distance

    R(theta) = u**2 / g * sin(2 * theta)

adcompiler differentiates R (reverse mode, compiled with Numba) and plain gradient ascent
moves theta uphill until the slope vanishes: at 45 degrees.

    .venv/bin/python examples/javelin.py
"""
import math

import adcompiler as ad


def throw_range(theta, u, g):
    return u ** 2 / g * math.sin(2.0 * theta)


def ascend(theta, u, g, learning_rate, tolerance=1e-12, max_iterations=100):
    range_and_slope = ad.value_and_grad(throw_range, wrt="theta")
    print(f"{'iter':>4} {'theta (deg)':>14} {'range (m)':>12} {'dR/dtheta (m/rad)':>18}")
    for iteration in range(max_iterations):
        distance, slope = range_and_slope(theta, u, g)
        print(f"{iteration:>4} {math.degrees(theta):>14.8f} {distance:>12.6f} {slope:>18.10f}")
        step = learning_rate * slope
        theta += step
        if abs(step) < tolerance:
            break
    return theta


if __name__ == "__main__":
    u, g = 28.0, 9.81                   # a good javelin throw: 28 m/s
    theta0 = math.radians(10.0)
    # R''(45 deg) = -4 u^2 / g, so a step of 0.8 / |R''| contracts the error by 5 each time
    learning_rate = 0.8 / (4.0 * u ** 2 / g)
    theta = ascend(theta0, u, g, learning_rate)
    degrees = math.degrees(theta)
    print(f"\nbest launch angle: {degrees:.9f} degrees, range {throw_range(theta, u, g):.6f} m "
          f"(u**2/g = {u ** 2 / g:.6f} m)")
    assert abs(degrees - 45.0) < 1e-3, degrees
