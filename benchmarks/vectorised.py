"""Idiomatic JAX and autograd versions of the workloads.

The array code is written once over an array module ``xp`` (``jax.numpy`` or
``autograd.numpy``): vectorised, without in-place writes. Time loops differ: JAX runs them with
``lax.fori_loop``/``lax.scan`` inside ``jax.jit(jax.grad(...))``, autograd as Python loops (the
only way it can). Each ``jax_*``/``autograd_*`` builder takes the workload's arguments and
returns a thunk computing the gradient (the arrays are converted once, outside the thunk).

JAX and autograd are optional (``pip install -e '.[bench]'``); this module imports them only
inside the builders.
"""
import functools

import numpy as np


def _jax():
    import jax
    jax.config.update("jax_enable_x64", True)
    return jax


def _jax_thunk(fn, args):
    """``fn(*args)`` with the array arguments on the device once and the result waited for."""
    jax = _jax()
    device_args = [jax.numpy.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
    return lambda: jax.block_until_ready(fn(*device_args))


# -- GMM ----------------------------------------------------------------------------------------

def gmm_lower_gather(d):
    """Index (into icf[k] followed by one zero) of each entry of Q_k's strictly lower part."""
    zero = d + d * (d - 1) // 2
    gather = np.full((d, d), zero, dtype=np.int64)
    idx = d
    for col in range(d):
        for row in range(col + 1, d):
            gather[row, col] = idx
            idx += 1
    return gather


def gmm_vectorised(xp, logsumexp, alphas, means, icf, x, gather, eye, wishart_gamma, wishart_m,
                   constant):
    K, d = means.shape
    n = x.shape[0]
    q = icf[:, :d]
    qdiags = xp.exp(q)
    sum_qs = xp.sum(q, axis=1)
    padded = xp.concatenate([icf, xp.zeros((K, 1))], axis=1)
    Q = padded[:, gather] + qdiags[:, :, None] * eye             # (K, d, d), lower triangular
    centred = x[:, None, :] - means[None, :, :]                  # (n, K, d)
    y = xp.einsum("kij,nkj->nki", Q, centred)
    main = alphas + sum_qs - 0.5 * xp.sum(y * y, axis=2)         # (n, K)
    frobenius = xp.sum(qdiags ** 2, axis=1) + xp.sum(icf[:, d:] ** 2, axis=1)
    prior = xp.sum(0.5 * wishart_gamma ** 2 * frobenius - wishart_m * sum_qs)
    return (constant + xp.sum(logsumexp(main, axis=1)) - n * logsumexp(alphas, axis=0) + prior)


def _gmm_extra(args):
    from workloads import gmm_prior_constant
    import math
    alphas, means, icf, x, gamma, m = args
    K, d = means.shape
    n = x.shape[0]
    constant = -0.5 * n * d * math.log(2.0 * math.pi) - K * gmm_prior_constant(d, gamma, m)
    return gmm_lower_gather(d), np.eye(d), gamma, m, constant


def jax_gmm(args):
    jax = _jax()
    from jax.scipy.special import logsumexp
    f = functools.partial(gmm_vectorised, jax.numpy, logsumexp)
    grad = jax.jit(jax.grad(f, argnums=(0, 1, 2)))
    return _jax_thunk(grad, args[:4] + _gmm_extra(args))


def autograd_gmm(args):
    import autograd
    import autograd.numpy as anp
    from autograd.scipy.special import logsumexp
    f = functools.partial(gmm_vectorised, anp, logsumexp)
    grad = autograd.grad(f, (0, 1, 2))
    full = args[:4] + _gmm_extra(args)
    return lambda: grad(*full)


# -- reaction-diffusion ---------------------------------------------------------------------------

def rd_step(xp, u, kappa, dt):
    inner = u[1:-1]
    lap = u[:-2] - 2.0 * inner + u[2:]
    return xp.concatenate([u[:1], inner + dt * (kappa * lap + inner * (1.0 - inner)), u[-1:]])


def jax_reaction_diffusion(args):
    jax = _jax()
    u0, kappa, y, steps, dt = args

    def loss(u0, kappa, y):
        u = jax.lax.fori_loop(0, steps, lambda t, u: rd_step(jax.numpy, u, kappa, dt), u0)
        return jax.numpy.sum((u - y) ** 2)
    return _jax_thunk(jax.jit(jax.grad(loss, argnums=(0, 1))), (u0, kappa, y))


def autograd_reaction_diffusion(args):
    import autograd
    import autograd.numpy as anp
    u0, kappa, y, steps, dt = args

    def loss(u0, kappa):
        u = u0
        for _ in range(steps):
            u = rd_step(anp, u, kappa, dt)
        return anp.sum((u - y) ** 2)
    grad = autograd.grad(loss, (0, 1))
    return lambda: grad(u0, kappa)


# -- LSTM -----------------------------------------------------------------------------------------

def _sigmoid(xp, z):
    return 1.0 / (1.0 + xp.exp(-z))


def lstm_step(xp, main, extra, hidden, cell, x, gold):
    """One time step of every layer: new (hidden, cell) tuples and the step's log-likelihood."""
    b = x.shape[0]
    inp = x * extra[0]
    new_hidden, new_cell = [], []
    for j in range(len(hidden)):
        w, bias = main[2 * j], main[2 * j + 1]
        forget = _sigmoid(xp, inp * w[:b] + bias[:b])
        ingate = _sigmoid(xp, hidden[j] * w[b:2 * b] + bias[b:2 * b])
        outgate = _sigmoid(xp, inp * w[2 * b:3 * b] + bias[2 * b:3 * b])
        change = xp.tanh(hidden[j] * w[3 * b:] + bias[3 * b:])
        c = cell[j] * forget + ingate * change
        h = outgate * xp.tanh(c)
        new_hidden.append(h)
        new_cell.append(c)
        inp = h
    prediction = inp * extra[1] + extra[2]
    normalised = prediction - xp.log(xp.sum(xp.exp(prediction)) + 2.0)
    return tuple(new_hidden), tuple(new_cell), xp.sum(gold * normalised)


def jax_lstm(args):
    jax = _jax()
    jnp = jax.numpy

    def loss(main, extra, state, sequence):
        layers = main.shape[0] // 2
        carry0 = (tuple(state[2 * j] for j in range(layers)),
                  tuple(state[2 * j + 1] for j in range(layers)))

        def body(carry, xs):
            hidden, cell, ll = lstm_step(jnp, main, extra, carry[0], carry[1], xs[0], xs[1])
            return (hidden, cell), ll
        _, lls = jax.lax.scan(body, carry0, (sequence[:-1], sequence[1:]))
        return -jnp.sum(lls) / ((sequence.shape[0] - 1) * sequence.shape[1])
    return _jax_thunk(jax.jit(jax.grad(loss, argnums=(0, 1))), args)


def autograd_lstm(args):
    import autograd
    import autograd.numpy as anp
    main0, extra0, state, sequence = args
    layers = main0.shape[0] // 2

    def loss(main, extra):
        hidden = tuple(state[2 * j] for j in range(layers))
        cell = tuple(state[2 * j + 1] for j in range(layers))
        total = 0.0
        for t in range(sequence.shape[0] - 1):
            hidden, cell, ll = lstm_step(anp, main, extra, hidden, cell, sequence[t],
                                         sequence[t + 1])
            total = total + ll
        return -total / ((sequence.shape[0] - 1) * sequence.shape[1])
    grad = autograd.grad(loss, (0, 1))
    return lambda: grad(main0, extra0)


# -- bundle adjustment ----------------------------------------------------------------------------

def reprojection_error(xp, cam, X, weight, feature):
    """One observation (cam (11,), X (3,)) or many (cam (p, 11), X (p, 3)) at once.
    The rotation is taken to be non-zero, as it is in the data (the loop version branches)."""
    rot = cam[..., 0:3]
    Xc = X - cam[..., 3:6]
    theta = xp.sqrt(xp.sum(rot * rot, axis=-1, keepdims=True))
    c, s = xp.cos(theta), xp.sin(theta)
    w = rot / theta
    cross = xp.stack([w[..., 1] * Xc[..., 2] - w[..., 2] * Xc[..., 1],
                      w[..., 2] * Xc[..., 0] - w[..., 0] * Xc[..., 2],
                      w[..., 0] * Xc[..., 1] - w[..., 1] * Xc[..., 0]], axis=-1)
    Xcam = Xc * c + cross * s + w * (xp.sum(w * Xc, axis=-1, keepdims=True) * (1.0 - c))
    p = Xcam[..., 0:2] / Xcam[..., 2:3]
    rsq = xp.sum(p * p, axis=-1, keepdims=True)
    distortion = 1.0 + cam[..., 9:10] * rsq + cam[..., 10:11] * rsq * rsq
    projection = p * (distortion * cam[..., 6:7]) + cam[..., 7:9]
    return weight[..., None] * (projection - feature)


def jax_ba(args):
    """jit(vmap(jacrev)): the 2 x 15 block of every observation, gathered inside the jit."""
    jax = _jax()
    jnp = jax.numpy
    jac = jax.vmap(jax.jacrev(functools.partial(reprojection_error, jnp), argnums=(0, 1, 2)))

    def blocks(cams, X, weights, features, cam_index, point_index):
        return jac(cams[cam_index], X[point_index], weights, features)
    return _jax_thunk(jax.jit(blocks), args)


def autograd_ba(args):
    """Two reverse passes over all observations at once: the Jacobian is block diagonal, so
    the gradient of the sum of output component r gives row r of every block."""
    import autograd
    import autograd.numpy as anp
    cams, X, weights, features, cam_index, point_index = args
    rows = [autograd.grad(lambda p, r=r: anp.sum(reprojection_error(anp, p[0], p[1], p[2],
                                                                    features)[:, r]))
            for r in range(2)]

    def blocks():
        params = (cams[cam_index], X[point_index], weights)
        r0, r1 = rows[0](params), rows[1](params)
        return tuple(np.stack([a, b], axis=1) for a, b in zip(r0, r1))
    return blocks


# -- ODE ------------------------------------------------------------------------------------------

def ode_rhs(xp, x, y):
    return xp.concatenate([x[:1], x[1:] * y[:-1]])


def rk4_step(xp, x, y, h):
    k1 = ode_rhs(xp, x, y)
    k2 = ode_rhs(xp, x, y + 0.5 * h * k1)
    k3 = ode_rhs(xp, x, y + 0.5 * h * k2)
    k4 = ode_rhs(xp, x, y + h * k3)
    return y + h * (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0


def jax_ode(args):
    jax = _jax()
    x0, s = args
    h = 2.0 / s

    def last(x):
        y = jax.lax.fori_loop(0, s, lambda i, y: rk4_step(jax.numpy, x, y, h),
                              jax.numpy.zeros_like(x))
        return y[-1]
    return _jax_thunk(jax.jit(jax.grad(last, argnums=(0,))), (x0,))


def autograd_ode(args):
    import autograd
    import autograd.numpy as anp
    x0, s = args
    h = 2.0 / s

    def last(x):
        y = anp.zeros(x.shape[0])
        for _ in range(s):
            y = rk4_step(anp, x, y, h)
        return y[-1]
    grad = autograd.grad(last, (0,))
    return lambda: grad(x0)


# -- the examples ---------------------------------------------------------------------------------

def mlp_loss(xp, W1, b1, W2, b2, x, y):
    hidden = xp.tanh(xp.outer(x, W1) + b1)
    return xp.mean((xp.dot(hidden, W2) + b2 - y) ** 2)


def jax_mlp(args):
    jax = _jax()
    f = functools.partial(mlp_loss, jax.numpy)
    return _jax_thunk(jax.jit(jax.grad(f, argnums=(0, 1, 2, 3))), args)


def autograd_mlp(args):
    import autograd
    import autograd.numpy as anp
    grad = autograd.grad(functools.partial(mlp_loss, anp), (0, 1, 2, 3))
    return lambda: grad(*args)


def heat_step(xp, u, kappa):
    # heat_inverse.simulate starts from zeros, so both ends are 0 after the first step
    inner = u[1:-1] + kappa * (u[2:] - 2.0 * u[1:-1] + u[:-2])
    return xp.concatenate([xp.zeros(1), inner, xp.zeros(1)])


def jax_heat(args):
    jax = _jax()
    kappa, u0, observed, steps = args

    def misfit(kappa, u0, observed):
        u = jax.lax.fori_loop(0, steps, lambda t, u: heat_step(jax.numpy, u, kappa), u0)
        return jax.numpy.sum((u - observed) ** 2)
    return _jax_thunk(jax.jit(jax.grad(misfit, argnums=(0,))), (kappa, u0, observed))


def autograd_heat(args):
    import autograd
    import autograd.numpy as anp
    kappa0, u0, observed, steps = args

    def misfit(kappa):
        u = u0
        for _ in range(steps):
            u = heat_step(anp, u, kappa)
        return anp.sum((u - observed) ** 2)
    grad = autograd.grad(misfit, (0,))
    return lambda: grad(kappa0)


def poly_loss(xp, coefficients, x, y):
    prediction = xp.zeros_like(x)
    for k in range(coefficients.shape[0]):      # a static Python loop: unrolled when traced
        prediction = prediction * x + coefficients[k]
    residual = prediction - y
    return xp.sum(residual * residual) / x.shape[0]


def jax_poly(args):
    jax = _jax()
    f = functools.partial(poly_loss, jax.numpy)
    return _jax_thunk(jax.jit(jax.grad(f, argnums=(0,))), args)


def autograd_poly(args):
    import autograd
    import autograd.numpy as anp
    grad = autograd.grad(functools.partial(poly_loss, anp), (0,))
    return lambda: grad(*args)
