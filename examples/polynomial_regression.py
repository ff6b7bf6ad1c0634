"""Polynomial regression: gradient descent on the squared error, compared with least squares.

The model evaluates the polynomial with Horner's rule in a Python loop over the
coefficients; adcompiler differentiates through the loop.
"""
import numpy as np

import adcompiler as ad


def predict(coefficients, x):
    y = np.zeros_like(x)
    for k in range(len(coefficients)):
        y = y * x + coefficients[k]
    return y


def loss(coefficients, x, y):
    residual = predict(coefficients, x) - y
    return np.sum(residual * residual) / len(x)


def main(degree=3, steps=4000, learning_rate=0.3, seed=1):
    rng = np.random.default_rng(seed)
    x = np.linspace(-1.0, 1.0, 50)
    truth = np.array([0.8, -0.5, 0.3, 1.2])       # highest power first
    y = predict(truth, x) + 0.05 * rng.normal(size=x.size)
    grad = ad.grad(loss)
    c = np.zeros(degree + 1)
    for it in range(steps + 1):
        c = c - learning_rate * grad(c, x, y)
        if it % 1000 == 0:
            print(f"step {it:5d}   loss {loss(c, x, y):.6f}")
    vander = np.vander(x, degree + 1)
    exact, *_ = np.linalg.lstsq(vander, y, rcond=None)
    print("gradient descent:", np.round(c, 4))
    print("least squares:   ", np.round(exact, 4))
    return c, exact


if __name__ == "__main__":
    c, exact = main()
    assert np.allclose(c, exact, atol=1e-3), (c, exact)
    print("gradient descent agrees with least squares to 1e-3")
