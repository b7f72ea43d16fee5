"""Rate laws from text, safely: arithmetic on declared names, nothing else.

A user's scenario file (or a web form) may define rate laws as strings. They are parsed with
Python's own parser (``ast.parse``, which never evaluates anything) and only these nodes are
turned into sympy: numbers, declared names, ``+ - * / **``, unary signs, parentheses and calls of
the functions in ``FUNCTIONS``. Anything else (attributes, subscripts, strings, lambdas,
comprehensions, ``__import__(...)``) is refused with an error naming the construct.
"""

from __future__ import annotations

import ast
import math
from typing import Callable, Mapping

import sympy as sp

from ..errors import ModelError, problem
from .core import hill_down, hill_up

#: Functions a rate law may call, with their number of arguments.
FUNCTIONS: dict[str, tuple[Callable[..., sp.Expr], int]] = {
    "exp": (sp.exp, 1), "log": (sp.log, 1), "sqrt": (sp.sqrt, 1), "abs": (sp.Abs, 1),
    "min": (sp.Min, 2), "max": (sp.Max, 2),
    "hill_up": (hill_up, 3), "hill_down": (hill_down, 3),
}
_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
           ast.Pow: lambda a, b: a ** b}
_UNARY = {ast.UAdd: lambda a: a, ast.USub: lambda a: -a}
#: Longest accepted expression (characters) and deepest nesting.
MAX_LENGTH = 2000
MAX_DEPTH = 60


def parse_rate(text: object, names: Mapping[str, sp.Symbol], what: str) -> sp.Expr:
    """The sympy expression of `text` over the symbols in `names` (errors name `what`)."""
    allowed = f"arithmetic (+ - * / **) on numbers and the names {sorted(names)} and the " \
              f"functions {sorted(FUNCTIONS)}"
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_LENGTH:
        raise ModelError(problem(what, f"a non-empty string of at most {MAX_LENGTH} characters "
                                 f"with {allowed}", text, "write the rate law as text, e.g. "
                                 "\"k*TNF - d*IL1\""))
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError) as exc:
        raise ModelError(problem(what, f"a valid expression ({allowed})", text,
                                 f"fix the syntax ({exc.msg if hasattr(exc, 'msg') else exc})")
                         ) from None
    return _convert(tree.body, names, what, text, allowed, 0)


def _convert(node: ast.AST, names, what, text, allowed, depth) -> sp.Expr:
    if depth > MAX_DEPTH:
        raise ModelError(problem(what, f"an expression nested at most {MAX_DEPTH} deep", text,
                                 "simplify the expression"))

    def sub(n):
        return _convert(n, names, what, text, allowed, depth + 1)

    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        value: float = node.value  # type: ignore[assignment]  # narrowed by the type() test
        if not math.isfinite(value):
            raise ModelError(problem(what, "finite numbers", text, "use finite constants"))
        return sp.Integer(value) if isinstance(value, int) else sp.Float(value)
    if isinstance(node, ast.Name):
        if node.id in names:
            return names[node.id]
        raise ModelError(problem(f"{what}: name {node.id!r}", f"one of the declared names "
                                 f"{sorted(names)}", node.id, "declare it as a species, "
                                 "parameter or input of the module, or fix the spelling"))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](sub(node.left), sub(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](sub(node.operand))
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in FUNCTIONS and not node.keywords):
        func, arity = FUNCTIONS[node.func.id]
        if len(node.args) != arity:
            raise ModelError(problem(f"{what}: {node.func.id}()", f"{arity} argument(s)",
                                     len(node.args), f"call {node.func.id} with {arity}"))
        return func(*(sub(a) for a in node.args))
    construct = ast.get_source_segment(text.strip(), node) or type(node).__name__
    raise ModelError(problem(what, allowed, construct, "only arithmetic on declared names is "
                             "allowed in a rate law; remove that construct"))
