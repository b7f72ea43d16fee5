"""Code generation for compile.py: sympy rate laws to the Python/numba source of the model kernels
(imported only when a model's kernels must be generated or its key computed: a warm start with a
cached System description does not import sympy, docs/design/0028-warm-start.md).

Observables are inlined, structural constants substituted, parameter-only subexpressions (K**n,
products of constants) hoisted into a per-patient ``derived`` kernel, common subexpressions
eliminated, integer powers written as products. Besides the one-patient ``rhs``, ``rhs_lanes``
evaluates LANES patients per call on flat arrays (state i of lane l at y[i * LANES + l];
parameters, derived quantities and inputs alike) so that LLVM vectorises it across patients
(docs/performance.md); both print the same expressions, so they give the same numbers. The solver
is not part of the model's module: it is shared by every model (neuroimmune.solvers,
docs/design/0040-shared-solver.md).
"""

from __future__ import annotations

import hashlib
import re

import sympy as sp
from sympy.functions.elementary.piecewise import ExprCondPair
from sympy.printing.pycode import PythonCodePrinter

from ._mathsrc import _IMPORTS, _MAX_EXACT_DIVISOR, _helper_import, helpers_key
from ._version import __version__
from .model.core import CLOCK, Module, T, inline_observables
from .solvers import LANES


def model_key(model: Module, jacobian: bool = True) -> str:
    """Hash of everything the generated code depends on."""
    h = hashlib.sha256()
    if not jacobian:
        h.update(b"no symbolic Jacobian\n")
    h.update(__version__.encode())
    h.update(_GENERATOR_VERSION.encode())
    h.update(helpers_key().encode())
    for s in model.species:
        h.update(f"S|{s.name}|{s.unit}|{s.nonnegative}\n".encode())
    for p in model.parameters:
        h.update(f"P|{p.name}|{p.unit}|{p.constant}|{p.value if p.constant else ''}\n".encode())
    for i in model.inputs:
        h.update(f"I|{i.name}|{i.unit}\n".encode())
    for o in model.observables:
        h.update(f"O|{o.name}|{o.unit}|{sp.srepr(o.expr)}\n".encode())
    for name in model.species_names:
        h.update(f"R|{name}|{sp.srepr(model.rates.get(name, sp.Integer(0)))}\n".encode())
    return h.hexdigest()


_GENERATOR_VERSION = "21"
_MAX_INT_POWER = 12


class _KernelPrinter(PythonCodePrinter):
    """Prints integer powers as products and other powers through a domain-safe helper."""

    #: suffix of the power helpers called: plain calls here (numba's IR inlining of each call
    #: site cost seconds of compilation), inlined ones ("_l") in the lane kernel, where LLVM
    #: vectorises the lane loop only over inlined code
    helpers = ""
    #: suffix of the exp and non-integer power helpers (neuroimmune._vecmath): "_l", inlined, in
    #: both right-hand sides (no call on their hot path; docs/design/0029-vector-pow.md), plain
    #: calls in derived, jac and observe (inlining them at every site there cost 6 s of compile)
    vec_helpers = ""
    #: whether a modulo by a whole number is printed as _pmod_l (Python's %, bitwise, without
    #: fmod: lets the lane loop vectorise; in the one-patient kernel fmod was 5 ns faster, its
    #: division and floor lying on the clock's dependency chain: docs/design/0024-solve-speed.md)
    vector_mod = False

    def _print_Symbol(self, expr):
        return expr.name

    def _print_Float(self, expr):
        return repr(float(expr))

    def _print_Rational(self, expr):
        return f"({float(expr.p)!r} / {float(expr.q)!r})"

    def _print_Integer(self, expr):
        return f"{float(expr)!r}"

    def _print_Mod(self, expr):
        a, b = expr.args
        if (self.vector_mod and b.is_Number and b.is_positive and b.is_integer
                and b <= _MAX_EXACT_DIVISOR):
            return f"_pmod_l({self._print(a)}, {self._print(b)})"
        return f"(({self._print(a)}) % ({self._print(b)}))"

    def _print_sin(self, expr):
        return f"_sin{self.helpers}({self._print(expr.args[0])})"

    def _print_cos(self, expr):
        return f"_cos{self.helpers}({self._print(expr.args[0])})"

    def _print_exp(self, expr):
        return f"_exp{self.vec_helpers}({self._print(expr.args[0])})"

    def _print_Pow(self, expr, rational=False):
        base, ex = expr.args
        b = self.parenthesize(base, 100)
        if ex.is_Number and float(ex).is_integer() and abs(int(float(ex))) <= _MAX_INT_POWER:
            n = int(float(ex))
            if n == 0:
                return "1.0"
            if abs(n) == 1:
                pos = b
            else:
                pos = ("*".join([b] * abs(n)) if base.is_Atom
                       else f"_ipow{self.helpers}({b}, {abs(n)})")
            return f"({pos})" if n > 0 else f"(1.0 / ({pos}))"
        if (ex.is_Number and (4 * float(ex)).is_integer()
                and abs(4 * float(ex)) <= 4 * _MAX_INT_POWER):
            # quarter and half powers (h = 0.75, 1.5 ...) from square roots, not pow()
            k = int(4 * float(ex))
            return f"_qpow{self.helpers}({self._print(base)}, {k})"
        return f"_ppow{self.vec_helpers}({b}, {self._print(ex)})"


class _LanePrinter(_KernelPrinter):
    """States, parameters, derived quantities and inputs indexed by lane (lanes may be at
    different protocol segments, so inputs are per lane too)."""

    helpers = vec_helpers = "_l"
    vector_mod = True

    def _print_Symbol(self, expr):
        name, _, index = expr.name.partition("[")
        if name in ("y", "p", "q", "u") and index:
            return f"{name}[{int(index[:-1]) * LANES} + l]"
        return expr.name


def _hoist(expr: sp.Expr, is_param, table: dict, memo: dict | None = None) -> sp.Expr:
    """Replace parameter-only subexpressions by q[k] symbols (computed once per patient).
    `memo` (shared by the calls of one generation) holds each node's `_kind`."""
    memo = {} if memo is None else memo
    if expr.is_Atom:
        return expr
    if _kind(expr, is_param, memo) is True and not isinstance(expr, ExprCondPair):
        return _table_symbol(expr, table)  # (a Piecewise's (value, condition) pair stays one)
    if isinstance(expr, (sp.Add, sp.Mul)):
        const = [a for a in expr.args if _kind(a, is_param, memo) is True]
        rest = [_hoist(a, is_param, table, memo) for a in expr.args if a not in const]
        if len(const) >= 2 or (len(const) == 1 and not const[0].is_Symbol):
            return expr.func(_table_symbol(expr.func(*const), table), *rest)
        return expr.func(*const, *rest)
    return expr.func(*[_hoist(a, is_param, table, memo) for a in expr.args])


_UNSEEN = object()


def _kind(expr: sp.Basic, is_param, memo: dict) -> bool | None:
    """None: no free symbols; True: only parameters; False: a state, input or time among them.
    Each node once (from its arguments' kinds): `free_symbols` at every node of a deep rate
    law was quadratic (the full model's code generation spent most of its time there)."""
    found = memo.get(expr, _UNSEEN)
    if found is not _UNSEEN:
        return found
    if expr.is_Atom:
        fs = expr.free_symbols
        kind = None if not fs else all(is_param(x) for x in fs)
    else:
        kinds = [_kind(a, is_param, memo) for a in expr.args]
        kind = False if False in kinds else (True if True in kinds else None)
    memo[expr] = kind
    return kind


def _table_symbol(expr: sp.Expr, table: dict) -> sp.Symbol:
    if expr not in table:
        table[expr] = sp.Symbol(f"q[{len(table)}]", real=True)
    return table[expr]


#: Longest condition printed on its `if` line (a longer one, or one that several Piecewise test,
#: is computed once into a variable before its block: in the standard model's one-patient rhs
#: a short condition held in a variable cost 0.05 ms of the 0.31 ms latency).
_INLINE_CONDITION = 200


def _cse_block(exprs: list[sp.Expr], printer: _KernelPrinter, prefix: str):
    """Assignments for common subexpressions of `exprs`, and the reduced expressions.

    Each Piecewise is evaluated first in an if/else block, so the work of a branch not taken
    (e.g. plasma binding when no synthetic steroid is present) is skipped: sympy's cse would
    otherwise hoist subexpressions of every branch out of the conditional. Nested ones are
    evaluated innermost first, and an outer one reads the inner ones' variables; a condition
    longer than _INLINE_CONDITION characters, or one that several Piecewise test, is computed
    once into a variable (with its own cse) before the first block that tests it. Printed
    inline, inner Piecewise and conditions were repeated in every condition and branch around
    them (the full model's rhs_lanes had conditions of 9,000 characters and took 96 s to
    compile; docs/design/0041-lazy-jacobian.md)."""
    lines: list[str] = []
    pieces = sorted({pw for e in exprs for pw in e.atoms(sp.Piecewise)},
                    key=lambda pw: (len(pw.atoms(sp.Piecewise)), sp.default_sort_key(pw)))
    subs: dict = {}
    conds: dict = {}  # condition -> its variable, or its text where short and used once
    uses: dict = {}
    for k, pw in enumerate(pieces):  # how many Piecewise test each condition
        for _, cond in pw.xreplace(subs).args:
            uses[cond] = uses.get(cond, 0) + 1
        subs[pw] = sp.Symbol(f"{prefix}pw{k}", real=True)
    subs = {}
    for k, pw in enumerate(pieces):
        name = f"{prefix}pw{k}"
        args = pw.xreplace(subs).args
        for _, cond in args:
            if cond == sp.true or cond in conds:
                continue
            text = printer.doprint(cond)
            if uses.get(cond, 1) == 1 and len(text) <= _INLINE_CONDITION:
                conds[cond] = text
                continue
            conds[cond] = c = f"{prefix}c{len(conds)}"
            repl, (reduced,) = sp.cse([cond], symbols=sp.numbered_symbols(f"{c}_"))
            lines += [f"    {s.name} = {printer.doprint(e)}" for s, e in repl]
            lines.append(f"    {c} = {printer.doprint(reduced)}")
        for j, (value, cond) in enumerate(args):
            head = "if" if j == 0 else ("else" if cond == sp.true else "elif")
            lines.append(f"    {head}{'' if head == 'else' else ' ' + conds[cond]}:")
            repl, (reduced,) = sp.cse([value], symbols=sp.numbered_symbols(f"{name}_{j}_"))
            lines += [f"        {s.name} = {printer.doprint(e)}" for s, e in repl]
            lines.append(f"        {name} = {printer.doprint(reduced)}")
        subs[pw] = sp.Symbol(name, real=True)
    exprs = [e.xreplace(subs) for e in exprs]
    repl, reduced = sp.cse(exprs, symbols=sp.numbered_symbols(prefix))
    lines += [f"    {s.name} = {printer.doprint(e)}" for s, e in repl]
    return lines, reduced


_READ = re.compile(r"\b([ypqu])\[(\d+)\]")
_LANE_READ = re.compile(r"\b([ypqu])\[(\d+) \+ l\]")


def _loaded_once(lines: list[str], lanes: bool = False) -> list[str]:
    """`lines` with each array element they read (y[i], p[j], q[k], u[m]; in the lane kernel
    y[i + l] ...) read once into a local (y_i ...): numba types and lowers every array read anew
    (about 3 ms each), and the kernels read the same elements many times (`derived` 714 reads of
    about 100 parameters in the standard model). The printed expressions are otherwise unchanged
    (the substitution is textual), so the arithmetic and every result are bitwise the same. The
    kernels write only other arrays (dy, q in `derived`, out).

    Each local is read just before the first statement that uses it (a whole if/else block
    counting as one statement), not all at the top: values loaded at the top live across the
    kernel's library calls (fmod, pow, sincos, exp), which clobber every vector register, and
    were spilled to the stack and reloaded (the standard model's scalar rhs took 127 instead of
    97 ns; docs/design/0024-solve-speed.md)."""
    pattern = _LANE_READ if lanes else _READ
    indent, load = ("        ", "{a}[{i} + l]") if lanes else ("    ", "{a}[{i}]")
    # only what is read: the right-hand side of an assignment (its target may be q[k]), or a
    # condition
    parts = [line.partition(" = ") if " = " in line else ("", "", line) for line in lines]
    out: list[str] = []
    loaded: set = set()
    for line, (target, eq, read) in zip(lines, parts):
        if not line.startswith(indent + " ") and not line.lstrip().startswith(("elif ",
                                                                                "else:")):
            pending = len(out)  # a statement at the kernel's own level
        # reads inside a block are loaded before the block's first line (the `if`), so that
        # every branch and everything after it sees them
        used = sorted({(a, int(i)) for a, i in pattern.findall(read)} - loaded)
        out[pending:pending] = [f"{indent}{a}_{i} = {load.format(a=a, i=i)}" for a, i in used]
        loaded.update(used)
        out.append(target + eq + pattern.sub(r"\1_\2", read))
    return out


_STATEMENT = re.compile(r"^    (\w+|dy\[\d+\]) = (.*)$")
_NAME = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\b(?!\s*\[)")


def _call_args(text: str, start: int) -> tuple[int, str, str]:
    """The index just after the ")" of the two-argument call whose "(" is at text[start], and
    its arguments."""
    depth, comma = 0, -1
    for i in range(start, len(text)):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1, text[start + 1:comma].strip(), text[comma + 1:i].strip()
        elif c == "," and depth == 1:
            comma = i
    raise ValueError(text)


def _batched_pows(lines: list[str], scratch: int, helper: str = "_ppow_l") -> list[str]:
    """The one-patient rhs's `lines` with its non-integer powers computed together, in one loop
    over the scratch elements dy[0 .. 2m - 1] (bases, then exponents) that LLVM vectorises: the
    same `helper` on the same arguments, so every power, and so every result, is bitwise what the
    inlined call at each site gave (and what the lane kernel gives), in about half the time
    (docs/design/0035-latency.md). The powers' arguments are evaluated before the loop, with
    the statements they need (moved up, in their order); the powers' values are read from dy
    before dy is written; then come the other statements in their order, those that do not
    wait for a power first (independent work for the CPU while the powers are computed).

    Taken are the calls in statements at the kernel's own level (not in an if/else block, which
    may be skipped) whose arguments hold no such call and need no statement that holds one, the
    first `scratch` / 2 of them (dy's length: room for the bases and exponents); nothing changes
    with fewer than two."""
    # the if/else blocks (the Piecewise values, with their conditions: they come first), then
    # the statements after them: target, expression
    blocks = [i for i, line in enumerate(lines) if not _STATEMENT.match(line)]
    head = lines[:blocks[-1] + 1] if blocks else []
    stmts = [(m.group(1), m.group(2)) for m in map(_STATEMENT.match, lines[len(head):]) if m]
    defined = {target: i for i, (target, _) in enumerate(stmts) if not target.startswith("dy[")}

    def needs(text: str) -> set[int]:
        """Indices of the statements `text` needs, directly or through others."""
        out: set[int] = set()
        todo = [text]
        while todo:
            for name in _NAME.findall(todo.pop()):
                i = defined.get(name)
                if i is not None and i not in out:
                    out.add(i)
                    todo.append(stmts[i][1])
        return out

    calls: list[tuple[int, int, int, str, str]] = []  # statement, start, end, base, exponent
    for k, (_, text) in enumerate(stmts):
        for call in re.finditer(re.escape(helper) + r"\(", text):
            end, base, ex = _call_args(text, call.end() - 1)
            if helper + "(" not in base + ex:
                calls.append((k, call.start(), end, base, ex))
    holds = {k for k, (_, text) in enumerate(stmts) if helper + "(" in text}
    taken = [c for c in calls if not needs(c[3] + " " + c[4]) & holds][:scratch // 2]
    if len(taken) < 2:
        return lines
    m = len(taken)
    first = sorted(set().union(*(needs(c[3] + " " + c[4]) for c in taken)))
    names = [f"xpow{j}" for j in range(m)]
    texts = [text for _, text in stmts]
    for j, (k, start, end, _, _) in sorted(enumerate(taken), key=lambda c: -c[1][1]):
        texts[k] = texts[k][:start] + names[j] + texts[k][end:]  # from the right: starts hold
    batch = ([f"    dy[{j}] = {c[3]}" for j, c in enumerate(taken)]
             + [f"    dy[{m + j}] = {c[4]}" for j, c in enumerate(taken)]
             + [f"    for _j in range({m}):",
                f"        dy[_j] = {helper}(dy[_j], dy[{m} + _j])"]
             + [f"    {name} = dy[{j}]" for j, name in enumerate(names)])
    rest = [k for k in range(len(stmts)) if k not in set(first)]
    # the statements that wait for a power after those that do not, so that the CPU has
    # independent work while the powers are computed
    results = set(names)
    waits: set[int] = set()
    for k in rest:
        used = set(_NAME.findall(texts[k]))
        if used & results or any(defined.get(u) in waits for u in used):
            waits.add(k)
    rest = [k for k in rest if k not in waits] + [k for k in rest if k in waits]
    return (head + [f"    {stmts[k][0]} = {texts[k]}" for k in first] + batch
            + [f"    {stmts[k][0]} = {texts[k]}" for k in rest])


def _symbolic(model: Module):
    """The model's rates (each plus its state's input u[i]), states, observables and
    parameter test, in the kernels' array names (y[i], p[j], u[k])."""
    n = len(model.species)
    free = [p for p in model.parameters if not p.constant]
    mapping: dict[sp.Symbol, sp.Expr] = {}
    for i, s in enumerate(model.species):
        mapping[s.symbol] = sp.Symbol(f"y[{i}]", real=True)
    for j, p in enumerate(free):
        mapping[p.symbol] = sp.Symbol(f"p[{j}]", real=True)
    for p in model.parameters:
        if p.constant:  # whole numbers as Integers: x**6 expands and differentiates cleanly
            mapping[p.symbol] = (sp.Integer(int(p.value)) if float(p.value).is_integer()
                                 else sp.Float(p.value))
    for k, inp in enumerate(model.inputs):
        mapping[inp.symbol] = sp.Symbol(f"u[{n + k}]", real=True)

    def is_param(s):
        return s.name.startswith("p[")

    rates = []
    for i, s in enumerate(model.species):
        r = inline_observables(model, model.rates.get(s.name, sp.Integer(0)))
        rates.append(r.xreplace(mapping) + sp.Symbol(f"u[{i}]", real=True))
    ysyms = [mapping[s.symbol] for s in model.species]
    obs = [inline_observables(model, o.expr).xreplace(mapping) for o in model.observables]
    return rates, ysyms, obs, is_param


def _header(model: Module, kind: str) -> list[str]:
    return [f"# Generated by neuroimmune {__version__} for model {model.name!r} ({kind}). "
            "Do not edit.", *_IMPORTS,
            "from neuroimmune.solvers.noalias import NoAliasCompiler",
            "# the math helpers (compile.helpers_module; its file ni_helpers_<key>.py here):",
            _helper_import(), ""]


class _SharedPrinter(_KernelPrinter):
    """A printer that computes each repeated subexpression (a node of `shared`) once: the first
    time it is printed its text goes into a new variable (a line of `lines`), and every later
    occurrence prints the variable. Each node's text is the one it would have inline and the
    variable replaces a whole operand, so the arithmetic is the same, bit for bit: unlike
    sympy's cse, nothing is reordered (a sum's terms are ordered before they are printed)."""

    def __init__(self, base: _KernelPrinter, shared: set, prefix: str):
        super().__init__(base._settings)
        self.helpers, self.vec_helpers, self.vector_mod = (base.helpers, base.vec_helpers,
                                                           base.vector_mod)
        self.shared, self.prefix = shared, prefix
        self.names: dict = {}
        self.lines: list[str] = []

    def _print(self, expr, **kwargs):
        name = self.names.get(expr)
        if name is not None:
            return name
        text = super()._print(expr, **kwargs)
        if expr in self.shared:
            name = self.names[expr] = f"{self.prefix}{len(self.names)}"
            self.lines.append(f"    {name} = {text}")
            return name
        return text


def _print_shared(assignments: list[tuple[str, sp.Expr]], printer: _KernelPrinter,
                  prefix: str) -> list[str]:
    """`target = expression` lines, each subexpression that occurs more than once in them
    computed once (_SharedPrinter). For `derived`, which has no cse: its entries repeat the
    parameter-only parts of one another (the free cortisol fraction in 14 of the standard
    model's), and numba's compile time grows with the statements' size."""
    counts: dict = {}
    for _, e in assignments:
        for node in sp.preorder_traversal(e):
            if not node.is_Atom and not isinstance(node, (ExprCondPair, sp.logic.boolalg.Boolean)):
                counts[node] = counts.get(node, 0) + 1
    shared = {node for node, c in counts.items() if c > 1}
    sp_printer = _SharedPrinter(printer, shared, prefix)
    lines: list[str] = []
    for target, e in assignments:
        text = sp_printer.doprint(e)
        lines += sp_printer.lines
        sp_printer.lines = []
        lines.append(f"    {target} = {text}")
    return lines


def _derived(table: dict, printer) -> list[str]:
    out = ["@njit(cache=True, error_model='numpy')", "def derived(p, q):"]
    if table:
        out += _loaded_once(_print_shared([(sym.name, e) for e, sym in table.items()], printer,
                                          "d"))
    else:
        out += ["    q[0] = 0.0"]
    return out


def _time_lines(exprs) -> list[str]:
    return ["    clock = (t + clock0) % 24.0"] if any(CLOCK in e.free_symbols
                                                    for e in exprs) else []


def generate_source(model: Module, jacobian: bool = True, controlled: int | None = None) -> str:
    """Python/numba source for the model kernels: `derived` (the parameter-only subexpressions
    of the rates and observables, once per patient), `rhs`, `rhs_lanes`, `observe`, and
    `no_jacobian` (NaN: the Jacobian slot of an explicit run, which never calls it). The symbolic
    Jacobian is another module, generated on the first implicit run
    (`generate_jacobian_source`); `jacobian=False` marks a system that has none (HAS_JACOBIAN).
    `controlled`: the first states that the step-size control and the pre-equilibration test
    watch (N_CONTROLLED; default all): a sensitivity system's derivatives ride on the steps
    chosen for the states."""
    n = len(model.species)
    rates, _, obs, is_param = _symbolic(model)
    table: dict = {}
    memo: dict = {}
    rates = [_hoist(r, is_param, table, memo) for r in rates]
    obs = [_hoist(e, is_param, table, memo) for e in obs]
    printer = _KernelPrinter({"fully_qualified_modules": True, "standard": "python3"})
    time_lines = _time_lines(rates + obs)

    out = [*_header(model, "kernels"),
           f"N_STATES = {n}", f"LANES = {LANES}", f"N_DERIVED = {len(table)}",
           f"N_OUT = {n + len(model.observables)}", f"HAS_JACOBIAN = {jacobian}",
           f"N_CONTROLLED = {n if controlled is None else controlled}",
           f"NONNEG = np.array({[bool(s.nonnegative) for s in model.species]}, dtype=np.bool_)",
           "", "",
           *_derived(table, printer)]
    out += ["", "", "@njit(cache=True, error_model='numpy')",
            "def rhs(t, clock0, y, p, q, u, dy):"] + time_lines
    rhs_printer = _KernelPrinter({"fully_qualified_modules": True, "standard": "python3"})
    rhs_printer.vec_helpers = "_l"
    lines, reduced = _cse_block(rates, rhs_printer, "x")
    out += _loaded_once(_batched_pows(lines + [f"    dy[{i}] = {rhs_printer.doprint(e)}"
                                                for i, e in enumerate(reduced)], n))
    # noalias array arguments and a constant lane count: what LLVM needs to vectorise the loop
    lane = _LanePrinter({"fully_qualified_modules": True, "standard": "python3"})
    out += ["", "", "@njit(cache=True, error_model='numpy', pipeline_class=NoAliasCompiler)",
            "def rhs_lanes(t, clock0, y, p, q, u, dy):", "    for l in range(LANES):"]
    out += ["        clock = _pmod_l(t[l] + clock0, 24.0)"] if time_lines else []
    # the time itself (e.g. an ultradian sine of t) is each lane's own: t is an array here
    lane_t = sp.Symbol("t_lane", real=True)
    lane_rates = [r.xreplace({T: lane_t}) for r in rates]
    out += ["        t_lane = t[l]"] if any(T in r.free_symbols for r in rates) else []
    lines, reduced = _cse_block(lane_rates, lane, "x")
    out += _loaded_once(["    " + line for line in lines]
                        + [f"        dy[{i * LANES} + l] = {lane.doprint(e)}"
                           for i, e in enumerate(reduced)], lanes=True)
    out += ["", "", "@njit(cache=True, error_model='numpy')",
            "def no_jacobian(t, clock0, y, p, q, u, J):", "    J[:, :] = np.nan"]
    out += ["", "", "@njit(cache=True, error_model='numpy')",
            "def observe(t, clock0, y, p, q, u, out):"] + time_lines
    body = [f"    out[{i}] = y[{i}]" for i in range(n)]
    if obs:
        lines, reduced = _cse_block(obs, printer, "x")
        body += lines + [f"    out[{n + k}] = {printer.doprint(e)}" for k, e in enumerate(reduced)]
    out += _loaded_once(body)
    return "\n".join(out) + "\n"


def generate_jacobian_source(model: Module, jacobian: bool = True) -> str:
    """Python/numba source of the implicit solver's model kernels: `jac` (the symbolic Jacobian
    of the rates; NaN with `jacobian=False`) and the `derived` it reads: the kernel module's
    parameter-only subexpressions first (the same expressions in the same order, so the same
    q[k] and values: `rhs` and `observe` read them from this array too), then the Jacobian's.
    Generated on the first implicit run only: the symbolic Jacobian is most of the code
    generation of a large model."""
    n = len(model.species)
    rates, ysyms, obs, is_param = _symbolic(model)
    # (a*x)**e -> a**e * x**e before differentiating, so the Jacobian has no e*(a*x)**e/x terms
    # that divide by a state at zero (quantities are non-negative, so this is exact)
    # (each rate differentiated by the states it contains only: sympy's diff by an absent
    # state walks the whole rate law to return 0, most of a large model's Jacobian time)
    jac_entries = []
    for i, r in enumerate(sp.expand_power_base(r, force=True) for r in rates if jacobian):
        present = r.free_symbols
        for j, y in enumerate(ysyms):
            d = r.diff(y) if y in present else sp.S.Zero
            if d != 0:
                jac_entries.append(((i, j), sp.powsimp(d)))
    table: dict = {}
    memo: dict = {}
    rates = [_hoist(r, is_param, table, memo) for r in rates]
    obs = [_hoist(e, is_param, table, memo) for e in obs]
    jac_entries = [(ij, _hoist(e, is_param, table, memo)) for ij, e in jac_entries]
    printer = _KernelPrinter({"fully_qualified_modules": True, "standard": "python3"})
    out = [*_header(model, "Jacobian"), f"N_STATES = {n}", f"N_DERIVED = {len(table)}", "", "",
           *_derived(table, printer)]
    out += ["", "", "@njit(cache=True, error_model='numpy')",
            "def jac(t, clock0, y, p, q, u, J):"] + _time_lines([e for _, e in jac_entries])
    out += ["    J[:, :] = 0.0" if jacobian else "    J[:, :] = np.nan"]
    if jac_entries:
        lines, reduced = _cse_block([e for _, e in jac_entries], printer, "x")
        out += lines + [f"    J[{i}, {j}] = {printer.doprint(e)}"
                        for ((i, j), _), e in zip(jac_entries, reduced)]
    return "\n".join(out) + "\n"
