# Solver template: in-place LU with partial pivoting for the small per-patient Newton matrices.
# Hand-written (not numpy.linalg) so each thread works allocation-free on its own n x n matrix.


@njit(cache=True, error_model='numpy')
def _lu_factor(a, piv):
    n = a.shape[0]
    for k in range(n):
        p = k
        m = abs(a[k, k])
        for i in range(k + 1, n):
            if abs(a[i, k]) > m:
                m = abs(a[i, k])
                p = i
        if m == 0.0 or not math.isfinite(m):
            return False
        piv[k] = p
        if p != k:
            for j in range(n):
                tmp = a[k, j]
                a[k, j] = a[p, j]
                a[p, j] = tmp
        inv = 1.0 / a[k, k]
        for i in range(k + 1, n):
            f = a[i, k] * inv
            a[i, k] = f
            if f != 0.0:
                for j in range(k + 1, n):
                    a[i, j] -= f * a[k, j]
    return True


@njit(cache=True, error_model='numpy')
def _lu_solve(a, piv, b):
    n = a.shape[0]
    for k in range(n):
        p = piv[k]
        if p != k:
            tmp = b[k]
            b[k] = b[p]
            b[p] = tmp
    for i in range(n):
        s = b[i]
        for j in range(i):
            s -= a[i, j] * b[j]
        b[i] = s
    for i in range(n - 1, -1, -1):
        s = b[i]
        for j in range(i + 1, n):
            s -= a[i, j] * b[j]
        b[i] = s / a[i, i]
