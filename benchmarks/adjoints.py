"""Hand-written Numba adjoints: what a careful person writes by hand, the bar for adcompiler.

Each returns ``(value, gradients)`` with the gradients in the order of the workload's ``wrt``.
The suite checks them against finite differences like every other system.
"""
import math

import numba
import numpy as np


@numba.njit(cache=True)
def gmm_value_and_grad(alphas, means, icf, x, wishart_gamma, wishart_m):
    """GMM objective (workloads.gmm_objective) and its gradient wrt (alphas, means, icf).

    One pass over the points: for each point the K main terms are computed with the
    projected residuals y_k = Q_k (x_i - mu_k) kept, then the softmax weights of the
    log-sum-exp push the adjoint straight into the parameters.
    """
    n, d = x.shape
    K = alphas.shape[0]
    qdiags = np.exp(icf[:, :d])
    galphas = np.zeros(K)
    gmeans = np.zeros((K, d))
    gicf = np.zeros(icf.shape)
    main = np.empty(K)
    xc = np.empty((K, d))
    y = np.empty((K, d))
    slse = 0.0
    for i in range(n):
        for k in range(K):
            for j in range(d):
                xc[k, j] = x[i, j] - means[k, j]
                y[k, j] = qdiags[k, j] * xc[k, j]
            idx = d
            for col in range(d):
                for row in range(col + 1, d):
                    y[k, row] += icf[k, idx] * xc[k, col]
                    idx += 1
            sq = 0.0
            sum_q = 0.0
            for j in range(d):
                sq += y[k, j] * y[k, j]
                sum_q += icf[k, j]
            main[k] = alphas[k] + sum_q - 0.5 * sq
        top = main.max()
        total = 0.0
        for k in range(K):
            total += math.exp(main[k] - top)
        slse += top + math.log(total)
        for k in range(K):
            w = math.exp(main[k] - top) / total          # d lse / d main_k
            galphas[k] += w
            for j in range(d):                          # main_k = ... + q_kj - y_kj^2 / 2
                gicf[k, j] += w * (1.0 - y[k, j] * qdiags[k, j] * xc[k, j])
            idx = d
            for col in range(d):                        # d main_k / d mu_k = (Q^T y)_col
                acc = qdiags[k, col] * y[k, col]
                for row in range(col + 1, d):
                    acc += icf[k, idx] * y[k, row]
                    gicf[k, idx] -= w * y[k, row] * xc[k, col]
                    idx += 1
                gmeans[k, col] += w * acc
    top = alphas.max()
    total = 0.0
    for k in range(K):
        total += math.exp(alphas[k] - top)
    lse_alphas = top + math.log(total)
    for k in range(K):
        galphas[k] -= n * math.exp(alphas[k] - top) / total
    g2 = wishart_gamma * wishart_gamma
    prior = 0.0
    for k in range(K):
        frobenius = 0.0
        sum_q = 0.0
        for j in range(d):
            frobenius += qdiags[k, j] * qdiags[k, j]
            sum_q += icf[k, j]
            gicf[k, j] += g2 * qdiags[k, j] * qdiags[k, j] - wishart_m
        for j in range(d, icf.shape[1]):
            frobenius += icf[k, j] * icf[k, j]
            gicf[k, j] += g2 * icf[k, j]
        prior += 0.5 * g2 * frobenius - wishart_m * sum_q
    dof = d + wishart_m + 1.0
    log_multigamma = 0.25 * d * (d - 1) * math.log(math.pi)
    for j in range(1, d + 1):
        log_multigamma += math.lgamma(0.5 * dof + 0.5 * (1 - j))
    c = dof * d * (math.log(wishart_gamma) - 0.5 * math.log(2.0)) - log_multigamma
    value = -0.5 * n * d * math.log(2.0 * math.pi) - K * c + slse - n * lse_alphas + prior
    return value, (galphas, gmeans, gicf)


@numba.njit(cache=True)
def reaction_diffusion_value_and_grad(u0, kappa, y, steps, dt):
    """workloads.reaction_diffusion and its gradient wrt (u0, kappa): store every state
    (steps + 1 rows of n), then one reverse sweep over the stencil."""
    n = u0.shape[0]
    U = np.empty((steps + 1, n))
    U[0] = u0
    for t in range(steps):
        U[t + 1, 0] = U[t, 0]
        U[t + 1, n - 1] = U[t, n - 1]
        for i in range(1, n - 1):
            u = U[t, i]
            lap = U[t, i - 1] - 2.0 * u + U[t, i + 1]
            U[t + 1, i] = u + dt * (kappa * lap + u * (1.0 - u))
    value = 0.0
    g = np.empty(n)
    for i in range(n):
        r = U[steps, i] - y[i]
        value += r * r
        g[i] = 2.0 * r
    gkappa = 0.0
    gprev = np.empty(n)
    for t in range(steps - 1, -1, -1):
        gprev[0] = g[0]
        gprev[n - 1] = g[n - 1]
        for i in range(1, n - 1):
            gprev[i] = 0.0
        for i in range(1, n - 1):
            u = U[t, i]
            gi = g[i]
            gkappa += gi * dt * (U[t, i - 1] - 2.0 * u + U[t, i + 1])
            gprev[i] += gi * (1.0 + dt * (1.0 - 2.0 * u - 2.0 * kappa))
            gprev[i - 1] += gi * dt * kappa
            gprev[i + 1] += gi * dt * kappa
        g, gprev = gprev, g
    return value, (g.copy(), gkappa)


@numba.njit(cache=True)
def _ode_rhs_adjoint(x, y, gz, gx, gy):
    """Adds the adjoint of z = rhs(x, y) (z_0 = x_0, z_i = x_i y_{i-1}) into gx, gy."""
    gx[0] += gz[0]
    for i in range(1, y.shape[0]):
        gx[i] += gz[i] * y[i - 1]
        gy[i - 1] += gz[i] * x[i]


@numba.njit(cache=True)
def _ode_rhs(x, y, z):
    z[0] = x[0]
    for i in range(1, y.shape[0]):
        z[i] = x[i] * y[i - 1]


@numba.njit(cache=True)
def _rk4_stage_inputs(x, y, h, k1, k2, k3, tmp2, tmp3, tmp4):
    """The first three RK4 stages of a step from y, and the inputs tmp2..tmp4 of stages 2-4;
    the forward sweep and the reverse sweep's recomputation share it."""
    _ode_rhs(x, y, k1)
    tmp2[:] = y + 0.5 * h * k1
    _ode_rhs(x, tmp2, k2)
    tmp3[:] = y + 0.5 * h * k2
    _ode_rhs(x, tmp3, k3)
    tmp4[:] = y + h * k3


@numba.njit(cache=True)
def ode_value_and_grad(x, s):
    """workloads.ode_solve and its gradient wrt x: store y at every step, recompute the
    stages of a step on the way back."""
    n = x.shape[0]
    h = 2.0 / s
    Y = np.empty((s + 1, n))
    Y[0] = 0.0
    k1 = np.empty(n)
    k2 = np.empty(n)
    k3 = np.empty(n)
    k4 = np.empty(n)
    tmp2 = np.empty(n)
    tmp3 = np.empty(n)
    tmp4 = np.empty(n)
    for step in range(s):
        y = Y[step]
        _rk4_stage_inputs(x, y, h, k1, k2, k3, tmp2, tmp3, tmp4)
        _ode_rhs(x, tmp4, k4)
        Y[step + 1] = y + h * (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0
    gx = np.zeros(n)
    gy = np.zeros(n)
    gy[n - 1] = 1.0
    g2 = np.empty(n)
    g3 = np.empty(n)
    g4 = np.empty(n)
    gk1 = np.empty(n)
    gk2 = np.empty(n)
    gk3 = np.empty(n)
    for step in range(s - 1, -1, -1):
        y = Y[step]
        _rk4_stage_inputs(x, y, h, k1, k2, k3, tmp2, tmp3, tmp4)   # recomputed for this step
        gk1[:] = h / 6.0 * gy
        gk2[:] = h / 3.0 * gy
        gk3[:] = h / 3.0 * gy
        gk4 = h / 6.0 * gy                      # gy itself carries on (y' = y + ...)
        g4[:] = 0.0
        _ode_rhs_adjoint(x, tmp4, gk4, gx, g4)
        gy += g4
        gk3 += h * g4
        g3[:] = 0.0
        _ode_rhs_adjoint(x, tmp3, gk3, gx, g3)
        gy += g3
        gk2 += 0.5 * h * g3
        g2[:] = 0.0
        _ode_rhs_adjoint(x, tmp2, gk2, gx, g2)
        gy += g2
        gk1 += 0.5 * h * g2
        _ode_rhs_adjoint(x, y, gk1, gx, gy)
    return Y[s, n - 1], (gx,)
