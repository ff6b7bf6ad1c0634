"""The benchmark workloads, written as a user writes them: plain Python with loops and NumPy.

adcompiler reads these functions' source, so they live in a module of their own. Each
workload comes in its natural form; where adcompiler refuses the natural form, a second
function (named ``*_hoisted``) moves the arrays the loop writes into out of the loop, as the
refusal's hint says. The suite reports the refusal and times the hoisted variant under its own
label. The data generators (``*_data``) are here too, so that every system gets the same
inputs.
"""
import math

import numpy as np


# -- the fixed cost of one call -----------------------------------------------------------------

def tiny_scalar(x):
    return x * x


def tiny_array(x):
    return np.sum(x * x)


# -- GMM objective (ADBench / GradBench) --------------------------------------------------------
#
# A mixture of K Gaussians in d dimensions. The precision matrix of component k is Q_k Q_k^T,
# Q_k lower triangular with diagonal exp(icf[k, :d]) and its strictly lower part in
# icf[k, d:], stored column by column. The objective is the log-likelihood of n points plus a
# Wishart prior on the precisions (ADBench's definition, written here from the formula):
#
#   sum_i logsumexp_k(alpha_k + sum(q_k) - |Q_k^T-free (x_i - mu_k)|^2 / 2)
#   - n logsumexp(alpha) + sum_k (gamma^2/2 |Q_k|_F^2 - m sum(q_k)) + constants.

def gmm_objective(alphas, means, icf, x, wishart_gamma, wishart_m):
    n, d = x.shape
    K = len(alphas)
    qdiags = np.exp(icf[:, :d])
    sum_qs = np.sum(icf[:, :d], axis=1)
    slse = 0.0
    for i in range(n):
        main_term = np.empty(K)
        for k in range(K):
            xc = x[i] - means[k]
            qx = qdiags[k] * xc
            idx = d
            for col in range(d):
                for row in range(col + 1, d):
                    qx[row] += icf[k, idx] * xc[col]
                    idx += 1
            main_term[k] = alphas[k] + sum_qs[k] - 0.5 * np.dot(qx, qx)
        top = np.max(main_term)
        slse += top + math.log(np.sum(np.exp(main_term - top)))
    return slse + gmm_mixture_and_prior(alphas, icf, qdiags, sum_qs, n, wishart_gamma,
                                        wishart_m)


def gmm_objective_hoisted(alphas, means, icf, x, wishart_gamma, wishart_m):
    """``gmm_objective`` with ``main_term`` and ``qx`` created once, before the loops."""
    n, d = x.shape
    K = len(alphas)
    qdiags = np.exp(icf[:, :d])
    sum_qs = np.sum(icf[:, :d], axis=1)
    slse = 0.0
    main_term = np.empty(K)
    qx = np.empty(d)
    for i in range(n):
        for k in range(K):
            xc = x[i] - means[k]
            for j in range(d):
                qx[j] = qdiags[k, j] * xc[j]
            idx = d
            for col in range(d):
                for row in range(col + 1, d):
                    qx[row] += icf[k, idx] * xc[col]
                    idx += 1
            main_term[k] = alphas[k] + sum_qs[k] - 0.5 * np.dot(qx, qx)
        top = np.max(main_term)
        slse += top + math.log(np.sum(np.exp(main_term - top)))
    return slse + gmm_mixture_and_prior(alphas, icf, qdiags, sum_qs, n, wishart_gamma,
                                        wishart_m)


def gmm_mixture_and_prior(alphas, icf, qdiags, sum_qs, n, wishart_gamma, wishart_m):
    """The terms of the GMM objective outside the loop over points: the mixture weights'
    log-sum-exp, the Wishart prior and the constants."""
    K, d = qdiags.shape
    top = np.max(alphas)
    lse_alphas = top + math.log(np.sum(np.exp(alphas - top)))
    prior = 0.0
    for k in range(K):
        frobenius = np.sum(qdiags[k] ** 2) + np.sum(icf[k, d:] ** 2)
        prior += 0.5 * wishart_gamma ** 2 * frobenius - wishart_m * sum_qs[k]
    constant = -0.5 * n * d * math.log(2.0 * math.pi) - K * gmm_prior_constant(d, wishart_gamma,
                                                                                wishart_m)
    return constant - n * lse_alphas + prior


def gmm_prior_constant(d, wishart_gamma, wishart_m):
    """The normalising constant of the Wishart prior of one component (no parameter in it)."""
    dof = d + wishart_m + 1.0
    log_multigamma = 0.25 * d * (d - 1) * math.log(math.pi)
    for j in range(1, d + 1):
        log_multigamma += math.lgamma(0.5 * dof + 0.5 * (1 - j))
    return dof * d * (math.log(wishart_gamma) - 0.5 * math.log(2.0)) - log_multigamma


def gmm_data(d, K, n, seed=0):
    rng = np.random.default_rng(seed)
    alphas = rng.normal(size=K)
    means = rng.uniform(size=(K, d))
    icf = np.concatenate([0.1 * rng.normal(size=(K, d)),
                          0.1 * rng.normal(size=(K, d * (d - 1) // 2))], axis=1)
    x = rng.normal(size=(n, d))
    return alphas, means, icf, x, 1.0, 0.0


# -- 1-D reaction-diffusion time loop ------------------------------------------------------------
#
# Fisher-KPP, explicit Euler on a unit grid with fixed ends:
#   u_i <- u_i + dt (kappa (u_{i-1} - 2 u_i + u_{i+1}) + u_i (1 - u_i)),
# T steps; loss |u_T - y|^2, differentiated with respect to (u0, kappa).

def reaction_diffusion(u0, kappa, y, steps, dt):
    n = len(u0)
    u = u0.copy()
    for t in range(steps):
        new = np.empty(n)
        new[0] = u[0]
        new[n - 1] = u[n - 1]
        for i in range(1, n - 1):
            lap = u[i - 1] - 2.0 * u[i] + u[i + 1]
            new[i] = u[i] + dt * (kappa * lap + u[i] * (1.0 - u[i]))
        u = new
    return np.sum((u - y) ** 2)


def reaction_diffusion_hoisted(u0, kappa, y, steps, dt):
    """``reaction_diffusion`` with all time steps in one 2-d array created before the loop."""
    n = len(u0)
    U = np.empty((steps + 1, n))
    for i in range(n):
        U[0, i] = u0[i]
    for t in range(steps):
        U[t + 1, 0] = U[t, 0]
        U[t + 1, n - 1] = U[t, n - 1]
        for i in range(1, n - 1):
            lap = U[t, i - 1] - 2.0 * U[t, i] + U[t, i + 1]
            U[t + 1, i] = U[t, i] + dt * (kappa * lap + U[t, i] * (1.0 - U[t, i]))
    return np.sum((U[steps] - y) ** 2)


def reaction_diffusion_data(n, steps, seed=0):
    rng = np.random.default_rng(seed)
    grid = np.linspace(0.0, 1.0, n)
    u0 = 0.5 + 0.4 * np.sin(6.0 * grid) + 0.05 * rng.normal(size=n)
    y = 0.5 + 0.3 * np.cos(4.0 * grid)
    return u0, 1.0, y, steps, 0.002


# -- LSTM objective (ADBench / GradBench) -------------------------------------------------------
#
# ADBench's LSTM: l layers of b hidden units with element-wise ("diagonal") weights.
# main_params is (2 l, 4 b): row 2j holds layer j's weights of its four gates, row 2j + 1 their
# biases; extra_params is (3, b): input weights, output weights, output bias; state is (2 l, b):
# hidden and cell of each layer. The loss is the cross-entropy of predicting each element of the
# sequence (c, b) from the one before.

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_objective(main_params, extra_params, state, sequence):
    layers = main_params.shape[0] // 2
    c, b = sequence.shape
    state = state.copy()
    total = 0.0
    x = sequence[0]
    for t in range(c - 1):
        inp = x * extra_params[0]
        for j in range(layers):
            w = main_params[2 * j]
            bias = main_params[2 * j + 1]
            hidden = state[2 * j]
            cell = state[2 * j + 1]
            forget = sigmoid(inp * w[0:b] + bias[0:b])
            ingate = sigmoid(hidden * w[b:2 * b] + bias[b:2 * b])
            outgate = sigmoid(inp * w[2 * b:3 * b] + bias[2 * b:3 * b])
            change = np.tanh(hidden * w[3 * b:4 * b] + bias[3 * b:4 * b])
            cell = cell * forget + ingate * change
            hidden = outgate * np.tanh(cell)
            state[2 * j] = hidden
            state[2 * j + 1] = cell
            inp = hidden
        prediction = inp * extra_params[1] + extra_params[2]
        normalised = prediction - math.log(np.sum(np.exp(prediction)) + 2.0)
        x = sequence[t + 1]
        total += np.sum(x * normalised)
    return -total / ((c - 1) * b)


def lstm_data(layers, b, c, seed=0):
    rng = np.random.default_rng(seed)
    main_params = rng.uniform(-1.0, 1.0, size=(2 * layers, 4 * b))
    extra_params = rng.uniform(-1.0, 1.0, size=(3, b))
    state = rng.uniform(-1.0, 1.0, size=(2 * layers, b))
    sequence = rng.uniform(-1.0, 1.0, size=(c, b))
    return main_params, extra_params, state, sequence


# -- Bundle adjustment (ADBench): the reprojection error of one observation ----------------------
#
# A camera is 11 numbers: Rodrigues rotation (3), centre (3), focal length, principal point (2),
# radial distortion (2). ``reprojection_error`` maps (camera, point, weight, feature) to the
# weighted 2-d error; its 2 x 15 Jacobian block per observation is what bundle adjustment needs.

def rotate(rot, X):
    sqtheta = np.sum(rot * rot)
    if sqtheta != 0.0:
        theta = math.sqrt(sqtheta)
        c = math.cos(theta)
        s = math.sin(theta)
        w = rot / theta
        cross = np.array([w[1] * X[2] - w[2] * X[1],
                          w[2] * X[0] - w[0] * X[2],
                          w[0] * X[1] - w[1] * X[0]])
        return X * c + cross * s + w * (np.dot(w, X) * (1.0 - c))
    cross = np.array([rot[1] * X[2] - rot[2] * X[1],
                      rot[2] * X[0] - rot[0] * X[2],
                      rot[0] * X[1] - rot[1] * X[0]])
    return X + cross


def reprojection_error(cam, X, weight, feature):
    Xcam = rotate(cam[0:3], X - cam[3:6])
    p = Xcam[0:2] / Xcam[2]
    rsq = np.sum(p * p)
    distortion = 1.0 + cam[9] * rsq + cam[10] * rsq * rsq
    projection = p * (distortion * cam[6]) + cam[7:9]
    return weight * (projection - feature)


def reprojection_errors(cams, X, weights, features, cam_index, point_index):
    """All the reprojection errors, (p, 2): the objective's primal, as a user loops over it."""
    p = len(weights)
    errors = np.empty((p, 2))
    for j in range(p):
        e = reprojection_error(cams[cam_index[j]], X[point_index[j]], weights[j], features[j])
        errors[j, 0] = e[0]
        errors[j, 1] = e[1]
    return errors


def reprojection_errors_gathered(cams, X, weights, features):
    """All the reprojection errors, (p, 2), of observations whose camera and point rows are
    gathered already (row j of ``cams`` and ``X`` belong to observation j). The Jacobian is
    block diagonal, so one reverse pass per output component gives row r of every block."""
    p = len(weights)
    errors = np.empty((p, 2))
    for j in range(p):
        e = reprojection_error(cams[j], X[j], weights[j], features[j])
        errors[j, 0] = e[0]
        errors[j, 1] = e[1]
    return errors


def ba_data(n_cams, n_points, p, seed=0):
    rng = np.random.default_rng(seed)
    cams = np.empty((n_cams, 11))
    cams[:, 0:3] = 0.1 * rng.normal(size=(n_cams, 3))
    cams[:, 3:6] = 0.5 * rng.normal(size=(n_cams, 3))
    cams[:, 6] = 1.0 + 0.1 * rng.uniform(size=n_cams)
    cams[:, 7:9] = 0.01 * rng.normal(size=(n_cams, 2))
    cams[:, 9:11] = 0.01 * rng.normal(size=(n_cams, 2))
    X = rng.normal(size=(n_points, 3)) + np.array([0.0, 0.0, 6.0])
    weights = rng.uniform(0.5, 1.5, size=p)
    features = 0.2 * rng.normal(size=(p, 2))
    cam_index = rng.integers(0, n_cams, size=p)
    point_index = rng.integers(0, n_points, size=p)
    return cams, X, weights, features, cam_index, point_index


# -- RK4 ODE integration (GradBench's ``ode``, after cmpad's an_ode) ----------------------------
#
# y_0' = x_0, y_i' = x_i y_{i-1}, y(0) = 0, integrated to t = 2 with s steps of classical
# Runge-Kutta; the output is the last element of y(2), differentiated with respect to x.

def ode_rhs(x, y):
    z = np.empty(len(y))
    z[0] = x[0]
    for i in range(1, len(y)):
        z[i] = x[i] * y[i - 1]
    return z


def ode_solve(x, s):
    h = 2.0 / s
    y = np.zeros(len(x))
    for step in range(s):
        k1 = ode_rhs(x, y)
        k2 = ode_rhs(x, y + 0.5 * h * k1)
        k3 = ode_rhs(x, y + 0.5 * h * k2)
        k4 = ode_rhs(x, y + h * k3)
        y = y + h * (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0
    return y[len(x) - 1]


def ode_solve_hoisted(x, s):
    """``ode_solve`` with the four stage arrays created once, before the loop, and written in
    place (the right-hand side written out four times: a helper may not write into its
    argument)."""
    n = len(x)
    h = 2.0 / s
    y = np.zeros(n)
    k1 = np.empty(n)
    k2 = np.empty(n)
    k3 = np.empty(n)
    k4 = np.empty(n)
    for step in range(s):
        k1[0] = x[0]
        for i in range(1, n):
            k1[i] = x[i] * y[i - 1]
        k2[0] = x[0]
        for i in range(1, n):
            k2[i] = x[i] * (y[i - 1] + 0.5 * h * k1[i - 1])
        k3[0] = x[0]
        for i in range(1, n):
            k3[i] = x[i] * (y[i - 1] + 0.5 * h * k2[i - 1])
        k4[0] = x[0]
        for i in range(1, n):
            k4[i] = x[i] * (y[i - 1] + h * k3[i - 1])
        y = y + h * (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0
    return y[n - 1]


def ode_data(n, s, seed=0):
    # x_i ~ i / 2 keeps y_i(2) of order one (it is 2 x_0 / (i + 1) for x_i = i / 2 exactly)
    rng = np.random.default_rng(seed)
    x = np.arange(n) * 0.5 * rng.uniform(0.9, 1.1, size=n)
    x[0] = 1.0
    return x, s
