"""A corpus of small NumPy array programs for adcompiler, with their arguments.

``CASES`` are float64 programs (integer/bool arrays and ints appear as data), ``F32_CASES``
are float32 programs (checked with looser finite differences and for dtype preservation),
``REJECTED`` are programs that must be refused with a located ``ad.CompileError`` and
``COVERAGE`` maps every feature of the brief to the functions that exercise it.
"""
import numpy as np


# ---------------------------------------------------------------- elementwise arithmetic

def arith_ops(x, y):
    """Elementwise + - * / and unary -, + and ** 2 between same-shape arrays."""
    return (np.sum(x + y) + np.sum(x - 2.0 * y) + np.sum(x * y) + np.sum(x / (y * y + 1.0))
            + np.sum(-x) + np.sum(+y) + np.sum(x ** 2))


def scalar_left_ops(x, s):
    """A Python float on the left of array operators: s - x, s / x, s ** x, and x ** s."""
    return np.sum(s - x) + np.sum(s / x) + np.sum(s ** x) + np.sum(x ** s)


def array_pow_array(x, y):
    """x ** y with both operands arrays (x > 0)."""
    return np.sum(x ** y)


def bcast_scalar_matrix(a, s):
    """A float scalar broadcast against a 2-D array in several operators."""
    return np.sum(a * s + s / (1.0 + a * a) - s)


def bcast_col_row(c, r):
    """(3,1) * (1,4) broadcasting to (3,4)."""
    return np.sum(np.sin(c * r) + c - r)


def bcast_vec_mat(v, m):
    """(4,) + (2,4): broadcasting across different ranks."""
    return np.sum((v + m) ** 2 * m)


def bcast_size1_dim(a, b):
    """(1,3) with (3,3): a size-1 leading dimension."""
    return np.sum(a * b + a / (b * b + 1.0))


def bcast_col_vec(c, v):
    """(3,1) + (4,) -> (3,4): a size-1 dimension and a missing dimension at once."""
    return np.sum(np.exp(0.5 * (c + v)))


def bcast_rank3(t, v, c):
    """(2,3,4) array with a (4,) vector and a (3,1) array."""
    return np.sum(np.tanh(t * v + c))


def bcast_reduction_back(x, s):
    """A 0-d reduction (mean) broadcast back against its own array."""
    return np.sum((x - np.mean(x)) ** 2) * s


def inplace_array_ops(x, y):
    """Augmented assignment on whole arrays: z += y, z *= x, z -= 1.0, z /= 2.0."""
    z = x * 1.0
    z += y
    z *= x
    z -= 1.0
    z /= 2.0
    return np.sum(z * z)


# ---------------------------------------------------------------- ufuncs

def u_sin(x):
    """np.sin."""
    return np.sum(np.sin(x) * x)


def u_cos(x):
    """np.cos."""
    return np.sum(np.cos(x) * x)


def u_tan(x):
    """np.tan (|x| < 1)."""
    return np.sum(np.tan(x))


def u_arcsin(x):
    """np.arcsin (|x| < 0.8)."""
    return np.sum(np.arcsin(x) * x)


def u_arccos(x):
    """np.arccos (|x| < 0.8)."""
    return np.sum(np.arccos(x) ** 2)


def u_arctan(x):
    """np.arctan."""
    return np.sum(np.arctan(x * 2.0))


def u_arctan2(y, x):
    """np.arctan2 of two arrays."""
    return np.sum(np.arctan2(y, x) * y)


def u_sinh(x):
    """np.sinh."""
    return np.sum(np.sinh(x))


def u_cosh(x):
    """np.cosh."""
    return np.sum(np.cosh(x) * x)


def u_tanh(x):
    """np.tanh."""
    return np.sum(np.tanh(x) ** 2)


def u_exp(x):
    """np.exp."""
    return np.sum(np.exp(x) * x)


def u_expm1(x):
    """np.expm1."""
    return np.sum(np.expm1(x))


def u_log(x):
    """np.log (x > 0)."""
    return np.sum(np.log(x) * x)


def u_log1p(x):
    """np.log1p (x > -1)."""
    return np.sum(np.log1p(x))


def u_log2(x):
    """np.log2 (x > 0)."""
    return np.sum(np.log2(x) * x)


def u_log10(x):
    """np.log10 (x > 0)."""
    return np.sum(np.log10(x))


def u_sqrt(x):
    """np.sqrt (x > 0)."""
    return np.sum(np.sqrt(x) * x)


def u_power(x, y):
    """np.power with an array exponent and with a constant exponent."""
    return np.sum(np.power(x, y)) + np.sum(np.power(x, 3.0))


def u_hypot(x, y):
    """np.hypot of two arrays."""
    return np.sum(np.hypot(x, y))


def u_abs(x):
    """Builtin abs() and np.abs on arrays (no zeros)."""
    return np.sum(abs(x) * x) + np.sum(np.abs(x * 2.0))


def u_maximum_minimum(a, b):
    """np.maximum and np.minimum of two arrays, and against a scalar (no ties)."""
    return np.sum(np.maximum(a, b) ** 2) + np.sum(np.minimum(a, b) * a) + np.sum(np.maximum(a, 0.1))


def u_where(x, y):
    """np.where with an array condition and differentiable branches."""
    return np.sum(np.where(x > y, x * y, y - x) ** 2)


def u_where_scalar_branch(x):
    """np.where with a float constant as one branch (a ReLU and its mirror)."""
    return np.sum(np.where(x > 0.0, x, 0.0) * x) + np.sum(np.where(x < 0.0, 1.0, x * x))


def u_clip_array_bounds(x, lo, hi):
    """np.clip with differentiable array bounds (no value at a bound)."""
    return np.sum(np.clip(x, lo, hi) ** 2)


def pow_int_arg(x, n):
    """x ** n with an int argument n, x ** 0.5 and x ** -1."""
    return np.sum(x ** n) + np.sum(x ** 0.5) + np.sum(x ** -1)


def u_clip(x):
    """np.clip with constant bounds (no value at a bound)."""
    return np.sum(np.clip(x, -0.5, 0.5) * x)


def u_square(x):
    """np.square."""
    return np.sum(np.square(x) * x)


def u_sign(x):
    """np.sign as a non-differentiable factor."""
    return np.sum(np.sign(x) * x ** 2)


# ---------------------------------------------------------------- reductions

def red_sum(a):
    """np.sum whole-array, axis=0, axis=1 and axis=-1."""
    return (np.sum(a * a) + np.sum(np.sin(np.sum(a, axis=0))) + np.sum(np.sum(a, axis=1) ** 2)
            + np.sum(np.exp(np.sum(a, axis=-1))))


def red_mean(a):
    """np.mean whole-array and along axes."""
    return np.mean(a * a) + np.sum(np.mean(a, axis=0) ** 2) + np.sum(np.cos(np.mean(a, axis=1)))


def red_prod(a):
    """np.prod of a whole matrix and of a row."""
    return np.prod(a) + np.prod(a[1] * 2.0)


def red_max(a):
    """np.max of a whole array and of rows in a loop (no ties: adjoint to the argmax)."""
    s = np.max(a * a)
    for i in range(a.shape[0]):
        s = s + np.max(a[i]) ** 2
    return s


def red_max_strided(a):
    """np.max / np.min of non-contiguous views (a column, a row of a.T)."""
    return np.max(a[:, 1]) ** 2 + np.min(a.T[0]) + np.max(np.sin(a[:, 0]))


def red_3d(t):
    """Sum along axes 0 and 1 and mean of a 3-D array."""
    return np.sum(np.sum(t, axis=0) ** 2) + np.sum(np.sum(t, axis=1) ** 3) + np.mean(t)


def red_3d_last_axis(t):
    """Sum of a 3-D array along its last axis (axis=2 and axis=-1)."""
    return np.sum(np.sum(t, axis=2) * np.arange(2.0)) + np.sum(np.sum(t, axis=-1) ** 2)


def red_1d_axis0(x):
    """np.sum and np.mean with axis=0 on a vector (a scalar result)."""
    return np.sum(x * x, axis=0) + np.mean(np.sin(x), axis=0)


def red_min(a):
    """np.min of a whole array and of columns in a loop (no ties)."""
    s = np.min(np.sin(a))
    for j in range(a.shape[1]):
        s = s + np.min(a[:, j]) * (j + 1.0)
    return s


# ---------------------------------------------------------------- linear algebra and shapes

def la_dot(a, m, v):
    """np.dot vector.vector, matrix.vector, vector.matrix."""
    return np.dot(v, v) + np.sum(np.dot(m, v) ** 2) + np.sum(np.sin(np.dot(a, m)))


def la_matmul_op(a, b):
    """The @ operator matrix-matrix and matrix-vector."""
    return np.sum(np.tanh(a @ b)) + np.sum((a @ b[:, 0]) ** 2)


def la_np_matmul(a, b):
    """np.matmul matrix-matrix."""
    return np.sum(np.matmul(a, b) ** 2)


def la_outer(a, b):
    """np.outer of two vectors."""
    return np.sum(np.outer(a, b) ** 2 * np.outer(b[:2], a)[0, 0])


def dot_mm(a, b):
    """np.dot of two matrices and of a transposed matrix with itself."""
    return np.sum(np.dot(a, b) ** 2) + np.sum(np.dot(a.T, a))


def scalar_from_dot(a, v):
    """A 0-d np.dot result used as a scalar against arrays."""
    s = np.dot(v, v)
    return np.sum(a * s) + s * np.sum(a @ v)


def la_transpose(a):
    """np.transpose and .T."""
    return np.sum(np.transpose(a) @ a) + np.sum(a.T[0] ** 3)


def la_reshape(x):
    """np.reshape with a tuple and with -1."""
    return np.sum(np.reshape(x, (2, 3)) @ np.reshape(x, (3, 2))) + np.sum(np.reshape(x, (-1, 2))[1] ** 2)


def la_ravel(a):
    """np.ravel and .ravel() of a matrix and its transpose."""
    return np.sum(np.ravel(a) * np.arange(a.size)) + np.sum(np.ravel(a.T) ** 2)


def la_concatenate(a, b):
    """np.concatenate of three vectors and of two matrices (default axis 0)."""
    c = np.concatenate((a, b * 2.0, a))
    m = np.stack((a, a * a))
    return np.sum(c * c * np.arange(8)) + np.sum(np.concatenate((m, m * 2.0)) ** 3)


def la_stack(a, b):
    """np.stack of vectors (tuple and list form) and of matrices (default axis 0)."""
    m = np.stack((a, b * a))
    return np.sum(m ** 2) + np.sum(np.stack([a, b])[1] * a) + np.sum(np.stack((m, m * m)) ** 3)


def la_copy(x):
    """np.copy and .copy() (the copies are then written)."""
    y = np.copy(x)
    z = x.copy()
    y[0] = 3.0 * x[1]
    z[1] = y[0] * x[0]
    return np.sum(y * z)


def la_norm(x, m):
    """np.linalg.norm of a vector and (Frobenius) of a matrix."""
    return np.linalg.norm(x) + np.linalg.norm(m) * np.linalg.norm(x * 2.0)


# ---------------------------------------------------------------- constructors as data

def ctor_zeros(x):
    """np.zeros(n) and np.zeros((2, n)) filled in loops."""
    n = len(x)
    y = np.zeros(n)
    z = np.zeros((2, n))
    for i in range(n):
        y[i] = x[i] * x[i]
        z[1, i] = y[i] + x[0]
    return np.sum(y * x) + np.sum(z * z)


def ctor_ones(x):
    """np.ones(n) and np.ones((2, n)) in arithmetic."""
    return np.sum(np.ones(len(x)) * x) + np.sum((np.ones((2, len(x))) + x) ** 2)


def ctor_empty(x):
    """np.empty(n) completely filled before use."""
    y = np.empty(len(x))
    for i in range(len(x)):
        y[i] = np.exp(x[i])
    return np.sum(y * y)


def ctor_full(x):
    """np.full with a constant fill value."""
    return np.sum(np.full(len(x), 2.5) * x) + np.sum(np.full((2, len(x)), -1.0) * x ** 2)


def ctor_full_active(x, c):
    """np.full whose fill value is a differentiated scalar."""
    y = np.full(len(x), c)
    return np.sum(y * x) + np.sum(y * y)


def ctor_like(x):
    """np.zeros_like and np.ones_like, then written and combined."""
    y = np.zeros_like(x)
    o = np.ones_like(x)
    for i in range(len(x)):
        y[i] = x[i] * (i + 1.0)
    return np.sum(y * o * x) + np.sum(o * 2.0)


def ctor_arange(x):
    """np.arange(n), np.arange(start, stop) and a float np.arange as data."""
    n = len(x)
    return (np.sum(x * np.arange(n)) + np.sum(x * x * np.arange(1, n + 1))
            + np.sum(x * np.arange(0.0, 1.0 * n, 1.0)))


def ctor_linspace(x):
    """np.linspace as data."""
    return np.sum(x * np.linspace(0.0, 1.0, len(x)) ** 2)


def ctor_eye(a):
    """np.eye(n) added to a matrix."""
    return np.sum((a + np.eye(a.shape[0])) @ a) + np.sum(np.eye(3) * a)


def ctor_identity(x):
    """np.identity(3) broadcast against a vector and np.identity(n) in a matrix product."""
    return np.sum(np.identity(3) * x) + np.sum(np.identity(len(x)) @ x ** 2)


def ctor_eye_forms(a):
    """np.eye(N, M), np.eye(N, k=1), np.eye(N, M, k) and np.eye(N, M=m, k=k) as data."""
    n, m = a.shape
    return (np.sum(np.eye(n, m) * a) + np.sum(np.eye(n, k=1) @ a ** 2)
            + np.sum(np.eye(n, m, -1) * np.sin(a)) + np.sum(np.eye(n, M=m, k=2) * a))


def ctor_tri(a):
    """np.tri(N), np.tri(N, M), np.tri(N, M, k) and np.tri(N, k=k) as data."""
    n, m = a.shape
    return (np.sum(np.tri(n, m) * a * a) + np.sum(np.tri(n) @ a)
            + np.sum(np.tri(n, m, 1) * np.cos(a)) + np.sum(np.tri(n, k=-1) @ a))


def ctor_array_scalars(x, y):
    """np.array([...]) of scalar expressions (differentiable through the elements)."""
    v = np.array([x * y, np.sin(x), y ** 2, 1.0])
    return np.sum(v * v) + v[0] * v[2]


def ctor_array_elements(x):
    """np.array([...]) of array elements and scalar expressions."""
    v = np.array([x[0] * x[1], x[2], x[0] + 1.0])
    return np.dot(v, v) + np.sum(v * x)


def ctor_array_nested(x, y):
    """np.array([[...], [...]]) (a 2-D array from nested lists of scalars)."""
    m = np.array([[x, y], [y * x, 1.0]])
    return np.sum(m @ m)


# ---------------------------------------------------------------- attributes, methods, builtins

def attr_T(a):
    """.T of a matrix in a matrix product."""
    return np.sum(a.T @ a) + np.sum(a.T[1])


def attr_shape(a):
    """.shape read with indexing and unpacking as loop bounds."""
    m, n = a.shape
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(n):
            s = s + a[i, j] * (i + 1.0) * (j - m)
    return s


def attr_size_ndim(a):
    """.size and .ndim as data."""
    return np.sum(a * a) / a.size + a.ndim * np.sum(a)


def meth_sum_mean(a):
    """.sum() and .mean(), whole and with axis=."""
    return a.sum() + np.sum(a.sum(axis=0) ** 2) + a.mean() ** 2 + np.sum(a.mean(axis=1) ** 3)


def meth_max_min(a):
    """.max() and .min() of a whole array and of a row (no ties)."""
    return a.max() + a.min() * 2.0 + a[1].max() ** 2 + a[2].min()


def meth_dot(a, v):
    """.dot() matrix-vector and vector-vector."""
    w = a.dot(v)
    return w.dot(w) + v.dot(v)


def meth_reshape(x):
    """.reshape(r, c), .reshape((r, c)) and .reshape(-1)."""
    return np.sum(x.reshape(2, 3) @ x.reshape((3, 2))) + np.sum(x.reshape(3, 2).reshape(-1) * x)


def meth_copy(x):
    """.copy() written in a loop while the original is still read."""
    y = x.copy()
    for i in range(1, len(y)):
        y[i] = y[i - 1] * x[i]
    return np.sum(y) + np.sum(x * x)


def meth_astype(x, counts):
    """.astype(float) of a float array and of an int array used as weights."""
    w = counts.astype(float)
    return np.sum(x.astype(float) * w) + np.sum(x.astype(np.float64) ** 2)


def builtin_len(x):
    """len(x) as a loop bound and in arithmetic."""
    s = 0.0
    for i in range(len(x)):
        s = s + x[i] * len(x)
    return s / len(x)


def iter_for_v(x):
    """for v in x over a vector."""
    s = 0.0
    for v in x:
        s = s + v * np.sin(v)
    return s


def iter_rows(a):
    """for row in a over the rows of a matrix."""
    s = 0.0
    for row in a:
        s = s + np.dot(row, row) * row[0]
    return s


# ---------------------------------------------------------------- indexing reads

def read_index_args(x, i):
    """x[i], x[i + 1] with an int argument, x[-1], x[-2]."""
    return x[i] * x[i + 1] + x[-1] ** 2 + x[-2] * x[0]


def read_2d(a, i, j):
    """a[i, j], a[j, i], a[i, :], a[:, j], a[i][j] with int arguments."""
    return a[i, j] * a[j, i] + np.sum(a[i, :] ** 2) + np.sum(a[:, j] * a[:, 0]) + a[i][j]


def read_slices(x):
    """x[1:], x[:-1], x[::2], x[1:4], x[::-1]."""
    return (np.sum(x[1:] * x[:-1]) + np.sum(x[::2] ** 2) + np.sum(x[1:4] * 3.0)
            + np.sum(x[::-1] * x))


def read_slices_bounds(x, a, b):
    """x[a:b] with int argument bounds."""
    return np.sum(x[a:b] ** 2) + np.sum(x[:b] * x[-b:])


def read_2d_slices(a):
    """a[1:, :2], a[:, n] with a constant n, a[::2, 1:]."""
    return np.sum(a[1:, :2] ** 2) + np.sum(a[:, 2] * a[:, 1]) + np.sum(a[::2, 1:] * 2.0)


def read_newaxis(x):
    """x[None, :] and x[:, None] (an outer product by broadcasting)."""
    return np.sum(x[None, :] * x[:, None] * 2.0) + np.sum(x[None, :] ** 2)


def read_index_from_float(x, k):
    """Indices computed with int() of a float argument, negated and offset."""
    return x[int(k)] * x[-int(k)] + x[len(x) - 1 - int(k)]


def read_row_views(a):
    """A row view a[i] bound to a name in a loop, read and reduced."""
    s = 0.0
    for i in range(a.shape[0]):
        r = a[i]
        s = s + np.sum(r * r) * r[0] + np.max(r)
    return s


def read_repeated(x, n):
    """The same elements read many times inside a loop."""
    s = 0.0
    for k in range(n):
        s = s + x[0] * x[0] + x[k % len(x)] * x[1] + x[-1]
    return s


# ---------------------------------------------------------------- writes

def write_elems(x):
    """y[i] = ... and y[i] += ... on a fresh array."""
    y = np.zeros(len(x))
    y[0] = x[1] * x[2]
    y[1] = np.sin(x[0])
    y[0] += y[1] * x[0]
    y[2] += x[2] ** 2
    return np.sum(y * y)


def write_2d(a):
    """y[i, j] = ... and y[i, j] += ..."""
    y = np.zeros((3, 3))
    y[0, 1] = a[1, 0] * a[2, 2]
    y[1, 1] = y[0, 1] ** 2
    y[0, 1] += a[0, 0]
    y[2, 0] += y[0, 1] * a[1, 2]
    return np.sum(y * a)


def write_range(x, a, b):
    """y[i] = ... for i in range(a, b) with int argument bounds (the element form of y[a:b] = ...)."""
    y = np.zeros(6)
    for i in range(a, b):
        y[i] = x[i - a] * 2.0
    for i in range(1, 3):
        y[i] += x[i + 1] ** 2
    return np.sum(y * y) + y[a]


def write_slice(x, a, b):
    """y[a:b] = ... and y[1:3] += ... (slice writes)."""
    y = np.zeros(6)
    y[a:b] = x[: b - a] * 2.0
    y[1:3] += x[2:4] ** 2
    return np.sum(y * y) + y[a]


def write_row_col(a, v):
    """z[1, :] = v, z[:, 0] = ... and z[0] = ... (row and column writes)."""
    z = np.zeros((3, 4))
    z[1, :] = v * 2.0
    z[:, 0] = a[:, 1]
    z[0] = v * a[0]
    return np.sum(z ** 2)


def write_negative_index(x):
    """Writes at negative indices: y[-1] = ..., y[-2] += ..."""
    y = np.zeros(len(x))
    y[-1] = x[0] * x[-1]
    y[-2] += x[1] ** 2
    y[-1] += y[-2] * x[2]
    return np.sum(y * y)


def write_2d_loops(a, n):
    """A 2-D array overwritten cell by cell in nested loops, n sweeps."""
    b = a * 1.0
    for t in range(n):
        for i in range(1, b.shape[0]):
            for j in range(b.shape[1]):
                b[i, j] = b[i - 1, j] * 0.5 + np.tanh(b[i, j])
    return np.sum(b * a)


def write_zero_trip(x, n):
    """Array writes in loops that may run zero times (n = 0)."""
    y = x * 1.0
    for t in range(n):
        for i in range(len(y)):
            y[i] = np.sin(y[i]) + y[0]
    return np.sum(y * y)


def write_loop_overwrite(x, n):
    """The same elements overwritten many times in a loop with an int bound."""
    y = x * 1.0
    for t in range(n):
        for i in range(len(y)):
            y[i] = np.sin(y[i]) * 1.5 + y[(i + 1) % len(y)] * 0.3
    return np.sum(y * y)


def write_same_cell(x, n):
    """One cell overwritten on every iteration (an accumulator held in an array)."""
    acc = np.zeros(2)
    for k in range(n):
        acc[0] = acc[0] * 0.5 + x[k % len(x)] * acc[1] + 1.0
        acc[1] = np.cos(acc[0])
    return acc[0] + acc[1] * 2.0


def write_aug_loop(x, n):
    """y[i] += ... repeated on the same elements."""
    y = np.zeros(len(x))
    for k in range(n):
        for i in range(len(x)):
            y[i] += x[i] * y[(i + 1) % len(x)] + x[i] ** 2
    return np.sum(np.sin(y))


def write_param(x):
    """Writes into a parameter array (the caller's array must stay unmodified)."""
    x[0] = x[0] * x[1]
    x[1] += 3.0 * x[0]
    x[3] = x[0] * 2.0 + x[-1]
    return np.sum(x * x)


def write_param_slice(x):
    """A slice write into a parameter array."""
    x[2:4] = x[0:2] * 2.0
    return np.sum(x * x)


def write_param_loop(x, n):
    """A parameter array overwritten in a loop with an int bound."""
    for t in range(n):
        x[t % len(x)] = np.tanh(x[(t + 1) % len(x)] + x[t % len(x)])
    return np.sum(x ** 2)


def write_param_2d(a):
    """A 2-D parameter array written cell by cell, in a loop over a row."""
    a[0, 0] = a[1, 1] * a[0, 1]
    for j in range(a.shape[1]):
        a[1, j] = a[0, j] * 2.0 + a[1, j]
    return np.sum(a ** 3)


def write_param_row(a):
    """A whole-row write a[1] = ... into a 2-D parameter array."""
    a[1] = a[0] * 2.0
    return np.sum(a ** 3)


def write_slice_loop(x, n):
    """Slice writes overwritten in a loop."""
    y = x * 1.0
    for t in range(n):
        y[1:] = y[1:] * 0.5 + y[:-1] * 0.5
    return np.sum(y * x)


def write_slice_scalar(x, s):
    """A scalar broadcast into slices: y[1:4] = s, y[::2] += s * x[0]."""
    y = x * 1.0
    y[1:4] = s
    y[::2] += s * x[0]
    return np.sum(y * y * x)


def write_row_into_block(a, v):
    """A row broadcast into a 2-D slice, z[0:2, :] = v * ..., and z[1:, 1:3] += ..."""
    z = a * 1.0
    z[0:2, :] = v * z[2]
    z[1:, 1:3] += v[:2] * 0.5
    return np.sum(z ** 2)


def write_col_loop(a, s):
    """A column write reading the previous column, z[:, j] = z[:, j - 1] * s + ..., in a loop."""
    z = a * 1.0
    for j in range(1, z.shape[1]):
        z[:, j] = z[:, j - 1] * s + np.sin(z[:, j])
    return np.sum(z ** 2)


def write_row_part_loop(a, x):
    """Parts of rows, z[i, 1:] = ..., and whole rows, z[i] = ..., overwritten in a loop."""
    z = a * 1.0
    for i in range(z.shape[0]):
        z[i, 1:] = z[i, 1:] * x[i] + z[i - 1, :-1]
        z[i] = np.tanh(z[i])
    return np.sum(z * a)


def write_slice_while(x, c):
    """Slice writes in a while loop whose condition reads the written array."""
    y = x * 1.0
    k = 0
    while np.sum(y * y) < 40.0 and k < 6:
        y[1:] += c * y[:-1] ** 2
        k += 1
    return np.sum(np.sin(y))


def heat_in_place(u0, k, steps):
    """1-D explicit heat equation updating u[1:-1] in place, reading u on the right side."""
    u = u0.copy()
    for t in range(steps):
        u[1:-1] = u[1:-1] + k * (u[2:] - 2.0 * u[1:-1] + u[:-2])
    return np.sum(u ** 2)


def write_bool_mask(x):
    """A write through a boolean mask, y[x > 0.0] = 0.0 (rejected)."""
    y = x * 1.0
    y[x > 0.0] = 0.0
    return np.sum(y * x)


def write_int_index_array(x, idx):
    """A write through an int index array, y[idx] = 1.0, then y[idx] += x[idx] ** 2."""
    y = x * 1.0
    y[idx] = 1.0
    y[idx] += x[idx] ** 2
    return np.sum(y * x)


def write_2d_index_array(x, idx):
    """A write through a 2-d int index array (rejected)."""
    y = x * 1.0
    y[idx] = 1.0
    return np.sum(y * x)


def write_slice_of_view(x):
    """A slice write through a view of another array (rejected)."""
    y = x * 1.0
    r = y[1:]
    r[0:2] = 1.0
    return np.sum(y * x)


# ---------------------------------------------------------------- integer and boolean arrays as data

def int_gather(x, idx):
    """An int index array used to read x[idx[k]] in a loop."""
    s = 0.0
    for k in range(len(idx)):
        s = s + x[idx[k]] * (k + 1.0) * x[idx[k]]
    return s


def int_scatter(x, idx):
    """An int index array used to write y[idx[k]] += ... (repeated targets)."""
    y = np.zeros(len(x))
    for k in range(len(idx)):
        y[idx[k]] += x[k] ** 2 + y[idx[k]] * x[k]
    return np.sum(y * y)


def int_fancy_index(x, idx):
    """x[idx] with an int index array (a gather; repeated and negative indices)."""
    return np.sum(x[idx] ** 2)


def int_weights(x, counts):
    """An int array in float arithmetic (broadcasting int and float)."""
    return np.sum(x * counts) + np.sum(x ** 2 / (counts + 1))


def int_index_write_loop(x, idx, n):
    """Writes at positions read from an int array, overwritten n times."""
    y = x * 1.0
    for t in range(n):
        for k in range(len(idx)):
            y[idx[k]] = y[idx[k]] * 0.5 + np.cos(y[(idx[k] + 1) % len(y)])
    return np.sum(y * x)


def bool_mask_where(x, mask):
    """A bool mask argument as the condition of np.where."""
    return np.sum(np.where(mask, x * x, -x))


def bool_mask_from_cmp(x, labels):
    """A bool mask computed from an int array (labels == 1) inside np.where."""
    return np.sum(np.where(labels == 1, np.exp(x), x * 0.5))


def bool_mask_mul(x, mask):
    """A bool mask multiplied into a float array."""
    return np.sum(x * mask * x)


def bool_mask_index(x, mask):
    """x[mask] with a bool mask (boolean indexing)."""
    return np.sum(x[mask] ** 2)


def bool_branch_on_elem(x, mask):
    """Branching on elements of a bool array inside a loop."""
    s = 0.0
    for i in range(len(x)):
        if mask[i]:
            s = s + x[i] ** 2
        else:
            s = s - np.sin(x[i])
    return s


# ---------------------------------------------------------------- array and tuple outputs

def out_array(x, y):
    """Returns an elementwise array."""
    return np.sin(x) * y


def out_matrix(a, v):
    """Returns a matrix built by broadcasting and matmul."""
    return np.outer(v, v) * a + a @ a


def out_written_array(x, n):
    """Returns an array written in a loop (a prefix sum, n passes)."""
    y = x * 1.0
    for t in range(n):
        for i in range(1, len(y)):
            y[i] = y[i] + 0.5 * y[i - 1]
    return y


def out_tuple_scalar_array(x):
    """Returns (scalar, array)."""
    return np.sum(x * x), np.cos(x) * x


def out_tuple_arrays(a, x):
    """Returns (matrix-vector product, scaled vector)."""
    return a @ x, x * 2.0 + np.sum(a)


def out_tuple_loop(x, n):
    """Returns a tuple of two arrays computed in a loop."""
    a = x * 1.0
    b = np.zeros(len(x))
    for t in range(n):
        b = b + a * a
        a = np.sin(a)
    return a, b


def out_param_written(x):
    """Returns a parameter array after writing into it."""
    x[0] = x[1] * x[2]
    return x * 2.0


# ---------------------------------------------------------------- realistic programs

def mlp_loss(w1, b1, w2, b2, x, t):
    """Two-layer MLP (tanh) with mean-squared-error loss."""
    h = np.tanh(x @ w1 + b1)
    out = h @ w2 + b2
    return np.mean((out - t) ** 2)


def mlp_relu_loop(w1, w2, x, t):
    """MLP with a ReLU via np.maximum, looping over samples."""
    loss = 0.0
    for n in range(x.shape[0]):
        h = np.maximum(w1 @ x[n], 0.0)
        y = np.dot(w2, h)
        loss = loss + (y - t[n]) ** 2
    return loss / x.shape[0]


def softmax_xent_labels(logits, labels):
    """Softmax cross-entropy with int labels, stable log-sum-exp per row."""
    loss = 0.0
    for i in range(logits.shape[0]):
        row = logits[i]
        m = np.max(row)
        lse = m + np.log(np.sum(np.exp(row - m)))
        loss = loss + lse - row[labels[i]]
    return loss / logits.shape[0]


def softmax_xent_onehot(logits, y):
    """Vectorised softmax cross-entropy with one-hot targets (global max shift, axis sums)."""
    z = logits - np.max(logits)
    lse = np.log(np.sum(np.exp(z), axis=1))
    return np.mean(lse - np.sum(z * y, axis=1))


def softmax_xent_rowmax(logits, y):
    """Vectorised softmax cross-entropy shifted by the row max (np.max with axis=1, [:, None])."""
    m = np.max(logits, axis=1)
    z = logits - m[:, None]
    lse = np.log(np.sum(np.exp(z), axis=1))
    return np.mean(lse - np.sum(z * y, axis=1))


def least_squares(a, x, b):
    """0.5 * ||A x - b||^2."""
    r = a @ x - b
    return 0.5 * np.dot(r, r)


def ridge_loss(a, x, b, lam):
    """Least squares plus an L2 penalty with a scalar weight."""
    r = np.dot(a, x) - b
    return np.sum(r ** 2) + lam * np.sum(x ** 2)


def heat_vectorised(u0, k, steps):
    """1-D explicit heat equation with slice reads and np.concatenate, fixed ends, int steps."""
    u = u0.copy()
    for t in range(steps):
        inner = u[1:-1] + k * (u[2:] - 2.0 * u[1:-1] + u[:-2])
        u = np.concatenate((u[:1], inner, u[-1:]))
    return np.sum(u ** 2)


def heat_slice_write(u0, k, steps):
    """1-D explicit heat equation written with un[1:-1] = ... (a slice write)."""
    u = u0.copy()
    for t in range(steps):
        un = u.copy()
        un[1:-1] = u[1:-1] + k * (u[2:] - 2.0 * u[1:-1] + u[:-2])
        u = un
    return np.sum(u ** 2)


def reaction_diffusion_fresh_state(u0, k, steps):
    """Explicit time stepping that allocates its next state in each step (double buffering)."""
    u = u0
    n = u0.shape[0]
    for _ in range(steps):
        new = np.empty(n)
        new[0] = u[0]
        new[n - 1] = u[n - 1]
        for i in range(1, n - 1):
            new[i] = u[i] + k * (u[i - 1] - 2.0 * u[i] + u[i + 1]) - 0.1 * u[i] ** 3
        u = new
    return np.sum(u * u)


def heat_swap_buffers(u0, k, steps):
    """Double buffering: two arrays made before the loop, swapped (u, new = new, u) each step."""
    n = u0.shape[0]
    u = u0.copy()
    new = np.empty(n)
    for _ in range(steps):
        new[0] = u[0]
        new[n - 1] = u[n - 1]
        for i in range(1, n - 1):
            new[i] = u[i] + k * (u[i - 1] - 2.0 * u[i] + u[i + 1]) - 0.1 * u[i] ** 3
        u, new = new, u
    return np.sum(u * u) + 0.5 * np.sum(new)


def swap_keeping_stale_entries(x, steps):
    """Swapped buffers whose first element is never rewritten (read two steps later)."""
    a = x.copy()
    b = x * 2.0
    for _ in range(steps):
        for i in range(1, x.shape[0]):
            b[i] = a[i] * a[i - 1] + b[i]
        a, b = b, a
    return np.sum(a * b) + a[0]


def write_then_replace(x, steps):
    """A carried array written, then replaced by a new one in the same iteration."""
    b = x.copy()
    total = 0.0
    for t in range(steps):
        b[0] = b[1] * 2.0 + t
        total += np.sum(b * b)
        b = b * 0.5
    return total + np.sum(b)


def per_sample_scratch(x, c):
    """A scratch array per sample, written element by element, then reduced."""
    s = 0.0
    for i in range(x.shape[0]):
        terms = np.empty(3)
        for j in range(3):
            terms[j] = x[i] * c[j] + j
        s = s + np.max(terms) + np.sum(terms * terms)
    return s


def scratch_in_branch(x, c):
    """A scratch array created in a branch inside a loop, written by slices and read back."""
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] > 0.0:
            w = np.zeros(3)
            w[1:] = c[1:] * x[i]
            w[0] = w[1] * w[2]
            s = s + np.sum(w * c)
        else:
            s = s - x[i]
    return s


def scratch_in_branch_while(x, c):
    """A scratch array created in a branch inside a loop and written by a while loop there."""
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] > 0.0:
            w = np.zeros(3)
            j = 0
            while j < 3:
                w[j] = c[j] * x[i]
                j += 1
            s = s + np.sum(w * c)
        else:
            s = s - x[i]
    return s


def heat_loop(u0, k, steps):
    """1-D explicit heat equation with element loops and a swap buffer."""
    n = len(u0)
    u = u0.copy()
    v = np.zeros(n)
    for t in range(steps):
        v[0] = u[0]
        v[n - 1] = u[n - 1]
        for i in range(1, n - 1):
            v[i] = u[i] + k * (u[i + 1] - 2.0 * u[i] + u[i - 1])
        for i in range(n):
            u[i] = v[i]
    return np.sum(u * u0)


def cumsum_loop(x):
    """Cumulative sum written element by element."""
    c = np.zeros(len(x))
    acc = 0.0
    for i in range(len(x)):
        acc = acc + x[i]
        c[i] = acc
    return np.sum(c * c)


def running_max(x):
    """Running maximum with builtin max() of scalars (no ties)."""
    m = x[0]
    out = np.empty(len(x))
    for i in range(len(x)):
        m = max(m, x[i])
        out[i] = m
    return np.sum(out * x)


def poly_horner(c, x):
    """Polynomial evaluation by Horner's rule at many points."""
    y = np.zeros_like(x)
    for k in range(len(c)):
        y = y * x + c[k]
    return np.sum(y ** 2)


def poly_powers(c, x):
    """Polynomial evaluation with x ** k and float(k)."""
    y = np.zeros(len(x))
    for k in range(len(c)):
        y = y + c[k] * x ** float(k)
    return np.sum(np.sin(y))


def matrix_power_loop(a, k):
    """A^k by repeated @ in a loop with an int power."""
    p = np.eye(a.shape[0])
    for i in range(k):
        p = p @ a
    return np.sum(p * p)


def rnn(w, u, h0, xs):
    """Elman RNN: h = tanh(W h + U x_t) over a sequence."""
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(w @ h + u @ xs[t])
    return np.sum(h ** 2)


def gradient_descent(a, b, lr, iters):
    """Unrolled gradient descent on least squares (differentiate through the optimiser)."""
    x = np.zeros(a.shape[1])
    for it in range(iters):
        x = x - lr * (a.T @ (a @ x - b))
    return np.sum(x * x)


def logsumexp(x):
    """Stable log-sum-exp."""
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


def layer_norm(x, g):
    """Layer normalisation with a gain vector."""
    mu = np.mean(x)
    var = np.mean((x - mu) ** 2)
    return np.sum(((x - mu) / np.sqrt(var + 1e-5)) * g * np.arange(len(x)))


def attention(q, k, v):
    """Single-head attention: row softmax of Q K^T / sqrt(d), then @ V."""
    s = q @ k.T / np.sqrt(q.shape[1])
    total = 0.0
    for i in range(q.shape[0]):
        e = np.exp(s[i] - np.max(s[i]))
        p = e / np.sum(e)
        total = total + np.sum((p @ v) ** 2)
    return total


def pairwise_energy(p):
    """Soft pairwise energy over point pairs (double loop, row differences)."""
    e = 0.0
    for i in range(p.shape[0]):
        for j in range(i + 1, p.shape[0]):
            d = p[i] - p[j]
            e = e + 1.0 / (1.0 + np.dot(d, d))
    return e


def conv1d(x, w):
    """Valid 1-D convolution written with a loop and slices."""
    n = len(x) - len(w) + 1
    y = np.zeros(n)
    for i in range(n):
        y[i] = np.dot(x[i:i + len(w)], w)
    return np.sum(np.tanh(y))


def euler_oscillator(state, dt, steps):
    """Explicit Euler for a damped oscillator with an array state."""
    s = state.copy()
    for t in range(steps):
        s = s + dt * np.array([s[1], -s[0] - 0.1 * s[1]])
    return s[0] ** 2 + s[1]


def trapezoid(y, dx):
    """Trapezoid-rule integral of samples with a float step."""
    return dx * (np.sum(y[1:] + y[:-1]) * 0.5)


def kmeans_cost(x, c):
    """Soft k-means style cost: per-point min over centre distances (no ties)."""
    cost = 0.0
    for i in range(x.shape[0]):
        d = np.sum((c - x[i]) ** 2, axis=1)
        cost = cost + np.min(d)
    return cost


def logistic_regression(w, x, y):
    """Logistic-regression negative log-likelihood with a sigmoid."""
    z = x @ w
    p = 1.0 / (1.0 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def newton_sqrt(a, iters):
    """Newton iterations for elementwise sqrt (differentiate through the iteration)."""
    x = a * 0.5 + 0.5
    for i in range(iters):
        x = 0.5 * (x + a / x)
    return np.sum(x)


def while_normalise(x):
    """A while loop on an array condition."""
    y = x * 1.0
    k = 0
    while np.max(np.abs(y)) > 0.1 and k < 10:
        y = y * 0.5 + 0.01 * np.sin(y)
        k += 1
    return np.sum(y * x)


# ---------------------------------------------------------------- branches on arrays

def branch_array(x):
    """An array assigned in both branches of an if on a reduction (outside any loop)."""
    if np.sum(x) > 0.0:
        y = x * 2.0
    else:
        y = np.exp(x)
    return np.sum(y * x)


def branch_scalar_cond(x, c):
    """An array assigned in both branches of an if on a float argument."""
    if c > 0.0:
        y = x * c
    else:
        y = x * 3.0
    return np.sum(y * y)


def branch_return(x, c):
    """Early return of an array reduction from one branch."""
    if c > 0.0:
        return np.sum(x * c)
    return np.sum(x * x)


def branch_in_loop(x, c):
    """An array assigned in both branches of an if inside a loop."""
    s = 0.0
    for i in range(3):
        if c > 0.0:
            y = x * c
        else:
            y = x * 3.0
        s = s + np.sum(y * x)
    return s


def red_prod_axis(a):
    """np.prod with axis=0 and axis=-1 of a matrix."""
    return np.sum(np.prod(a, axis=0)) + np.sum(np.prod(a, axis=-1) ** 2)


def red_max_axis(a):
    """np.max with axis=."""
    return np.sum(np.max(a, axis=0) ** 2)


def red_min_axis(a):
    """np.min with axis=."""
    return np.sum(np.min(a, axis=1))


def meth_max_axis(a):
    """.max(axis=)."""
    return np.sum(a.max(axis=1))


def meth_prod(a):
    """.prod() of a vector and .prod(axis=) of its outer product."""
    return a.prod() + np.sum(np.outer(a, a).prod(axis=1))


def red_max_min_3d(t):
    """np.max / np.min of a 3-D array along each axis, negative axes too (no ties)."""
    return (np.sum(np.max(t, axis=0) ** 2) + np.sum(np.min(t, axis=1) * 3.0)
            + np.sum(np.sin(np.max(t, axis=-1))) + np.sum(t.min(axis=-3)))


def red_prod_3d(t):
    """np.prod of a 3-D array along each axis."""
    return np.sum(np.prod(t, axis=0)) + np.sum(np.prod(t, axis=1) ** 2) + np.sum(t.prod(axis=-1))


def red_prod_zeros(a):
    """np.prod whole and along both axes of a matrix holding exact zeros."""
    return np.prod(a[0]) + np.sum(np.prod(a, axis=0) * 2.0) + np.sum(np.prod(a, axis=1) ** 2) + np.prod(a)


def red_axis_positional(a):
    """The axis given by position: np.sum(a, 1), np.max(a, 0), np.prod(a, -1), a.min(1)."""
    return np.sum(np.sum(a, 1) ** 2) + np.sum(np.max(a, 0)) + np.sum(np.prod(a, -1)) + np.sum(a.min(1))


def red_1d_axis_max(x):
    """np.max / np.min / np.prod with axis=0 (and -1) of a vector: a scalar."""
    return np.max(x, axis=0) ** 2 + np.min(x, axis=-1) + np.prod(x, axis=0)


def red_keepdims(a):
    """np.sum / np.mean with keepdims=True, along an axis and whole (broadcast back)."""
    return (np.sum(np.sum(a, axis=1, keepdims=True) * a) + np.sum(np.mean(a, axis=0, keepdims=True) ** 2 * a)
            + np.sum(a.sum(keepdims=True) * a))


def red_keepdims_max_min(a):
    """A row-max shift with keepdims=True (stable softmax), and column min with keepdims."""
    z = a - np.max(a, axis=1, keepdims=True)
    return np.sum(np.log(np.sum(np.exp(z), axis=1))) + np.sum(a.min(axis=-2, keepdims=True) * a)


def red_keepdims_3d(t):
    """keepdims=True on a 3-D array: sum whole, max / prod / mean along axes."""
    return (np.sum(np.sum(t, keepdims=True) * t) + np.sum(np.max(t, axis=1, keepdims=True) * t)
            + np.sum(np.prod(t, axis=2, keepdims=True) * t) + np.sum(t.mean(axis=-3, keepdims=True) ** 2))


def red_keepdims_1d(x):
    """keepdims=True of a vector: a length-1 array."""
    return np.sum(np.max(x, keepdims=True) * x) + np.sum(np.sum(x, axis=0, keepdims=True) * x)


def red_max_axis_4d(t):
    """np.max with axis= of a 4-D array (rejected: up to 3-D)."""
    return np.sum(np.max(t, axis=1))


def red_axis_variable(a, k):
    """axis= given by a variable (rejected: it must be a constant)."""
    return np.sum(np.min(a, axis=k))


def red_keepdims_variable(a, k):
    """keepdims= given by a variable (rejected: it must be a constant)."""
    return np.sum(np.sum(a, axis=0, keepdims=k > 0))


# ---------------------------------------------------------------- float32 programs

def f32_elementwise(x, y):
    """float32 elementwise math and broadcasting."""
    return np.sum(np.sin(x) * y + np.exp(x * 0.5))


def f32_reductions(a):
    """float32 reductions: whole max, sum along an axis, mean."""
    return np.max(a) ** 2 + np.sum(np.sum(a, axis=0) ** 2) + np.mean(a * a)


def f32_write_loop(x, n):
    """float32 array written in a loop."""
    y = x * 1.0
    for t in range(n):
        for i in range(1, len(y)):
            y[i] = y[i] * 0.5 + np.tanh(y[i - 1])
    return np.sum(y * y)


def f32_scalar_arg(x, s):
    """float32 array times a float scalar argument."""
    return np.sum(x * s + np.sin(x))


def f32_outputs(x):
    """float32 array output inside a tuple output."""
    return x * x, np.sum(x)


def f32_scaled_array(x, s):
    """float32 array output of a float32 array times Python floats and a float argument."""
    return x * 0.5 + np.sin(x) * s - s


def f32_matmul(a, v):
    """float32 matmul and dot."""
    w = a @ v
    return np.dot(w, w)


def f32_outer(a, b):
    """np.outer of float32 vectors: a float32 matrix output, and in a loop with a scalar."""
    m = np.outer(a, b) * 0.5
    for i in range(2):
        m = m + np.outer(b[:2], a[:3] * m[0, 0])[i, 0] * m
    return m


def f32_outer_loss(a, b):
    """np.outer of float32 vectors reduced to a loss, its rows through a matrix product."""
    m = np.outer(a, b)
    return np.sum(m * m) + np.sum(m.T @ a) * np.max(m)


# ---------------------------------------------------------------- rejected programs

def grad_of_array(x):
    """An array output: ad.grad must refuse it (use vjp/jacobian)."""
    return x * 2.0


def la_concatenate_axis(a, b):
    """np.concatenate with an explicit axis=."""
    return np.sum(np.concatenate((a, b), axis=1) ** 2)


def la_stack_axis(a, b):
    """np.stack with axis=1."""
    return np.sum(np.stack((a, b), axis=1) ** 2)


# ---------------------------------------------------------------- arguments

rng = np.random.default_rng(20240611)


def N(*shape):
    """Standard normal float64 array."""
    return rng.normal(size=shape)


def U(lo, hi, *shape):
    """Uniform float64 array."""
    return rng.uniform(lo, hi, size=shape)


def spread(*shape):
    """Values far from each other (no ties for max/min), shuffled."""
    n = int(np.prod(shape))
    v = np.linspace(-1.5, 1.5, n) + rng.uniform(-0.05, 0.05, size=n)
    return rng.permutation(v).reshape(shape)


CASES = [
    (arith_ops, (N(4), N(4))),
    (scalar_left_ops, (U(0.5, 2.0, 5), 1.7)),
    (array_pow_array, (U(0.5, 2.0, 2, 3), N(2, 3))),
    (bcast_scalar_matrix, (N(3, 4), 0.8)),
    (bcast_col_row, (N(3, 1), N(1, 4))),
    (bcast_vec_mat, (N(4), N(2, 4))),
    (bcast_size1_dim, (N(1, 3), N(3, 3))),
    (bcast_col_vec, (N(3, 1), N(4))),
    (bcast_rank3, (N(2, 3, 4), N(4), N(3, 1))),
    (bcast_reduction_back, (N(5), 1.3)),
    (inplace_array_ops, (N(4), N(4))),
    (u_sin, (N(5),)),
    (u_cos, (N(2, 3),)),
    (u_tan, (U(-1.0, 1.0, 4),)),
    (u_arcsin, (U(-0.8, 0.8, 4),)),
    (u_arccos, (U(-0.8, 0.8, 2, 2),)),
    (u_arctan, (N(4),)),
    (u_arctan2, (N(4), U(0.3, 1.5, 4))),
    (u_sinh, (N(4),)),
    (u_cosh, (N(4),)),
    (u_tanh, (N(3, 2),)),
    (u_exp, (N(4),)),
    (u_expm1, (N(4),)),
    (u_log, (U(0.3, 2.0, 4),)),
    (u_log1p, (U(-0.5, 2.0, 4),)),
    (u_log2, (U(0.3, 2.0, 4),)),
    (u_log10, (U(0.3, 2.0, 2, 3),)),
    (u_sqrt, (U(0.3, 2.0, 4),)),
    (u_power, (U(0.5, 2.0, 4), N(4))),
    (u_hypot, (N(4), N(4))),
    (u_abs, (spread(5),)),
    (u_maximum_minimum, (spread(5), spread(5) + 0.013)),
    (u_where, (spread(4), spread(4) + 0.017)),
    (u_clip, (spread(6) + 0.011,)),
    (u_where_scalar_branch, (spread(5) + 0.013,)),
    (u_clip_array_bounds, (np.array([-1.0, 0.05, 1.0, 0.3]), np.array([-0.5, -0.5, 0.2, 0.1]),
                           np.array([0.5, 0.6, 0.7, 0.8]))),
    (pow_int_arg, (U(0.5, 2.0, 4), 3)),
    (u_square, (N(2, 3),)),
    (u_sign, (spread(5),)),
    (red_sum, (N(3, 4),)),
    (red_mean, (N(3, 4),)),
    (red_prod, (U(0.5, 1.5, 3, 3),)),
    (red_max, (spread(3, 4),)),
    (red_min, (spread(3, 4),)),
    (red_max_strided, (spread(3, 3),)),
    (red_3d, (N(2, 3, 2),)),
    (red_3d_last_axis, (N(2, 2, 2),)),
    (red_1d_axis0, (N(4),)),
    (red_prod_axis, (N(3, 3),)),
    (red_max_axis, (spread(3, 3),)),
    (red_min_axis, (spread(3, 3),)),
    (meth_max_axis, (spread(3, 3),)),
    (meth_prod, (U(0.5, 1.5, 3),)),
    (red_max_min_3d, (spread(2, 3, 4),)),
    (red_prod_3d, (U(0.5, 1.5, 2, 3, 2),)),
    (red_prod_zeros, (np.array([[0.0, 1.2, -0.7], [0.9, 0.0, 1.1], [0.0, 1.4, 0.8]]),)),
    (red_1d_axis_max, (spread(4),)),
    (red_axis_positional, (spread(3, 4) + 1.7,)),
    (softmax_xent_rowmax, (spread(4, 3), np.eye(3)[[0, 2, 1, 2]])),
    (red_keepdims, (N(2, 3),)),
    (red_keepdims_max_min, (spread(3, 4),)),
    (red_keepdims_3d, (U(0.5, 1.5, 2, 3, 2) + spread(2, 3, 2) * 0.1,)),
    (red_keepdims_1d, (spread(4),)),
    (la_dot, (N(3), N(3, 4), N(4))),
    (la_matmul_op, (N(3, 4), N(4, 2))),
    (la_np_matmul, (N(2, 3), N(3, 4))),
    (la_outer, (N(4), N(3))),
    (la_transpose, (N(3, 4),)),
    (dot_mm, (N(2, 3), N(3, 2))),
    (scalar_from_dot, (N(2, 3), N(3))),
    (la_reshape, (N(6),)),
    (la_ravel, (N(2, 3),)),
    (la_concatenate, (N(3), N(2))),
    (la_stack, (N(3), N(3))),
    (la_copy, (N(4),)),
    (la_norm, (N(4), N(2, 3))),
    (ctor_zeros, (N(4),)),
    (ctor_ones, (N(4),)),
    (ctor_empty, (N(5),)),
    (ctor_full, (N(3),)),
    (ctor_full_active, (N(3), 0.7)),
    (ctor_like, (N(4),)),
    (ctor_arange, (N(5),)),
    (ctor_linspace, (N(5),)),
    (ctor_eye, (N(3, 3),)),
    (ctor_identity, (N(3),)),
    (ctor_eye_forms, (N(3, 4),)),
    (ctor_tri, (N(3, 4),)),
    (ctor_array_scalars, (0.6, -1.1)),
    (ctor_array_nested, (0.6, -1.1)),
    (ctor_array_elements, (N(3),)),
    (attr_T, (N(3, 2),)),
    (attr_shape, (N(2, 3),)),
    (attr_size_ndim, (N(2, 3),)),
    (meth_sum_mean, (N(3, 4),)),
    (meth_max_min, (spread(3, 4),)),
    (meth_dot, (N(3, 4), N(4))),
    (meth_reshape, (N(6),)),
    (meth_copy, (N(5),)),
    (meth_astype, (N(4), np.array([1, 3, 0, 2]))),
    (builtin_len, (N(5),)),
    (iter_for_v, (N(5),)),
    (iter_rows, (N(3, 2),)),
    (read_index_args, (N(5), 2)),
    (read_2d, (N(3, 3), 1, 2)),
    (read_slices, (N(6),)),
    (read_slices_bounds, (N(6), 1, 4)),
    (read_2d_slices, (N(4, 3),)),
    (read_newaxis, (N(4),)),
    (read_repeated, (N(4), 7)),
    (read_index_from_float, (N(5), 1.7)),
    (read_row_views, (spread(3, 2),)),
    (write_elems, (N(3),)),
    (write_2d, (N(3, 3),)),
    (write_range, (N(5), 2, 5)),
    (write_loop_overwrite, (N(4), 3)),
    (write_negative_index, (N(4),)),
    (write_int_index_array, (N(4), np.array([0, 2, 0, -1]))),
    (write_2d_loops, (N(3, 2), 2)),
    (write_zero_trip, (N(3), 0)),
    (write_zero_trip, (N(3), 2)),
    (write_same_cell, (N(3), 6)),
    (write_aug_loop, (0.3 * N(4), 3)),
    (write_param, (N(5),)),
    (write_param_loop, (N(4), 7)),
    (write_param_2d, (N(2, 2),)),
    (write_slice, (N(5), 2, 5)),
    (write_row_col, (N(3, 4), N(4))),
    (write_param_slice, (N(5),)),
    (write_param_row, (N(2, 2),)),
    (write_slice_loop, (N(5), 4)),
    (write_slice_scalar, (N(5), 0.7)),
    (write_row_into_block, (N(3, 4), N(4))),
    (write_col_loop, (N(3, 4), 0.8)),
    (write_row_part_loop, (N(3, 4), N(3))),
    (write_slice_while, (N(4), 0.3)),
    (heat_in_place, (N(6), 0.2, 5)),
    (int_gather, (N(4), np.array([2, 0, 2, 3, 1]))),
    (int_scatter, (N(4), np.array([1, 1, 3, 0]))),
    (int_index_write_loop, (N(4), np.array([2, 0, 2]), 3)),
    (int_weights, (N(4), np.array([2, 3, 0, 5]))),
    (int_fancy_index, (N(4), np.array([3, 0, 3, -1]))),
    (bool_mask_where, (N(5), np.array([True, False, True, True, False]))),
    (bool_mask_from_cmp, (N(4), np.array([1, 0, 2, 1]))),
    (bool_mask_mul, (N(4), np.array([True, False, False, True]))),
    (bool_branch_on_elem, (N(4), np.array([True, False, False, True]))),
    (out_array, (N(4), N(4))),
    (out_matrix, (N(3, 3), N(3))),
    (out_written_array, (N(4), 2)),
    (out_tuple_scalar_array, (N(3),)),
    (out_tuple_arrays, (N(2, 3), N(3))),
    (out_param_written, (N(3),)),
    (out_tuple_loop, (N(3), 3)),
    (branch_array, (N(3) + 1.0,)),
    (branch_array, (N(3) - 1.0,)),
    (branch_scalar_cond, (N(3), 0.7)),
    (branch_scalar_cond, (N(3), -0.7)),
    (branch_return, (N(3), 0.7)),
    (branch_in_loop, (N(3), 0.7)),
    (mlp_loss, (0.5 * N(3, 4), N(4), 0.5 * N(4, 2), N(2), N(5, 3), N(5, 2))),
    (mlp_relu_loop, (N(4, 3), N(4), N(3, 3), N(3))),
    (softmax_xent_labels, (N(4, 3), np.array([0, 2, 1, 2]))),
    (softmax_xent_onehot, (spread(4, 3), np.eye(3)[[0, 2, 1, 2]])),
    (least_squares, (N(4, 3), N(3), N(4))),
    (ridge_loss, (N(4, 3), N(3), N(4), 0.3)),
    (heat_vectorised, (N(6), 0.2, 5)),
    (heat_loop, (N(6), 0.2, 4)),
    (cumsum_loop, (N(5),)),
    (running_max, (spread(6),)),
    (poly_horner, (N(4), N(5))),
    (poly_powers, (N(4), U(0.5, 1.5, 3))),
    (matrix_power_loop, (0.5 * N(3, 3), 4)),
    (rnn, (0.5 * N(3, 3), 0.5 * N(3, 2), N(3), N(4, 2))),
    (gradient_descent, (N(4, 3), N(4), 0.05, 5)),
    (logsumexp, (spread(5),)),
    (layer_norm, (N(5), N(5))),
    (attention, (N(3, 2), N(4, 2), N(4, 3))),
    (pairwise_energy, (N(4, 2),)),
    (conv1d, (N(6), N(3))),
    (euler_oscillator, (N(2), 0.1, 6)),
    (trapezoid, (N(6), 0.25)),
    (kmeans_cost, (spread(4, 2), spread(3, 2) * 1.1)),
    (logistic_regression, (N(3), N(5, 3), np.array([1.0, 0.0, 1.0, 1.0, 0.0]))),
    (newton_sqrt, (U(0.5, 3.0, 4), 4)),
    (heat_slice_write, (N(6), 0.2, 5)),
    (reaction_diffusion_fresh_state, (N(6), 0.2, 4)),
    (per_sample_scratch, (N(4), N(3))),
    (while_normalise, (N(4),)),
    (heat_swap_buffers, (N(6), 0.2, 4)),
    (swap_keeping_stale_entries, (U(0.5, 1.0, 4), 3)),
    (write_then_replace, (N(3), 4)),
    (scratch_in_branch, (np.array([0.5, -0.3, 1.2, 0.8]), N(3))),
]

# programs refused with a located ad.CompileError: (function, args, text of the offending line,
# words of the message)
REJECTED = [
    # a buffer created in a branch inside a loop is made again by the reverse sweep when its
    # writes are element and slice writes and for loops, else it is not yet saved (issue 11)
    (scratch_in_branch_while, (np.array([0.5, -0.3, 1.2, 0.8]), N(3)), "w = np.zeros(3)",
     "is created inside a loop and written into after that iteration ends"),
    (red_keepdims_variable, (N(2, 3), 1), "keepdims=k > 0", "keepdims= must be a constant"),
    (red_max_axis_4d, (N(2, 2, 2, 2),), "np.max(t, axis=1)", "np.max with axis= of a 4-d array"),
    (red_axis_variable, (N(2, 3), 1), "axis=k", "axis= must be a constant integer"),
    (la_concatenate_axis, (N(2, 3), N(2, 2)), "axis=1", "keyword arguments (axis="),
    (la_stack_axis, (N(3), N(3)), "axis=1", "keyword arguments (axis="),
    (write_bool_mask, (N(4),), "y[x > 0.0] = ", "writes through a boolean mask"),
    (write_2d_index_array, (N(4), np.array([[0, 2]])), "y[idx] = ",
     "writes through a 2-d int64 index array"),
    (write_slice_of_view, (N(4),), "r[0:2] = ", "is a view of another array"),
    (bool_mask_index, (N(4), np.array([True, False, False, True])), "x[mask]",
     "indexing with a boolean mask is not supported"),
]

F32_CASES = [
    (f32_elementwise, (N(4).astype(np.float32), N(3, 4).astype(np.float32))),
    (f32_reductions, (spread(3, 4).astype(np.float32),)),
    (f32_write_loop, (N(4).astype(np.float32), 2)),
    (f32_matmul, (N(3, 3).astype(np.float32), N(3).astype(np.float32))),
    (f32_outer, (N(3).astype(np.float32), N(2).astype(np.float32))),
    (f32_outer_loss, (N(3).astype(np.float32), N(4).astype(np.float32))),
    (f32_scalar_arg, (N(4).astype(np.float32), 0.7)),
    (f32_outputs, (N(3).astype(np.float32),)),
    (f32_scaled_array, (N(2, 3).astype(np.float32), 0.7)),
    (red_keepdims, (N(2, 3).astype(np.float32),)),
    (red_max_min_3d, (spread(2, 3, 4).astype(np.float32),)),
    (u_tanh, (N(3, 2).astype(np.float32),)),
    (mlp_loss, tuple(a.astype(np.float32) for a in
                     (0.5 * N(3, 4), N(4), 0.5 * N(4, 2), N(2), N(5, 3), N(5, 2)))),
]


COVERAGE = {
    "elementwise arithmetic": ["arith_ops", "scalar_left_ops", "array_pow_array", "inplace_array_ops"],
    "broadcast scalar with array": ["bcast_scalar_matrix", "scalar_left_ops", "bcast_reduction_back"],
    "broadcast size-1 dims": ["bcast_size1_dim", "bcast_col_row"],
    "broadcast (3,1)*(1,4)": ["bcast_col_row"],
    "broadcast (4,)+(2,4)": ["bcast_vec_mat"],
    "broadcast different ranks": ["bcast_vec_mat", "bcast_col_vec", "bcast_rank3"],
    "np.sin": ["u_sin", "f32_elementwise"], "np.cos": ["u_cos"], "np.tan": ["u_tan"],
    "np.arcsin": ["u_arcsin"], "np.arccos": ["u_arccos"], "np.arctan": ["u_arctan"],
    "np.arctan2": ["u_arctan2"], "np.sinh": ["u_sinh"], "np.cosh": ["u_cosh"],
    "np.tanh": ["u_tanh", "rnn"], "np.exp": ["u_exp"], "np.expm1": ["u_expm1"],
    "np.log": ["u_log", "logistic_regression"], "np.log1p": ["u_log1p"], "np.log2": ["u_log2"],
    "np.log10": ["u_log10"], "np.sqrt": ["u_sqrt", "layer_norm"], "np.power": ["u_power"],
    "np.hypot": ["u_hypot"], "abs / np.abs": ["u_abs"],
    "np.maximum": ["u_maximum_minimum", "mlp_relu_loop"], "np.minimum": ["u_maximum_minimum"],
    "np.where": ["u_where", "u_where_scalar_branch", "bool_mask_where"],
    "np.clip": ["u_clip", "u_clip_array_bounds"], "np.square": ["u_square"],
    "** with int / negative / fractional exponents": ["pow_int_arg"],
    "np.sign": ["u_sign"],
    "np.sum": ["red_sum", "red_3d", "red_3d_last_axis", "red_1d_axis0"], "np.mean": ["red_mean"],
    "np.prod": ["red_prod", "red_prod_zeros"],
    "np.max": ["red_max", "red_max_strided", "logsumexp", "f32_reductions"],
    "np.min": ["red_min", "red_max_strided", "kmeans_cost"],
    "axis= on max/min/prod": ["red_prod_axis", "red_max_axis", "red_min_axis", "meth_max_axis",
                              "red_max_min_3d", "red_prod_3d", "red_prod_zeros", "red_1d_axis_max",
                              "red_axis_positional",
                              "softmax_xent_rowmax"],
    "keepdims=True": ["red_keepdims", "red_keepdims_max_min", "red_keepdims_3d", "red_keepdims_1d"],
    "keepdims= not a constant (rejected)": ["red_keepdims_variable"],
    "axis= variable or of a 4-D array (rejected)": ["red_axis_variable", "red_max_axis_4d"], ".prod()": ["meth_prod"],
    "np.dot": ["la_dot", "dot_mm", "scalar_from_dot"], "@": ["la_matmul_op"], "np.matmul": ["la_np_matmul"],
    "np.outer": ["la_outer", "f32_outer", "f32_outer_loss"], "np.transpose": ["la_transpose"], "np.reshape": ["la_reshape"],
    "np.ravel": ["la_ravel"], "np.concatenate": ["la_concatenate", "heat_vectorised"],
    "np.stack": ["la_stack"],
    "concatenate/stack with axis= (rejected)": ["la_concatenate_axis", "la_stack_axis"],
    "np.copy": ["la_copy"], "np.linalg.norm": ["la_norm"],
    "np.zeros": ["ctor_zeros"], "np.ones": ["ctor_ones"], "np.empty": ["ctor_empty"],
    "np.full": ["ctor_full", "ctor_full_active"], "np.zeros_like": ["ctor_like", "poly_horner"],
    "np.ones_like": ["ctor_like"], "np.arange": ["ctor_arange"], "np.linspace": ["ctor_linspace"],
    "np.eye": ["ctor_eye", "matrix_power_loop", "ctor_eye_forms"], "np.identity": ["ctor_identity"],
    "np.tri": ["ctor_tri"],
    "np.array([...])": ["ctor_array_scalars", "ctor_array_elements", "euler_oscillator"],
    "np.array([[...]]) nested": ["ctor_array_nested"],
    ".T": ["attr_T"], ".shape": ["attr_shape"], ".size": ["attr_size_ndim"],
    ".ndim": ["attr_size_ndim"], ".sum()": ["meth_sum_mean"], ".mean()": ["meth_sum_mean"],
    ".max()": ["meth_max_min"], ".dot()": ["meth_dot"], ".reshape()": ["meth_reshape"],
    ".copy()": ["meth_copy"], ".astype(float)": ["meth_astype"], "len(x)": ["builtin_len"],
    "for v in x": ["iter_for_v", "iter_rows"],
    "x[i]": ["read_index_args", "read_index_from_float", "read_row_views"], "x[i, j]": ["read_2d"], "x[-1]": ["read_index_args"],
    "x[1:] / x[:-1] / x[::2]": ["read_slices"], "x[:, n]": ["read_2d_slices", "read_2d"],
    "x[i, :]": ["read_2d"], "x[None, :]": ["read_newaxis"],
    "repeated reads in loops": ["read_repeated"],
    "y[i] = / y[i] +=": ["write_elems", "write_negative_index"], "y[i, j] =": ["write_2d", "write_2d_loops"],
    "y[a:b] = as element loop": ["write_range"],
    "y[a:b] = / y[a:b] += / y[::2] =": ["write_slice", "write_param_slice", "write_slice_scalar"],
    "row and column writes y[i] = / y[i, :] = / y[:, j] = / y[i, a:b] =": [
        "write_row_col", "write_param_row", "write_col_loop", "write_row_part_loop"],
    "slice writes broadcasting a scalar or a row": ["write_slice_scalar", "write_row_into_block"],
    "slice writes in loops reading the written array": ["write_slice_loop", "write_slice_while",
                                                        "heat_in_place", "write_col_loop"],
    "a fresh array per step written into (double buffering)": ["heat_slice_write",
                                                               "reaction_diffusion_fresh_state"],
    "two buffers swapped each step (u, new = new, u), or written then replaced": [
        "heat_swap_buffers", "swap_keeping_stale_entries", "write_then_replace"],
    "a scratch array per sample, created and written in the loop": ["per_sample_scratch"],
    "a scratch array created in a branch in a loop (made again by the reverse sweep)": [
        "scratch_in_branch"],
    "a scratch array created in a branch in a loop, written by a while loop (rejected in "
    "reverse mode)": ["scratch_in_branch_while"],
    "mask / index-array / view writes (rejected)": ["write_bool_mask", "write_int_index_array",
                                                    "write_slice_of_view"],
    "overwrite in loops": ["write_loop_overwrite", "write_same_cell", "write_aug_loop",
                           "write_slice_loop"],
    "int loop bounds as args": ["write_loop_overwrite", "write_zero_trip", "heat_vectorised",
                                "matrix_power_loop"],
    "write into a parameter": ["write_param", "write_param_loop", "write_param_2d",
                               "write_param_slice", "write_param_row"],
    "int index arrays": ["int_gather", "int_scatter", "int_index_write_loop", "softmax_xent_labels"],
    "gathers": ["int_fancy_index"],
    "boolean indexing (rejected)": ["bool_mask_index"],
    "int arrays as data": ["int_weights", "meth_astype"],
    "bool masks": ["bool_mask_where", "bool_mask_from_cmp", "bool_mask_mul", "bool_branch_on_elem"],
    "array outputs": ["out_array", "out_matrix", "out_written_array", "out_param_written"],
    "tuple outputs": ["out_tuple_scalar_array", "out_tuple_arrays", "out_tuple_loop", "f32_outputs"],
    "branches assigning arrays": ["branch_array", "branch_scalar_cond", "branch_return", "branch_in_loop"],
    "float32": ["f32_elementwise", "f32_reductions", "f32_write_loop", "f32_matmul", "f32_scalar_arg",
                "f32_outputs", "f32_scaled_array"],
    "MLP loss": ["mlp_loss", "mlp_relu_loop"],
    "softmax cross-entropy": ["softmax_xent_labels", "softmax_xent_onehot", "softmax_xent_rowmax"],
    "least squares": ["least_squares", "ridge_loss", "gradient_descent"],
    "heat stencil": ["heat_vectorised", "heat_loop"], "cumulative sum": ["cumsum_loop"],
    "running max": ["running_max"], "polynomial evaluation": ["poly_horner", "poly_powers"],
    "matrix power loop": ["matrix_power_loop"],
    "other programs": ["rnn", "logsumexp", "layer_norm", "attention", "pairwise_energy", "conv1d",
                       "euler_oscillator", "trapezoid", "kmeans_cost", "logistic_regression",
                       "newton_sqrt", "while_normalise"],
}
