# Solver template: the Dormand-Prince 5(4) of dopri5.py on LANES patients at once. The stages of
# all lanes go through one call of the vectorised rhs_lanes (state i of lane l at
# y[i * LANES + l]); each lane keeps its own patient, protocol segment, time, step size, step
# count and status, and takes the next patient of its chunk as soon as its patient is done (step
# counts differ up to 4-fold between patients, so lanes that waited for the slowest would idle
# about a third of the time). Every per-patient operation is the scalar code's, in the same
# order, so each patient's result is bitwise that of _integrate_patient (tests/test_lanes.py).


@njit(cache=True, error_model='numpy')
def _lane_get(a, l, v):
    for i in range(v.size):
        v[i] = a[i * LANES + l]


@njit(cache=True, error_model='numpy')
def _lane_set(a, l, v):
    for i in range(v.size):
        a[i * LANES + l] = v[i]


@njit(cache=True, error_model='numpy', pipeline_class=NoAliasCompiler)
def _dp5_lanes_stages(rhs_lanes, nonneg, t, hl, y, pf, qf, uf, clock0, rtol, atol, k1, k2, k3,
                      k4, k5, k6, k7, yt, yn, tl, err, bad, neg):
    """One Dormand-Prince step of every lane with step hl[l] (0 for idle lanes): the new
    states yn and stage derivatives k2..k7; per lane the error norm err (as _wrms), bad (not 0
    when yn or k7 has a non-finite value) and neg (> 0 when a non-negative state of yn is
    negative). Distinct arrays (noalias), so the loops over lanes vectorise."""
    n = y.size // LANES
    for i in range(n):
        for l in range(LANES):
            j = i * LANES + l
            yt[j] = y[j] + hl[l] * _A21 * k1[j]
    for l in range(LANES):
        tl[l] = t[l] + _C2 * hl[l]
    rhs_lanes(tl, clock0, yt, pf, qf, uf, k2)
    for i in range(n):
        for l in range(LANES):
            j = i * LANES + l
            yt[j] = y[j] + hl[l] * (_A31 * k1[j] + _A32 * k2[j])
    for l in range(LANES):
        tl[l] = t[l] + _C3 * hl[l]
    rhs_lanes(tl, clock0, yt, pf, qf, uf, k3)
    for i in range(n):
        for l in range(LANES):
            j = i * LANES + l
            yt[j] = y[j] + hl[l] * (_A41 * k1[j] + _A42 * k2[j] + _A43 * k3[j])
    for l in range(LANES):
        tl[l] = t[l] + _C4 * hl[l]
    rhs_lanes(tl, clock0, yt, pf, qf, uf, k4)
    for i in range(n):
        for l in range(LANES):
            j = i * LANES + l
            yt[j] = y[j] + hl[l] * (_A51 * k1[j] + _A52 * k2[j] + _A53 * k3[j] + _A54 * k4[j])
    for l in range(LANES):
        tl[l] = t[l] + _C5 * hl[l]
    rhs_lanes(tl, clock0, yt, pf, qf, uf, k5)
    for i in range(n):
        for l in range(LANES):
            j = i * LANES + l
            yt[j] = y[j] + hl[l] * (_A61 * k1[j] + _A62 * k2[j] + _A63 * k3[j] + _A64 * k4[j]
                                    + _A65 * k5[j])
    for l in range(LANES):
        tl[l] = t[l] + hl[l]
    rhs_lanes(tl, clock0, yt, pf, qf, uf, k6)
    for i in range(n):
        for l in range(LANES):
            j = i * LANES + l
            yn[j] = y[j] + hl[l] * (_A71 * k1[j] + _A73 * k3[j] + _A74 * k4[j] + _A75 * k5[j]
                                    + _A76 * k6[j])
    rhs_lanes(tl, clock0, yn, pf, qf, uf, k7)
    for l in range(LANES):
        err[l] = 0.0
        bad[l] = 0.0
        neg[l] = 0.0
    for i in range(n):
        for l in range(LANES):
            j = i * LANES + l
            ev = hl[l] * (_E1 * k1[j] + _E3 * k3[j] + _E4 * k4[j] + _E5 * k5[j] + _E6 * k6[j]
                          + _E7 * k7[j])
            sk = atol[i] + rtol * max(abs(y[j]), abs(yn[j]))
            err[l] += (ev / sk) ** 2
            bad[l] += (yn[j] - yn[j]) + (k7[j] - k7[j])
            neg[l] += 1.0 if (nonneg[i] and yn[j] < 0.0) else 0.0
    for l in range(LANES):
        err[l] = math.sqrt(err[l] / n)


@njit(cache=True, error_model='numpy')
def _dp5_lane_dense(nonneg, l, t, h, t_out, y, yn, k1, k3, k4, k5, k6, k7, yi):
    """The continuous extension of lane l's accepted step [t, t + h] at t_out, into yi."""
    th = (t_out - t) / h
    th1 = 1.0 - th
    for i in range(yi.size):
        j = i * LANES + l
        r5 = h * (_D1 * k1[j] + _D3 * k3[j] + _D4 * k4[j] + _D5 * k5[j] + _D6 * k6[j]
                  + _D7 * k7[j])
        dy = yn[j] - y[j]
        bspl = h * k1[j] - dy
        yi[i] = y[j] + th * (dy + th1 * (bspl + th * ((dy - h * k7[j] - bspl) + th1 * r5)))
    _project(nonneg, yi)
