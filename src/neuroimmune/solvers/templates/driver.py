# Solver template: per-patient driver over protocol segments, and the parallel batch entry point.


@njit(cache=True, error_model='numpy')
def _integrate_patient(method, y0, p, clock0, seg_t, seg_jump, seg_u, t_eval, rtol, atol, hmax,
                       max_steps, out, y_end):
    q = np.empty(max(N_DERIVED, 1))
    derived(p, q)
    y = y0.copy()
    n_eval = t_eval.size
    k = 0
    steps = 0
    h = 0.0
    n_seg = seg_t.size - 1
    for s in range(n_seg):
        t0 = seg_t[s]
        t1 = seg_t[s + 1]
        for j in range(y.size):
            y[j] += seg_jump[s, j]
        u = seg_u[s]
        while k < n_eval and t_eval[k] <= t0:
            observe(t_eval[k], clock0, y, p, q, u, out[k])
            k += 1
        if t1 > t0:
            if method == 0:
                code, h, steps, k = _dp5_segment(t0, t1, y, p, q, u, clock0, rtol, atol, hmax, h,
                                                 max_steps, steps, t_eval, k, out)
            else:
                code, h, steps, k = _rodas4_segment(t0, t1, y, p, q, u, clock0, rtol, atol, hmax,
                                                    h, max_steps, steps, t_eval, k, out)
            if code != 0:
                for j in range(y.size):
                    y_end[j] = y[j]
                return code, steps
    while k < n_eval:
        observe(t_eval[k], clock0, y, p, q, seg_u[n_seg - 1], out[k])
        k += 1
    for j in range(y.size):
        y_end[j] = y[j]
    return 0, steps


@njit(cache=True, parallel=True, error_model='numpy')
def solve_batch(method, y0, params, clock0, seg_t, seg_jump, seg_u, t_eval, rtol, atol, hmax,
                max_steps, out, status, nsteps, y_end):
    """Integrate every patient (row of params / y0) in parallel; results go into out (P, T, n_out),
    status (P,), nsteps (P,) and y_end (P, n_states)."""
    for i in prange(params.shape[0]):
        code, st = _integrate_patient(method, y0[i], params[i], clock0, seg_t, seg_jump, seg_u,
                                      t_eval, rtol, atol, hmax, max_steps, out[i], y_end[i])
        status[i] = code
        nsteps[i] = st
