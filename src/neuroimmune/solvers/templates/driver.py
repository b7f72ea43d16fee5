# Solver template: per-patient driver over protocol segments, and the entry points. An entry
# takes the model's kernels as addresses (fns, F_* slots), its non-negative flags and number of
# derived quantities, and passes them down as function values (docs/design/0040).


@njit(cache=True, error_model='numpy')
def _integrate_patient(method, rhs, jac, observe, derived, nonneg, n_derived, y0, p, clock0,
                       seg_t, seg_jump, seg_u, t_eval, rtol, atol, hmax, max_steps, out, y_end):
    q = np.empty(max(n_derived, 1))
    derived(p, q)
    y = y0.copy()
    n_eval = t_eval.size
    k = 0
    # np.int64, not a literal 0: numba would also compile the segment for Literal[int](0)
    steps = np.int64(0)
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
                code, h, steps, k = _dp5_segment(rhs, observe, nonneg, t0, t1, y, p, q, u, clock0,
                                                 rtol, atol, hmax, h, max_steps, steps, t_eval, k,
                                                 out)
            else:
                code, h, steps, k = _rodas4_segment(rhs, jac, observe, nonneg, t0, t1, y, p, q, u,
                                                    clock0, rtol, atol, hmax, h, max_steps, steps,
                                                    t_eval, k, out)
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


@njit(cache=True, error_model='numpy')
def _integrate_patient_dp5(rhs, observe, derived, nonneg, n_derived, y0, p, clock0, seg_t,
                           seg_jump, seg_u, t_eval, rtol, atol, hmax, max_steps, out, y_end):
    """_integrate_patient with method 0 (Dormand-Prince), line for line, without the Rodas4
    branch: numba compiles what a function calls, so this path leaves Rodas4, the Jacobian and
    the LU solver uncompiled (docs/design/0013-bench-engine-speed.md). Keep the two in step."""
    q = np.empty(max(n_derived, 1))
    derived(p, q)
    y = y0.copy()
    n_eval = t_eval.size
    k = 0
    # np.int64, not a literal 0: numba would also compile the segment for Literal[int](0)
    steps = np.int64(0)
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
            code, h, steps, k = _dp5_segment(rhs, observe, nonneg, t0, t1, y, p, q, u, clock0,
                                             rtol, atol, hmax, h, max_steps, steps, t_eval, k,
                                             out)
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


@njit(cache=True, error_model='numpy')
def solve_serial_dp5(fns, nonneg, n_derived, y0, params, clock0, seg_t, seg_jump, seg_u, t_eval,
                     rtol, atol, hmax, max_steps, out, status, nsteps, y_end):
    """solve_batch with Dormand-Prince on the calling thread, one patient after another (small
    batches): no parallel region to compile or wake, no Rodas4 to compile."""
    rhs = as_rhs(fns[F_RHS])
    observe = as_observe(fns[F_OBSERVE])
    derived = as_derived(fns[F_DERIVED])
    for i in range(params.shape[0]):
        code, st = _integrate_patient_dp5(rhs, observe, derived, nonneg, n_derived, y0[i],
                                          params[i], clock0, seg_t, seg_jump, seg_u, t_eval, rtol,
                                          atol, hmax, max_steps, out[i], y_end[i])
        status[i] = code
        nsteps[i] = st


@njit(cache=True, parallel=True, error_model='numpy')
def solve_batch(fns, nonneg, n_derived, method, y0, params, clock0, seg_t, seg_jump, seg_u,
                t_eval, rtol, atol, hmax, max_steps, out, status, nsteps, y_end):
    """Integrate every patient (row of params / y0) in parallel; results go into out (P, T, n_out),
    status (P,), nsteps (P,) and y_end (P, n_states)."""
    rhs = as_rhs(fns[F_RHS])
    jac = as_jac(fns[F_JAC])
    observe = as_observe(fns[F_OBSERVE])
    derived = as_derived(fns[F_DERIVED])
    for i in prange(params.shape[0]):
        code, st = _integrate_patient(method, rhs, jac, observe, derived, nonneg, n_derived, y0[i],
                                      params[i], clock0, seg_t, seg_jump, seg_u, t_eval, rtol,
                                      atol, hmax, max_steps, out[i], y_end[i])
        status[i] = code
        nsteps[i] = st


@njit(cache=True, error_model='numpy')
def _lane_start_segment(rhs, observe, nonneg, l, pat, seg, t, h, k_eval, y, uf, k1, params, q,
                        clock0, seg_t, seg_jump, seg_u, t_eval, rtol, atol, hmax, out, ys, ws):
    """Lane l enters segment seg[l] (and any empty ones after it) as _integrate_patient does:
    jump, outputs at its start, then k1 and the step capped by a fresh initial estimate. False
    when the patient has no segment left."""
    n_seg = seg_t.size - 1
    i = pat[l]
    while seg[l] < n_seg:
        s = seg[l]
        t0 = seg_t[s]
        for j in range(ys.size):
            y[j * LANES + l] += seg_jump[s, j]
        _lane_set(uf, l, seg_u[s])
        _lane_get(y, l, ys)
        while k_eval[l] < t_eval.size and t_eval[k_eval[l]] <= t0:
            observe(t_eval[k_eval[l]], clock0, ys, params[i], q[l], seg_u[s], out[i, k_eval[l]])
            k_eval[l] += 1
        if seg_t[s + 1] > t0:
            t[l] = t0
            rhs(t0, clock0, ys, params[i], q[l], seg_u[s], ws)
            _lane_set(k1, l, ws)
            h0 = _initial_step(rhs, t0, ys, ws, params[i], q[l], seg_u[s], clock0, rtol, atol, 5.0,
                               hmax, seg_t[s + 1] - t0)
            h[l] = h0 if h[l] <= 0.0 else min(h[l], h0, hmax)
            return True
        seg[l] += 1
    return False


@njit(cache=True, error_model='numpy')
def _lane_finish(observe, l, pat, code, steps, k_eval, y, params, q, clock0, seg_u, t_eval, out,
                 status, nsteps, y_end, ys):
    """Write lane l's patient: remaining outputs (if it succeeded), end state, status, steps."""
    i = pat[l]
    _lane_get(y, l, ys)
    if code == 0:
        while k_eval[l] < t_eval.size:
            observe(t_eval[k_eval[l]], clock0, ys, params[i], q[l], seg_u[seg_u.shape[0] - 1],
                    out[i, k_eval[l]])
            k_eval[l] += 1
    for j in range(ys.size):
        y_end[i, j] = ys[j]
    status[i] = code
    nsteps[i] = steps[l]


@njit(cache=True, error_model='numpy')
def _lane_take(rhs, observe, derived, nonneg, l, nxt, stop, pat, seg, t, h, steps, k_eval,
               rejected, nonfinite, y, pf, qf, uf, k1, q, y0, params, clock0, seg_t, seg_jump,
               seg_u, t_eval, rtol, atol, hmax, out, status, nsteps, y_end, ys, ws):
    """Lane l takes the next patients of its chunk until one has a segment to integrate (a
    patient without one is written at once; pat[l] stays -1 when the chunk is used up).
    Returns the index of the next patient."""
    while nxt < stop and pat[l] < 0:
        i = nxt
        nxt += 1
        pat[l] = i
        _lane_set(y, l, y0[i])
        _lane_set(pf, l, params[i])
        derived(params[i], q[l])
        _lane_set(qf, l, q[l])
        seg[l] = 0
        t[l] = 0.0
        h[l] = 0.0
        steps[l] = 0
        k_eval[l] = 0
        rejected[l] = False
        nonfinite[l] = False
        if not _lane_start_segment(rhs, observe, nonneg, l, pat, seg, t, h, k_eval, y, uf, k1,
                                   params, q, clock0, seg_t, seg_jump, seg_u, t_eval, rtol, atol,
                                   hmax, out, ys, ws):
            _lane_finish(observe, l, pat, np.int64(0), steps, k_eval, y, params, q, clock0,
                         seg_u, t_eval, out, status, nsteps, y_end, ys)
            pat[l] = -1
    return nxt


@njit(cache=True, error_model='numpy')
def _lanes_chunk(rhs, rhs_lanes, observe, derived, nonneg, n_derived, first, stop, y0, params,
                 clock0, seg_t, seg_jump, seg_u, t_eval, rtol, atol, hmax, max_steps, out, status,
                 nsteps, y_end):
    """Patients first .. stop - 1 on LANES lanes, each lane taking the next patient when its
    patient is done or failed."""
    n = y0.shape[1]
    n_par = params.shape[1]
    n_q = max(n_derived, 1)
    n_u = seg_u.shape[1]
    m = n * LANES
    y = np.zeros(m)
    pf = np.zeros(n_par * LANES)
    qf = np.zeros(n_q * LANES)
    uf = np.zeros(n_u * LANES)
    q = np.zeros((LANES, n_q))
    k1 = np.zeros(m)
    k2 = np.empty(m)
    k3 = np.empty(m)
    k4 = np.empty(m)
    k5 = np.empty(m)
    k6 = np.empty(m)
    k7 = np.empty(m)
    yt = np.empty(m)
    yn = np.empty(m)
    tl = np.empty(LANES)
    err = np.empty(LANES)
    bad = np.empty(LANES)
    neg = np.empty(LANES)
    hl = np.zeros(LANES)
    t = np.zeros(LANES)
    h = np.zeros(LANES)
    pat = np.full(LANES, -1, dtype=np.int64)
    seg = np.zeros(LANES, dtype=np.int64)
    steps = np.zeros(LANES, dtype=np.int64)
    k_eval = np.zeros(LANES, dtype=np.int64)
    last = np.zeros(LANES, dtype=np.bool_)
    rejected = np.zeros(LANES, dtype=np.bool_)
    nonfinite = np.zeros(LANES, dtype=np.bool_)
    ys = np.empty(n)
    ws = np.empty(n)
    nxt = first
    for l in range(LANES):  # idle lanes evaluate the first patient with a zero step
        _lane_set(y, l, y0[first])
        _lane_set(pf, l, params[first])
        _lane_set(uf, l, seg_u[0])
        derived(params[first], q[l])
        _lane_set(qf, l, q[l])
    for l in range(LANES):
        nxt = _lane_take(rhs, observe, derived, nonneg, l, nxt, stop, pat, seg, t, h, steps,
                         k_eval, rejected, nonfinite, y, pf, qf, uf, k1, q, y0, params, clock0,
                         seg_t, seg_jump, seg_u, t_eval, rtol, atol, hmax, out, status, nsteps,
                         y_end, ys, ws)
    busy = 0
    for l in range(LANES):
        if pat[l] >= 0:
            busy += 1
    while busy > 0:
        for l in range(LANES):
            hl[l] = 0.0
            if pat[l] < 0:
                continue
            t_end = seg_t[seg[l] + 1]
            last[l] = False
            if t[l] + h[l] >= t_end:
                h[l] = t_end - t[l]
                last[l] = True
            hl[l] = h[l]
        _dp5_lanes_stages(rhs_lanes, nonneg, t, hl, y, pf, qf, uf, clock0, rtol, atol, k1, k2,
                          k3, k4, k5, k6, k7, yt, yn, tl, err, bad, neg)
        for l in range(LANES):
            if pat[l] < 0:
                continue
            i = pat[l]
            s = seg[l]
            hh = h[l]
            steps[l] += 1
            code = 0
            finite = bad[l] == 0.0
            e = err[l] if finite else np.inf
            done = False
            if finite and e <= 1.0 and neg[l] == 0.0:
                t_new = seg_t[s + 1] if last[l] else t[l] + hh
                while k_eval[l] < t_eval.size and t_eval[k_eval[l]] < t_new:
                    _dp5_lane_dense(nonneg, l, t[l], hh, t_eval[k_eval[l]], y, yn, k1, k3, k4,
                                    k5, k6, k7, ws)
                    observe(t_eval[k_eval[l]], clock0, ws, params[i], q[l], seg_u[s],
                            out[i, k_eval[l]])
                    k_eval[l] += 1
                t[l] = t_new
                for j in range(n):
                    y[j * LANES + l] = yn[j * LANES + l]
                    k1[j * LANES + l] = k7[j * LANES + l]
                h[l] = _grow(hh, e, rejected[l], 0.2, 10.0, hmax)
                rejected[l] = False
                nonfinite[l] = False
                if last[l]:
                    seg[l] += 1
                    done = not _lane_start_segment(rhs, observe, nonneg, l, pat, seg, t, h,
                                                   k_eval, y, uf, k1, params, q, clock0, seg_t,
                                                   seg_jump, seg_u, t_eval, rtol, atol, hmax,
                                                   out, ys, ws)
            else:
                nonfinite[l] = nonfinite[l] or not finite
                h[l] = _shrink(hh, e, finite, 0.2)
                rejected[l] = True
                if _underflow(h[l], t[l]):
                    code = 3 if nonfinite[l] else 2
                    done = True
            if not done and steps[l] >= max_steps:
                code = 1
                done = True
            if done:
                _lane_finish(observe, l, pat, code, steps, k_eval, y, params, q, clock0, seg_u,
                             t_eval, out, status, nsteps, y_end, ys)
                pat[l] = -1
                busy -= 1
                nxt = _lane_take(rhs, observe, derived, nonneg, l, nxt, stop, pat, seg, t, h,
                                 steps, k_eval, rejected, nonfinite, y, pf, qf, uf, k1, q, y0,
                                 params, clock0, seg_t, seg_jump, seg_u, t_eval, rtol, atol, hmax,
                                 out, status, nsteps, y_end, ys, ws)
                if pat[l] >= 0:
                    busy += 1


@njit(cache=True, nogil=True, error_model='numpy')
def _lanes_chunks(fns, nonneg, n_derived, c0, c1, n_chunks, y0, params, clock0, seg_t, seg_jump,
                  seg_u, t_eval, rtol, atol, hmax, max_steps, out, status, nsteps, y_end):
    """Chunks c0 .. c1 - 1 of the n_chunks chunks of patients, one after another, without the
    GIL (solve_batch_lanes runs blocks of chunks on several threads)."""
    rhs = as_rhs(fns[F_RHS])
    rhs_lanes = as_rhs_lanes(fns[F_RHS_LANES])
    observe = as_observe(fns[F_OBSERVE])
    derived = as_derived(fns[F_DERIVED])
    n_pat = params.shape[0]
    for c in range(c0, c1):
        first = c * n_pat // n_chunks
        stop = (c + 1) * n_pat // n_chunks
        if stop > first:
            _lanes_chunk(rhs, rhs_lanes, observe, derived, nonneg, n_derived, first, stop, y0,
                         params, clock0, seg_t, seg_jump, seg_u, t_eval, rtol, atol, hmax,
                         max_steps, out, status, nsteps, y_end)


def solve_batch_lanes(fns, nonneg, n_derived, n_chunks, *args):
    """solve_batch's Dormand-Prince on the vector lanes, in n_chunks chunks of patients; the
    same results, patient by patient. The chunks are split into numba.get_num_threads()
    contiguous blocks (as prange's static schedule splits them), each run by _lanes_chunks on a
    thread of its own (the calling thread takes the first): Python threads over a nogil kernel
    instead of a numba parallel region, whose compilation cost about 4 s of CPU of a cold start
    (docs/design/0022-cold-start.md)."""
    threads = min(numba.get_num_threads(), n_chunks)
    if threads <= 1:
        _lanes_chunks(fns, nonneg, n_derived, 0, n_chunks, n_chunks, *args)
        return
    bounds = [b * n_chunks // threads for b in range(threads + 1)]
    errors = []

    def work(c0, c1):
        try:
            _lanes_chunks(fns, nonneg, n_derived, c0, c1, n_chunks, *args)
        except BaseException as exc:  # re-raised on the calling thread
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(bounds[b], bounds[b + 1]), daemon=True)
               for b in range(1, threads)]
    for w in workers:
        w.start()
    work(bounds[0], bounds[1])
    for w in workers:
        w.join()
    if errors:
        raise errors[0]
