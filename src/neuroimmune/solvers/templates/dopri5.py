# Solver template: Dormand-Prince 5(4) with FSAL, PI-free standard step control and the
# 4th-order continuous extension of Hairer, Norsett & Wanner (Solving ODEs I, II.6, DOPRI5 code).

_A21 = 1.0 / 5.0
_A31, _A32 = 3.0 / 40.0, 9.0 / 40.0
_A41, _A42, _A43 = 44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0
_A51, _A52, _A53, _A54 = 19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0
_A61, _A62, _A63 = 9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0
_A64, _A65 = 49.0 / 176.0, -5103.0 / 18656.0
_A71, _A73, _A74 = 35.0 / 384.0, 500.0 / 1113.0, 125.0 / 192.0
_A75, _A76 = -2187.0 / 6784.0, 11.0 / 84.0
_C2, _C3, _C4, _C5 = 0.2, 0.3, 0.8, 8.0 / 9.0
_E1, _E3, _E4 = 71.0 / 57600.0, -71.0 / 16695.0, 71.0 / 1920.0
_E5, _E6, _E7 = -17253.0 / 339200.0, 22.0 / 525.0, -1.0 / 40.0
_D1, _D3 = -12715105075.0 / 11282082432.0, 87487479700.0 / 32700410799.0
_D4, _D5 = -10690763975.0 / 1880347072.0, 701980252875.0 / 199316789632.0
_D6, _D7 = -1453857185.0 / 822651844.0, 69997945.0 / 29380423.0


@njit(cache=True, error_model='numpy')
def _dp5_segment(rhs, observe, nonneg, t, t_end, y, p, q, u, clock0, rtol, atol, hmax, h,
                 max_steps, steps, t_eval, k_eval, out):
    """Integrate y in place from t to t_end (a protocol discontinuity or the end).

    Writes outputs for t_eval in [t, t_end) by dense output. Returns (code, h, steps, k_eval).
    """
    n = y.size
    n_eval = t_eval.size
    k1 = np.empty(n)
    k2 = np.empty(n)
    k3 = np.empty(n)
    k4 = np.empty(n)
    k5 = np.empty(n)
    k6 = np.empty(n)
    k7 = np.empty(n)
    yt = np.empty(n)
    yn = np.empty(n)
    ev = np.empty(n)
    yi = np.empty(n)
    r5 = np.empty(n)
    rhs(t, clock0, y, p, q, u, k1)
    # a segment starts at an event (a jump or a change of inputs): the step carried over from
    # the smooth stretch before may be far too long, and a too-long first step can pass the
    # error test by chance (seen after an LPS bolus), so it is capped by a fresh estimate
    h0 = _initial_step(rhs, t, y, k1, p, q, u, clock0, rtol, atol, 5.0, hmax, t_end - t)
    h = h0 if h <= 0.0 else min(h, h0, hmax)
    rejected = np.bool_(False)  # not a literal (one compile of _grow, not two)
    nonfinite = False  # since the last accepted step
    while t < t_end:
        if steps >= max_steps:
            return 1, h, steps, k_eval
        last = False
        if t + h >= t_end:
            h = t_end - t
            last = True
        for i in range(n):
            yt[i] = y[i] + h * _A21 * k1[i]
        rhs(t + _C2 * h, clock0, yt, p, q, u, k2)
        for i in range(n):
            yt[i] = y[i] + h * (_A31 * k1[i] + _A32 * k2[i])
        rhs(t + _C3 * h, clock0, yt, p, q, u, k3)
        for i in range(n):
            yt[i] = y[i] + h * (_A41 * k1[i] + _A42 * k2[i] + _A43 * k3[i])
        rhs(t + _C4 * h, clock0, yt, p, q, u, k4)
        for i in range(n):
            yt[i] = y[i] + h * (_A51 * k1[i] + _A52 * k2[i] + _A53 * k3[i] + _A54 * k4[i])
        rhs(t + _C5 * h, clock0, yt, p, q, u, k5)
        for i in range(n):
            yt[i] = y[i] + h * (_A61 * k1[i] + _A62 * k2[i] + _A63 * k3[i] + _A64 * k4[i]
                                + _A65 * k5[i])
        rhs(t + h, clock0, yt, p, q, u, k6)
        for i in range(n):
            yn[i] = y[i] + h * (_A71 * k1[i] + _A73 * k3[i] + _A74 * k4[i] + _A75 * k5[i]
                                + _A76 * k6[i])
        rhs(t + h, clock0, yn, p, q, u, k7)
        steps += 1
        for i in range(n):
            ev[i] = h * (_E1 * k1[i] + _E3 * k3[i] + _E4 * k4[i] + _E5 * k5[i] + _E6 * k6[i]
                         + _E7 * k7[i])
        finite = _all_finite(yn) and _all_finite(k7)
        err = _wrms(ev, y, yn, rtol, atol) if finite else np.inf
        if finite and err <= 1.0 and _in_domain(nonneg, yn):
            t_new = t_end if last else t + h
            while k_eval < n_eval and t_eval[k_eval] < t_new:
                th = (t_eval[k_eval] - t) / h
                th1 = 1.0 - th
                for i in range(n):
                    r5[i] = h * (_D1 * k1[i] + _D3 * k3[i] + _D4 * k4[i] + _D5 * k5[i]
                                 + _D6 * k6[i] + _D7 * k7[i])
                    dy = yn[i] - y[i]
                    bspl = h * k1[i] - dy
                    yi[i] = y[i] + th * (dy + th1 * (bspl + th * ((dy - h * k7[i] - bspl)
                                                                  + th1 * r5[i])))
                _project(nonneg, yi)
                observe(t_eval[k_eval], clock0, yi, p, q, u, out[k_eval])
                k_eval += 1
            t = t_new
            for i in range(n):
                y[i] = yn[i]
                k1[i] = k7[i]
            h = _grow(h, err, rejected, 0.2, 10.0, hmax)
            rejected = False
            nonfinite = False
        else:
            nonfinite = nonfinite or not finite
            h = _shrink(h, err, finite, 0.2)
            rejected = True
            if _underflow(h, t):
                return (3 if nonfinite else 2), h, steps, k_eval
    return 0, h, steps, k_eval
