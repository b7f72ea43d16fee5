# Solver template: Rodas4, the stiffly accurate L-stable Rosenbrock method of order 4(3) with its
# 3rd-order dense output (Hairer & Wanner, Solving ODEs II, VI.4; coefficients of the RODAS code).

_RG = 0.25
_RA21 = 1.544
_RA31, _RA32 = 0.9466785280815826, 0.2557011698983284
_RA41, _RA42, _RA43 = 3.314825187068521, 2.896124015972201, 0.9986419139977817
_RA51, _RA52 = 1.221224509226641, 6.019134481288629
_RA53, _RA54 = 12.53708332932087, -0.6878860361058950
_RC21 = -5.6688
_RC31, _RC32 = -2.430093356833875, -0.2063599157091915
_RC41, _RC42, _RC43 = -0.1073529058151375, -9.594562251023355, -20.47028614809616
_RC51, _RC52 = 7.496443313967647, -10.24680431464352
_RC53, _RC54 = -33.99990352819905, 11.70890893206160
_RC61, _RC62, _RC63 = 8.083246795921522, -7.981132988064893, -31.52159432874371
_RC64, _RC65 = 16.31930543123136, -6.058818238834054
_RCC2, _RCC3, _RCC4 = 0.386, 0.21, 0.63
_RD1, _RD2, _RD3, _RD4 = 0.25, -0.1043, 0.1035, -0.0362
_RH21, _RH22, _RH23 = 10.12623508344586, -7.487995877610167, -34.80091861555747
_RH24, _RH25 = -7.992771707568823, 1.025137723295662
_RH31, _RH32, _RH33 = -0.6762803392801253, 6.087714651680015, 16.43084320892478
_RH34, _RH35 = 24.76722511418386, -6.594389125716872


@njit(cache=True, error_model='numpy')
def _rodas4_segment(rhs, jac, observe, nonneg, t, t_end, y, p, q, u, clock0, rtol, atol, hmax,
                    h, max_steps, steps, t_eval, k_eval, out):
    """Same contract as _dp5_segment, for stiff problems (analytic Jacobian, one LU per step)."""
    n = y.size
    n_eval = t_eval.size
    jm = np.empty((n, n))
    w = np.empty((n, n))
    piv = np.empty(n, dtype=np.int64)
    f0 = np.empty(n)
    ft = np.empty(n)
    dtv = np.empty(n)
    fs = np.empty(n)
    k1 = np.empty(n)
    k2 = np.empty(n)
    k3 = np.empty(n)
    k4 = np.empty(n)
    k5 = np.empty(n)
    k6 = np.empty(n)
    yt = np.empty(n)
    yn = np.empty(n)
    yi = np.empty(n)
    rhs(t, clock0, y, p, q, u, f0)
    if h <= 0.0:
        h = _initial_step(rhs, t, y, f0, p, q, u, clock0, rtol, atol, 3.0, hmax, t_end - t)
    h = min(h, hmax)
    rejected = np.bool_(False)  # not a literal (one compile of _grow, not two)
    nonfinite = False  # since the last accepted step
    while t < t_end:
        if steps >= max_steps:
            return 1, h, steps, k_eval
        last = False
        if t + h >= t_end:
            h = t_end - t
            last = True
        steps += 1
        jac(t, clock0, y, p, q, u, jm)
        dt_fd = math.sqrt(2.2e-16 * max(1e-5, abs(t)))
        rhs(t + dt_fd, clock0, y, p, q, u, ft)
        for i in range(n):
            dtv[i] = (ft[i] - f0[i]) / dt_fd
        ig = 1.0 / (h * _RG)
        for i in range(n):
            for j in range(n):
                w[i, j] = -jm[i, j]
            w[i, i] += ig
        ok = _lu_factor(w, piv)
        if ok:
            ih = 1.0 / h
            for i in range(n):
                k1[i] = f0[i] + h * _RD1 * dtv[i]
            _lu_solve(w, piv, k1)
            for i in range(n):
                yt[i] = y[i] + _RA21 * k1[i]
            rhs(t + _RCC2 * h, clock0, yt, p, q, u, fs)
            for i in range(n):
                k2[i] = fs[i] + h * _RD2 * dtv[i] + ih * _RC21 * k1[i]
            _lu_solve(w, piv, k2)
            for i in range(n):
                yt[i] = y[i] + _RA31 * k1[i] + _RA32 * k2[i]
            rhs(t + _RCC3 * h, clock0, yt, p, q, u, fs)
            for i in range(n):
                k3[i] = fs[i] + h * _RD3 * dtv[i] + ih * (_RC31 * k1[i] + _RC32 * k2[i])
            _lu_solve(w, piv, k3)
            for i in range(n):
                yt[i] = y[i] + _RA41 * k1[i] + _RA42 * k2[i] + _RA43 * k3[i]
            rhs(t + _RCC4 * h, clock0, yt, p, q, u, fs)
            for i in range(n):
                k4[i] = fs[i] + h * _RD4 * dtv[i] + ih * (_RC41 * k1[i] + _RC42 * k2[i]
                                                         + _RC43 * k3[i])
            _lu_solve(w, piv, k4)
            for i in range(n):
                yt[i] = y[i] + _RA51 * k1[i] + _RA52 * k2[i] + _RA53 * k3[i] + _RA54 * k4[i]
            rhs(t + h, clock0, yt, p, q, u, fs)
            for i in range(n):
                k5[i] = fs[i] + ih * (_RC51 * k1[i] + _RC52 * k2[i] + _RC53 * k3[i]
                                      + _RC54 * k4[i])
            _lu_solve(w, piv, k5)
            for i in range(n):
                yt[i] += k5[i]
            rhs(t + h, clock0, yt, p, q, u, fs)
            for i in range(n):
                k6[i] = fs[i] + ih * (_RC61 * k1[i] + _RC62 * k2[i] + _RC63 * k3[i]
                                      + _RC64 * k4[i] + _RC65 * k5[i])
            _lu_solve(w, piv, k6)
            for i in range(n):
                yn[i] = yt[i] + k6[i]
            finite = _all_finite(yn)
            err = _wrms(k6, y, yn, rtol, atol) if finite else np.inf
        else:
            finite = False
            err = np.inf
        if finite and err <= 1.0 and _in_domain(nonneg, yn):
            t_new = t_end if last else t + h
            while k_eval < n_eval and t_eval[k_eval] < t_new:
                th = (t_eval[k_eval] - t) / h
                th1 = 1.0 - th
                for i in range(n):
                    d1 = (_RH21 * k1[i] + _RH22 * k2[i] + _RH23 * k3[i] + _RH24 * k4[i]
                          + _RH25 * k5[i])
                    d2 = (_RH31 * k1[i] + _RH32 * k2[i] + _RH33 * k3[i] + _RH34 * k4[i]
                          + _RH35 * k5[i])
                    yi[i] = th1 * y[i] + th * (yn[i] + th1 * (d1 + th * d2))
                _project(nonneg, yi)
                observe(t_eval[k_eval], clock0, yi, p, q, u, out[k_eval])
                k_eval += 1
            t = t_new
            for i in range(n):
                y[i] = yn[i]
            rhs(t, clock0, y, p, q, u, f0)
            h = _grow(h, err, rejected, 0.25, 6.0, hmax)
            rejected = False
            nonfinite = False
        else:
            nonfinite = nonfinite or not finite
            h = _shrink(h, err, finite, 0.25)
            rejected = True
            if _underflow(h, t):
                return (3 if nonfinite else 2), h, steps, k_eval
    return 0, h, steps, k_eval
