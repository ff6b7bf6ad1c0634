"""Objectives of the public AD benchmark suites written the way their authors write NumPy:
vectorised, with comprehensions, nested helpers, dict and tuple parameters, None defaults
and output arguments. Our own versions (ADBench/GradBench-like), small sizes."""
import math

import numpy as np


# -- GMM with a Wishart prior (ADBench) -------------------------------------------------------
def _log_sum_exp(v, axis):
    mx = np.max(v, axis=axis, keepdims=True)
    return np.log(np.sum(np.exp(v - mx), axis=axis)) + np.max(v, axis=axis)


def _construct_l(d, icf):
    """The lower-triangular factor: exp of the diagonal, then the rest row by row."""
    L = np.zeros((d, d))
    k = d
    for i in range(d):
        L[i, i] = math.exp(icf[i])
        for j in range(i):
            L[i, j] = icf[k]
            k = k + 1
    return L


def gmm_objective(alphas, means, icf, x, wishart=None):
    n, d = x.shape
    K = alphas.shape[0]
    if wishart is None:
        wishart = {"gamma": 1.0, "m": 0}
    sum_qs = np.sum(icf[:, :d], axis=1)
    Ls = np.stack([_construct_l(d, row) for row in icf])
    main = np.stack([np.sum((x - means[k]) @ Ls[k].T * ((x - means[k]) @ Ls[k].T), axis=1)
                     for k in range(K)])                       # (K, n)
    inner = alphas[:, None] + sum_qs[:, None] - 0.5 * main
    slse = np.sum(_log_sum_exp(inner, axis=0))
    gamma, m = wishart["gamma"], wishart["m"]
    frobenius = sum(np.sum(np.exp(icf[k, :d]) ** 2) + np.sum(icf[k, d:] ** 2) for k in range(K))
    prior = 0.5 * gamma * gamma * frobenius - m * np.sum(sum_qs)
    return slse - n * _log_sum_exp(alphas[None, :], axis=1)[0] + prior


def _construct_l_indexed(d, icf):
    """L as vectorised code builds it: the diagonal, then the strictly lower part column by
    column through index arrays of ragged pieces."""
    rows = np.concatenate([np.arange(c + 1, d) for c in range(d - 1)])
    cols = np.concatenate([np.full(d - c - 1, c) for c in range(d - 1)])
    L = np.zeros((d, d))
    L[np.arange(d), np.arange(d)] = np.exp(icf[:d])
    L[rows, cols] = icf[d:]
    return L


def gmm_indexed_objective(alphas, means, icf, x):
    """The GMM data term with the factors filled through index arrays."""
    n, d = x.shape
    sum_qs = np.sum(icf[:, :d], axis=1)
    main = np.stack([np.sum(((x - means[k]) @ _construct_l_indexed(d, icf[k]).T) ** 2, axis=1)
                     for k in range(alphas.shape[0])])
    inner = alphas[:, None] + sum_qs[:, None] - 0.5 * main
    return np.sum(_log_sum_exp(inner, axis=0)) - n * _log_sum_exp(alphas[None, :], axis=1)[0]


def gmm_einsum_objective(alphas, means, icf, x):
    """The GMM data term as vectorised code writes it, with einsum for the batched products."""
    n, d = x.shape
    sum_qs = np.sum(icf[:, :d], axis=1)
    Ls = np.stack([_construct_l(d, row) for row in icf])       # (K, d, d)
    diffs = x[None, :, :] - means[:, None, :]                    # (K, n, d)
    Lx = np.einsum("kij,knj->kni", Ls, diffs)
    main = np.einsum("kni,kni->kn", Lx, Lx)
    inner = alphas[:, None] + sum_qs[:, None] - 0.5 * main
    return np.sum(_log_sum_exp(inner, axis=0)) - n * _log_sum_exp(alphas[None, :], axis=1)[0]


# -- bundle adjustment: one reprojection error (ADBench) ------------------------------------
def _rodrigues_rotate(rot, X):
    theta = math.sqrt(np.sum(rot * rot))
    if theta != 0.0:
        w = rot / theta
        cross = np.array([w[1] * X[2] - w[2] * X[1], w[2] * X[0] - w[0] * X[2],
                          w[0] * X[1] - w[1] * X[0]])
        c, s = math.cos(theta), math.sin(theta)
        return X * c + cross * s + w * (np.dot(w, X) * (1.0 - c))
    return X + np.array([rot[1] * X[2] - rot[2] * X[1], rot[2] * X[0] - rot[0] * X[2],
                         rot[0] * X[1] - rot[1] * X[0]])


def _project(cam, X):
    Xcam = _rodrigues_rotate(cam[0:3], X - cam[3:6])
    p = Xcam[0:2] / Xcam[2]
    rsq = np.sum(p * p)
    distortion = 1.0 + cam[9] * rsq + cam[10] * rsq * rsq
    return p * distortion * cam[6] + cam[7:9]


def ba_reprojection(cams, X, w, obs, feats):
    errors = np.array([(_project(cams[obs[i, 0]], X[obs[i, 1]]) - feats[i]) * w[i]
                       for i in range(obs.shape[0])])
    weight_errors = [1.0 - wi * wi for wi in w]
    return np.sum(errors * errors) + sum(e * e for e in weight_errors)


# -- a 2-layer LSTM (ADBench) --------------------------------------------------------------
def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _lstm_cell(params, x, hidden, cell):
    n = hidden.shape[0]
    gates = params["weight"] @ np.concatenate((x, hidden)) + params["bias"]
    forget = _sigmoid(gates[0:n])
    ingate = _sigmoid(gates[n:2 * n])
    outgate = _sigmoid(gates[2 * n:3 * n])
    change = np.tanh(gates[3 * n:4 * n])
    cell = cell * forget + ingate * change
    return outgate * np.tanh(cell), cell


def lstm_objective(layers, extra, state, sequence):
    h0, c0, h1, c1 = state
    total = 0.0
    for t in range(sequence.shape[0] - 1):
        x = sequence[t] * extra["in_weight"]
        h0, c0 = _lstm_cell(layers[0], x, h0, c0)
        h1, c1 = _lstm_cell(layers[1], h0, h1, c1)
        y = h1 * extra["out_weight"] + extra["out_bias"]
        lse = np.log(np.sum(np.exp(y)))
        total = total + np.sum(sequence[t + 1] * (y - lse))
    return -total / (sequence.shape[0] - 1)


# -- k-means (GradBench) --------------------------------------------------------------------
def kmeans_cost(centroids, points):
    distances = np.sum((points[:, None, :] - centroids[None, :, :]) ** 2, axis=2)
    return np.sum(np.min(distances, axis=1))


# -- an RK4 integration of an ODE (GradBench's ode) -------------------------------------------
def ode_rk4(params, y0, h, steps):
    def rhs(y):
        return -params["k"] * y + params["c"] * np.sin(y[::-1])

    y = y0.copy()
    for _ in range(steps):
        k1 = rhs(y)
        k2 = rhs(y + 0.5 * h * k1)
        k3 = rhs(y + 0.5 * h * k2)
        k4 = rhs(y + h * k3)
        y = y + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return np.sum(y * y)


# -- a planar kinematic chain (hand-tracking style), with an output-argument helper ----------
def _joint_positions(angles, lengths, out):
    theta, px, py = 0.0, 0.0, 0.0
    for i in range(angles.shape[0]):
        theta = theta + angles[i]
        px = px + lengths[i] * math.cos(theta)
        py = py + lengths[i] * math.sin(theta)
        out[i, 0] = px
        out[i, 1] = py


def chain_objective(angles, lengths, targets, scale=None):
    positions = np.zeros((angles.shape[0], 2))
    _joint_positions(angles, lengths, positions)
    s = 1.0 if scale is None else scale
    residuals = [positions[i] - targets[i] for i in range(targets.shape[0])]
    return s * sum(np.sum(r * r) for r in residuals)


def _gmm_args(rng):
    d, K, n = 3, 2, 5
    icf = rng.normal(size=(K, d + d * (d - 1) // 2)) * 0.3
    return (rng.normal(size=K), rng.normal(size=(K, d)), icf, rng.normal(size=(n, d)))


def _ba_args(rng):
    cams = rng.normal(size=(2, 11)) * 0.1
    cams[:, 3:6] = 0.0
    cams[:, 5] = -5.0          # camera centres behind the points
    cams[:, 6] = 1.0
    X = rng.normal(size=(3, 3))
    obs = np.array([[0, 0], [1, 1], [0, 2], [1, 0]])
    return (cams, X, rng.uniform(0.5, 1.0, size=4), obs, rng.normal(size=(4, 2)))


def _lstm_args(rng):
    n, t = 3, 4
    layer = lambda: {"weight": rng.normal(size=(4 * n, 2 * n)) * 0.3,
                     "bias": rng.normal(size=4 * n) * 0.1}
    extra = {"in_weight": rng.normal(size=n), "out_weight": rng.normal(size=n),
             "out_bias": rng.normal(size=n)}
    state = tuple(rng.normal(size=n) * 0.1 for _ in range(4))
    return ([layer(), layer()], extra, state, rng.normal(size=(t, n)))


def cases():
    """(objective, arguments, positions to differentiate)."""
    rng = np.random.default_rng(12)
    return [
        (gmm_objective, _gmm_args(rng), (0, 1, 2)),
        (gmm_objective, _gmm_args(rng) + ({"gamma": 0.8, "m": 2},), (0, 1, 2)),
        (ba_reprojection, _ba_args(rng), (0, 1, 2)),
        (lstm_objective, _lstm_args(rng), (0, 1, 2)),
        (kmeans_cost, (rng.normal(size=(3, 2)), rng.normal(size=(7, 2))), (0,)),
        (ode_rk4, ({"k": 0.7, "c": 0.3}, rng.normal(size=3), 0.1, 5), (0, 1)),
        (chain_objective, (rng.normal(size=4), rng.uniform(0.5, 1.5, size=4),
                           rng.normal(size=(4, 2))), (0, 1)),
        (chain_objective, (rng.normal(size=4), rng.uniform(0.5, 1.5, size=4),
                           rng.normal(size=(4, 2)), 0.5), (0, 1)),
        (gmm_einsum_objective, _gmm_args(rng), (0, 1, 2)),
        (gmm_indexed_objective, _gmm_args(rng), (0, 1, 2)),
    ]
