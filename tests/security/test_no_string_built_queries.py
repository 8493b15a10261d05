"""No Cypher or SQL is built from input: every query text is constant or made of schema names.

The check reads the source (``ast``) of ``graph_schema``, ``loaders``,
``workbench`` and ``benchmarks`` and looks at every query *sink*: the first
argument of ``.run``, ``.execute``, ``.executemany``, ``.executescript`` and
``.execute_query``. Query text passes when it is

- a string constant, a module-level constant, or a conditional between them;
- the result of a *builder*: a function of ``workbench/store/cypher.py`` or
  ``graph_schema/ddl.py`` (``cypher.get_nodes(label)``, ``neo4j_ddl(model)``)
  or ``_schema_changes``, which make text from the graph model only;
- an f-string, concatenation or ``join`` whose every interpolated value is a
  *schema name*: a variable of :data:`SCHEMA_NAMES` (``label``, ``type_``,
  ``src``, ``dst``... the names this code base gives to labels, edge types
  and property names taken from ``graph_schema``), an attribute ``.label``,
  ``.type`` or ``.name`` (of a ``NodeType``, ``EdgeType`` or ``Property``),
  or ``int(...)``.

How schema names are told from input: by those names, which is a
convention the builders keep, backed at run time by the store looking every
label, type and property up in the model (``model.node``/``model.edge``
raise for anything unknown) before it builds text. The builder modules are
scanned by the same rule, so a builder that interpolated anything else
would fail here too. Values always travel as ``$parameters`` / ``?``.

Text built any other way (an f-string of other variables, ``+`` with one,
``%``, ``.format``) fails wherever it is passed. An opaque value (a
function parameter, an unknown call) fails when it reaches a sink on a
database handle (:data:`DB_HANDLES`). A function that only passes one of its
parameters on to a sink (``LadybugRunner.run(query)``, a ``run_query``
closure, ``connect(path, schema)``) is a *wrapper*: found across the whole
code base, its own call sites become sinks and are checked instead.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("graph_schema", "loaders", "workbench", "benchmarks")
SINKS = {"run", "execute", "executemany", "executescript", "execute_query"}
DB_HANDLES = {"r", "runner", "conn", "connection", "con", "db", "tx", "session", "cursor", "cur",
              "driver", "_runner", "_conn"}  # fmt: skip
SCHEMA_NAMES = {
    "label", "type_", "src", "dst", "a", "b", "a_label", "b_label", "src_label", "dst_label",
    "name", "names", "p", "prop", "i", "where", "sets", "cols", "pairs", "labels", "props",
    "match", "fields", "returns", "FULLTEXT_INDEX",
}  # fmt: skip
SCHEMA_ATTRS = {"label", "type", "name"}
BUILDER_MODULES = {"cypher", "ddl"}
BUILDER_FUNCTIONS = {"embedded_ddl", "neo4j_ddl", "_schema_changes", "embedded_column"}
SAFE_CALLS = {"int", "embedded_column"}

SAFE, OPAQUE, UNSAFE = "safe", "opaque", "unsafe"


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _callee(call: ast.Call) -> str:
    func = call.func
    return (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    return [a.arg for a in func.args.args if a.arg not in ("self", "cls")]


def wrappers(trees: list[ast.AST]) -> dict[str, int]:
    """Sink name -> position of its query argument: the sinks, and every function that
    passes one of its parameters on to a sink or to another such function."""
    found = dict.fromkeys(SINKS, 0)
    changed = True
    while changed:
        changed = False
        for tree in trees:
            for func in ast.walk(tree):
                if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                params = _params(func)
                for call in ast.walk(func):
                    if not isinstance(call, ast.Call) or _callee(call) not in found:
                        continue
                    at = found[_callee(call)]
                    arg = call.args[at] if len(call.args) > at else None
                    if isinstance(arg, ast.Name) and arg.id in params and func.name not in found:
                        found[func.name] = params.index(arg.id)
                        changed = True
    return found


class Scanner:
    """Classifies query text expressions in one module."""

    def __init__(self, source: str, path: str, sinks: dict[str, int] | None = None) -> None:
        self.tree = ast.parse(source)
        self.path = path
        self.sinks = sinks if sinks is not None else wrappers([self.tree])
        self.parents = _parents(self.tree)
        self._resolving: set[str] = set()
        self.constants = {
            t.id: stmt.value
            for stmt in self.tree.body
            if isinstance(stmt, ast.Assign)
            for t in stmt.targets
            if isinstance(t, ast.Name)
        }

    def _function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return None

    def _is_builder_call(self, call: ast.Call) -> bool:
        name = _dotted(call.func)
        head, _, last = name.rpartition(".")
        return (
            head.split(".")[-1] in BUILDER_MODULES
            or last in BUILDER_FUNCTIONS
            or name in BUILDER_FUNCTIONS
            or (self.path.endswith(("cypher.py", "ddl.py")) and isinstance(call.func, ast.Name))
        )

    def interpolated(self, value: ast.expr, at: ast.AST) -> str:
        """A value placed into query text: safe only if it is a schema name."""
        if isinstance(value, ast.Constant):
            return SAFE
        if isinstance(value, ast.Name) and value.id in SCHEMA_NAMES:
            return SAFE
        if isinstance(value, ast.Attribute) and value.attr in SCHEMA_ATTRS:
            return SAFE
        if isinstance(value, ast.Call) and _dotted(value.func) in SAFE_CALLS:
            return SAFE
        return self.text(value, at) if isinstance(value, ast.JoinedStr | ast.BinOp) else UNSAFE

    def text(self, expr: ast.expr, at: ast.AST) -> str:
        """SAFE, UNSAFE (built from something other than schema names) or OPAQUE."""
        if isinstance(expr, ast.Constant):
            return SAFE if isinstance(expr.value, str | bytes) or expr.value is None else OPAQUE
        if isinstance(expr, ast.JoinedStr):
            parts = [v.value for v in expr.values if isinstance(v, ast.FormattedValue)]
            return SAFE if all(self.interpolated(p, at) == SAFE for p in parts) else UNSAFE
        if isinstance(expr, ast.BinOp):
            if isinstance(expr.op, ast.Mod):
                return UNSAFE
            sides = [self.text(expr.left, at), self.text(expr.right, at)]
            if UNSAFE in sides:
                return UNSAFE
            if OPAQUE in sides:  # "..." + variable
                return UNSAFE if SAFE in sides else OPAQUE
            return SAFE
        if isinstance(expr, ast.IfExp):
            return self._worst([self.text(expr.body, at), self.text(expr.orelse, at)])
        if isinstance(expr, ast.Call):
            if isinstance(expr.func, ast.Attribute) and expr.func.attr == "format":
                return UNSAFE
            if isinstance(expr.func, ast.Attribute) and expr.func.attr == "join":
                return self._joined(expr, at)
            return SAFE if self._is_builder_call(expr) else OPAQUE
        if isinstance(expr, ast.Name):
            return self._name(expr.id, at)
        return OPAQUE

    def _joined(self, call: ast.Call, at: ast.AST) -> str:
        arg = call.args[0] if call.args else None
        if isinstance(arg, ast.GeneratorExp | ast.ListComp):
            return SAFE if self.interpolated(arg.elt, at) == SAFE else UNSAFE
        if isinstance(arg, ast.Name) and arg.id in SCHEMA_NAMES:
            return SAFE
        return UNSAFE

    @staticmethod
    def _worst(kinds: list[str]) -> str:
        for kind in (UNSAFE, OPAQUE):
            if kind in kinds:
                return kind
        return SAFE

    def _name(self, name: str, at: ast.AST) -> str:
        if name in self._resolving:  # q = q + ...: judged by its other assignments
            return SAFE
        self._resolving.add(name)
        try:
            return self._resolve(name, at)
        finally:
            self._resolving.discard(name)

    def _resolve(self, name: str, at: ast.AST) -> str:
        func = self._function(at)
        if func is None:
            value = self.constants.get(name)
            return OPAQUE if value is None else self.text(value, at)
        kinds: list[str] = []
        for node in ast.walk(func):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets) and node.value:
                    kinds.append(self.text(node.value, node))
            elif (
                isinstance(node, ast.For)
                and isinstance(node.target, ast.Name)
                and node.target.id == name
            ):
                kinds.append(self._iterated(node.iter, node))
        args = _params(func)
        if name in args:  # a wrapper's query parameter: its callers are checked
            passed = self.sinks.get(func.name) == args.index(name)
            kinds.append(SAFE if passed else OPAQUE)
        if not kinds:
            value = self.constants.get(name)
            kinds.append(OPAQUE if value is None else self.text(value, at))
        return self._worst(kinds)

    def _iterated(self, it: ast.expr, at: ast.AST) -> str:
        if isinstance(it, ast.Tuple | ast.List):
            return self._worst([self.text(e, at) for e in it.elts])
        if isinstance(it, ast.Call):
            return SAFE if self._is_builder_call(it) else OPAQUE
        return OPAQUE

    def findings(self) -> list[Finding]:
        out = []
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            query, receiver = self._sink(node)
            if query is None:
                continue
            kind = self.text(query, node)
            handle = receiver.split(".")[-1] in DB_HANDLES
            if kind == UNSAFE or (kind == OPAQUE and handle):
                what = "built from input" if kind == UNSAFE else "not a constant or builder"
                out.append(
                    Finding(self.path, node.lineno, f"query text {what}: {ast.unparse(query)}")
                )
        return out

    def _sink(self, call: ast.Call) -> tuple[ast.expr | None, str]:
        """The query argument of a sink call, and the receiver it is called on."""
        name = _callee(call)
        at = self.sinks.get(name)
        if at is None or len(call.args) <= at:
            return None, ""
        if isinstance(call.func, ast.Attribute):
            receiver = _dotted(call.func.value)
            if receiver.split(".")[0] in ("subprocess", "asyncio"):
                return None, receiver
        elif name in SINKS:  # run(store) is a function of ours, not a database's method
            return None, ""
        # a wrapper exists to reach a database, whatever it is called on
        return call.args[at], receiver if name in SINKS else "db"


def scan(source: str, path: str = "<test>") -> list[Finding]:
    return Scanner(source, path).findings()


def scan_tree() -> list[Finding]:
    """Every finding in the scanned code base, wrappers followed across modules."""
    sources = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in _files()}
    sinks = wrappers([ast.parse(text) for text in sources.values()])
    return [f for path, text in sources.items() for f in Scanner(text, path, sinks).findings()]


def _files() -> list[Path]:
    return sorted(p for d in SCANNED for p in (ROOT / d).rglob("*.py") if ".venv" not in p.parts)


def test_no_query_is_built_from_input() -> None:
    assert len(_files()) > 50
    findings = scan_tree()
    assert not findings, "\n".join(map(str, findings))


def test_the_store_builds_queries_and_is_scanned() -> None:
    scanner = Scanner((ROOT / "workbench/store/base.py").read_text(encoding="utf-8"), "base.py")
    sinks = [n for n in ast.walk(scanner.tree) if isinstance(n, ast.Call) and scanner._sink(n)[0]]
    assert len(sinks) > 15
    found = wrappers([ast.parse(p.read_text(encoding="utf-8")) for p in _files()])
    assert found["connect"] == 1  # the governance files' connect(path, schema)


BAD = [
    "def f(r, text):\n    r.run(f\"MATCH (n) WHERE n.name = '{text}' RETURN n\")",
    'def f(conn, value):\n    conn.execute("SELECT * FROM t WHERE a = \'" + value + "\'")',
    'def f(db, value):\n    db.execute("SELECT * FROM t WHERE a = %s" % value)',
    'def f(session, name):\n    session.run("MATCH (n:{}) RETURN n".format(name))',
    "def f(r, user):\n    q = f\"MATCH (n {{name: '{user}'}}) RETURN n\"\n    r.run(q)",
    'def f(r, user):\n    q = "MATCH (n) WHERE n.x = "\n    q = q + user\n    r.run(q)',
    # a wrapper's callers are sinks too
    'def f(tx, query):\n    tx.run(query)\ndef g(tx, text):\n    f(tx, f"MATCH (n:{text})")',
    'def run_query(q, p):\n    s.run(q, p)\ndef g(text):\n    run_query("MATCH " + text, {})',
    'def f(r, search):\n    r.run(" ".join(w for w in search.split()))',
    'def f(anything, term):\n    anything.execute(f"DELETE FROM t WHERE x = {term}")',
    "def f(r, label, text):\n    r.run(f\"MATCH (n:{label}) WHERE n.t = '{text}' RETURN n\")",
]
GOOD = [
    'def f(r, x):\n    r.run("MATCH (n) WHERE n.id = $id RETURN n", {"id": x})',
    'def f(r, label, ids):\n    r.run(cypher.get_nodes(label), {"ids": ids})',
    'def f(r, node):\n    r.run(f"COPY {node.label} FROM $batch", {"batch": 1})',
    'def f(r, a, b, d):\n    r.run(f"MATCH (a:{a_label})-[*1..{int(d)}]-(b:{b_label})")',
    'Q = "SELECT 1"\ndef f(db):\n    db.execute(Q)',
    'def f(db, w):\n    db.execute("BEGIN IMMEDIATE" if w else "BEGIN")',
    "def f(r, label):\n    for q in (cypher.adjacent_out(label), cypher.adjacent_in(label)):\n"
    "        r.run(q)",
    "def f(spec, graph):\n    spec.run(graph)",
]


@pytest.mark.parametrize("source", BAD)
def test_the_scan_catches_string_built_queries(source: str) -> None:
    assert scan(source), source


@pytest.mark.parametrize("source", GOOD)
def test_the_scan_accepts_parameterised_and_schema_built_queries(source: str) -> None:
    assert scan(source) == [], source
