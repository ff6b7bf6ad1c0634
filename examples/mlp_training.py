"""A 2-layer tanh MLP trained by gradient descent on a 1-D regression task.

The loss is ordinary NumPy code; ``ad.value_and_grad`` compiles its gradient with respect to
all four parameter arrays once, and every training step then runs at native speed.
"""
import numpy as np

import adcompiler as ad


def loss(W1, b1, W2, b2, x, y):
    hidden = np.tanh(np.outer(x, W1) + b1)      # (n, h)
    prediction = np.dot(hidden, W2) + b2        # (n,)
    return np.mean((prediction - y) ** 2)


def main(steps=3000, learning_rate=0.05, hidden=16, seed=0):
    rng = np.random.default_rng(seed)
    x = np.linspace(-3.0, 3.0, 64)
    y = np.sin(x) + 0.1 * rng.normal(size=x.size)
    params = [rng.normal(size=hidden), np.zeros(hidden), 0.1 * rng.normal(size=hidden), 0.0]
    step = ad.value_and_grad(loss, wrt=(0, 1, 2, 3))
    for it in range(steps + 1):
        value, grads = step(*params, x, y)
        params = [p - learning_rate * g for p, g in zip(params, grads)]
        if it % 500 == 0:
            print(f"step {it:5d}   loss {value:.5f}")
    return value


if __name__ == "__main__":
    final = main()
    assert final < 0.05, final
    print("trained: the loss fell below 0.05")
