#!/usr/bin/env python3
"""test_protocol.py BINARY — drives `ddlguard lsp` as a scripted JSON-RPC client: the lifecycle,
diagnostics at exact UTF-16 positions on a line with characters outside the BMP, incremental
edits re-diagnosed, the configuration and schema memory of the document's directory, hover,
code actions applied as a client applies them, and malformed input the server must answer and
survive."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rpc import Server  # noqa: E402

BINARY = os.path.abspath(sys.argv[1])
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)


def uri_of(path):
    return "file://" + path.replace("%", "%25").replace(" ", "%20")


def units(s):
    """Length of s in UTF-16 code units."""
    return len(s.encode("utf-16-le")) // 2


def offset(text, line, character):
    """A client's view: LSP position → index into text (lines end at \\n here)."""
    lines = text.split("\n")
    base = sum(len(x) + 1 for x in lines[:line])
    u = 0
    for i, ch in enumerate(lines[line]):
        if u >= character:
            return base + i
        u += units(ch)
    return base + len(lines[line])


def apply_edits(text, edits):
    """TextEdits applied as the protocol says: all against the original text, last first."""
    spans = []
    for e in edits:
        r = e["range"]
        spans.append((offset(text, r["start"]["line"], r["start"]["character"]),
                      offset(text, r["end"]["line"], r["end"]["character"]), e["newText"]))
    for a, b, t in sorted(spans, key=lambda s: s[0], reverse=True):
        text = text[:a] + t + text[b:]
    return text


def rng(sl, sc, el, ec):
    return {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}


def by_code(diags, code):
    return [d for d in diags if d.get("code") == code]


tmp = tempfile.mkdtemp(prefix="ddlguard-lsp-")
try:
    # a repository with its configuration and a dbmate directory: the first migration creates
    # the table, the second (the document) indexes it, the third widens a column
    root = os.path.join(tmp, "repo with space")
    mig = os.path.join(root, "db", "migrations")
    os.makedirs(mig)
    os.mkdir(os.path.join(root, ".git"))
    with open(os.path.join(root, ".ddlguard.yaml"), "w") as f:
        f.write("rules:\n  require-lock-timeout: off\n"
                "  require-concurrent-index-creation: {severity: error}\n")
    init = ("-- migrate:up\n"
            "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(50) NOT NULL);\n\n"
            "-- migrate:down\nDROP TABLE users;\n")
    with open(os.path.join(mig, "20240101000000_init.sql"), "w") as f:
        f.write(init)
    idx_path = os.path.join(mig, "20240102000000_idx.sql")
    # the offending token after a comment holding U+1D11E and U+1F600 (two UTF-16 units each)
    idx = ("-- migrate:up\n"
           "/* \U0001D11E\U0001F600 note */ CREATE INDEX users_email_idx ON users (email);\n\n"
           "-- migrate:down\nDROP INDEX IF EXISTS users_email_idx;\n")
    with open(idx_path, "w") as f:
        f.write(idx)
    widen = "-- migrate:up\nALTER TABLE users ALTER COLUMN email TYPE varchar(100);\n"
    widen_path = os.path.join(mig, "20240103000000_widen.sql")
    with open(widen_path, "w") as f:
        f.write(widen)
    # the newest migration: its index shares dbmate's transaction with the ALTER
    nick = ("-- migrate:up\n"
            "ALTER TABLE users ADD COLUMN nick text;\n"
            "CREATE INDEX users_nick_idx ON users (nick);\n\n"
            "-- migrate:down\nALTER TABLE users DROP COLUMN nick;\n")
    nick_path = os.path.join(mig, "20240105000000_nick.sql")
    with open(nick_path, "w") as f:
        f.write(nick)
    elsewhere = os.path.join(tmp, "other", "db", "migrations")
    os.makedirs(elsewhere)

    s = Server(BINARY)
    uri = uri_of(idx_path)

    # ---- before initialize: ServerNotInitialized, notifications dropped
    r = s.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": {"line": 0, "character": 0}})
    check(r.get("error", {}).get("code") == -32002, "request before initialize: %r" % r)

    # ---- initialize
    r = s.request("initialize", {"processId": None, "rootUri": uri_of(root), "capabilities": {
        "workspace": {"workspaceEdit": {"documentChanges": True,
                                        "resourceOperations": ["create", "rename"]}}}})
    caps = r["result"]["capabilities"]
    check(caps["textDocumentSync"]["change"] == 2, "incremental sync: %r" % caps)
    check(caps["textDocumentSync"]["openClose"] is True, "openClose")
    check(caps["hoverProvider"] is True, "hoverProvider")
    check("quickfix" in caps["codeActionProvider"]["codeActionKinds"], "codeActionKinds")
    check(r["result"]["serverInfo"]["name"] == "ddlguard", "serverInfo")
    r = s.request("initialize", {"capabilities": {}})
    check(r.get("error", {}).get("code") == -32600, "a second initialize: %r" % r)
    s.notify("initialized", {})

    # ---- didOpen: diagnostics at exact UTF-16 positions
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "sql", "version": 1, "text": idx}})
    p = s.diagnostics(uri)
    check(p.get("version") == 1, "diagnostics carry the version: %r" % p.get("version"))
    d = by_code(p["diagnostics"], "require-concurrent-index-creation")
    check(len(d) == 1, "one require-concurrent-index-creation: %r" % p["diagnostics"])
    line1 = idx.split("\n")[1]
    start = units(line1[:line1.index("CREATE")])
    check(start == 16, "the test's own arithmetic: %d" % start)
    stmt = "CREATE INDEX users_email_idx ON users (email)"
    if d:
        g = d[0]
        check(g["range"] == rng(1, 16, 1, 16 + len(stmt)), "UTF-16 range: %r" % g["range"])
        check(g["severity"] == 1, "severity from .ddlguard.yaml (error = 1): %r" % g["severity"])
        check(g["source"] == "ddlguard", "source")
        check("SHARE lock" in g["message"], "the lock in the message: %r" % g["message"])
        href = g.get("codeDescription", {}).get("href")
        check(href is None or href.endswith("/require-concurrent-index-creation.md"),
              "codeDescription.href: %r" % href)
    check(not by_code(p["diagnostics"], "require-lock-timeout"),
          ".ddlguard.yaml turns require-lock-timeout off")

    # ---- schema memory: the earlier migration created email as varchar(50), so widening it
    # to varchar(100) changes only the catalog; the same text elsewhere (no history) is flagged
    wuri = uri_of(widen_path)
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": wuri, "languageId": "sql", "version": 1, "text": widen}})
    p = s.diagnostics(wuri)
    check(not by_code(p["diagnostics"], "changing-column-type"),
          "schema memory of the directory: %r" % p["diagnostics"])
    ouri = uri_of(os.path.join(elsewhere, "20240103000000_widen.sql"))
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": ouri, "languageId": "sql", "version": 1, "text": widen}})
    p = s.diagnostics(ouri)
    check(len(by_code(p["diagnostics"], "changing-column-type")) == 1,
          "without earlier migrations the type change is flagged: %r" % p["diagnostics"])

    # ---- a broken .ddlguard.yaml: an error diagnostic naming it, and the file still linted
    broken = os.path.join(tmp, "broken")
    os.makedirs(os.path.join(broken, ".git"))
    with open(os.path.join(broken, ".ddlguard.yaml"), "w") as f:
        f.write("rules:\n  no-such-rule: off\n")
    curi = uri_of(os.path.join(broken, "a.sql"))
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": curi, "languageId": "sql", "version": 1, "text": "DROP TABLE t;\n"}})
    p = s.diagnostics(curi)
    d = by_code(p["diagnostics"], "configuration")
    check(len(d) == 1 and d[0]["severity"] == 1 and d[0]["range"] == rng(0, 0, 0, 0) and
          ".ddlguard.yaml:2:" in d[0]["message"], "the broken configuration: %r" % d)
    check(len(by_code(p["diagnostics"], "ban-drop-table")) == 1, "linted all the same")

    # ---- incremental edits: one more non-BMP character in the comment (+2 units), then a new
    # statement on a line of its own, both in one didChange
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [
            {"range": rng(1, 3, 1, 3), "text": "\U0001F418"},
            {"range": rng(2, 0, 2, 0), "text": "DROP TABLE legacy;\n"},
        ]})
    p = s.diagnostics(uri)
    check(p.get("version") == 2, "version 2")
    d = by_code(p["diagnostics"], "require-concurrent-index-creation")
    check(len(d) == 1 and d[0]["range"] == rng(1, 18, 1, 18 + len(stmt)),
          "shifted by the new character: %r" % d)
    d = by_code(p["diagnostics"], "ban-drop-table")
    check(len(d) == 1 and d[0]["range"] == rng(2, 0, 2, 17), "the new statement: %r" % d)
    # and back, with a range across lines and one inside the surrogate pair's character
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 3},
        "contentChanges": [
            {"range": rng(2, 0, 3, 0), "text": ""},
            {"range": rng(1, 3, 1, 5), "text": ""},
        ]})
    p = s.diagnostics(uri)
    d = by_code(p["diagnostics"], "require-concurrent-index-creation")
    check(len(d) == 1 and d[0]["range"] == rng(1, 16, 1, 16 + len(stmt)),
          "back where it was: %r" % d)
    check(not by_code(p["diagnostics"], "ban-drop-table"), "the statement is gone")

    # ---- hover: the rule's doc on the diagnostic, nothing elsewhere
    r = s.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": {"line": 1, "character": 30}})
    h = r.get("result") or {}
    v = h.get("contents", {}).get("value", "")
    check(h.get("contents", {}).get("kind") == "markdown", "hover is Markdown: %r" % r)
    check("# require-concurrent-index-creation" in v and "## Why" in v,
          "hover holds the rule's doc: %r" % v[:200])
    check("SHARE lock" in v, "hover holds the finding's message")
    check(h.get("range") == rng(1, 16, 1, 16 + len(stmt)), "hover range: %r" % h.get("range"))
    r = s.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": {"line": 0, "character": 1}})
    check("result" in r and r["result"] is None, "no hover off the findings: %r" % r)

    # ---- code actions: the CONCURRENTLY rewrite (dbmate's transaction:false with it), the
    # ignore comments; applied as a client does, the finding goes
    r = s.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": rng(1, 20, 1, 20),
        "context": {"diagnostics": []}})
    acts = r.get("result") or []
    titles = [a["title"] for a in acts]
    rewrite = [a for a in acts if a.get("isPreferred") and "CONCURRENTLY" in a["title"]]
    check(len(rewrite) == 1 and
          rewrite[0]["diagnostics"][0]["code"] == "require-concurrent-index-creation",
          "the CONCURRENTLY quick fix: %r" % titles)
    check(any("for this statement" in t for t in titles), "ignore for this statement: %r" % titles)
    check(any("whole file" in t for t in titles), "ignore for this file: %r" % titles)
    check(all(a["kind"] == "quickfix" for a in acts), "kinds")
    if rewrite:
        dc = rewrite[0]["edit"]["documentChanges"]
        check(len(dc) == 1 and dc[0]["textDocument"] == {"uri": uri, "version": 3},
              "a TextDocumentEdit of version 3: %r" % dc)
        fixed = apply_edits(idx, dc[0]["edits"])
        want = idx.replace("-- migrate:up\n", "-- migrate:up transaction:false\n").replace(
            "CREATE INDEX users", "CREATE INDEX CONCURRENTLY IF NOT EXISTS users")
        check(fixed == want, "the fixed text:\n%s" % fixed)
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                            "contentChanges": [{"text": fixed}]})
        p = s.diagnostics(uri)
        check(not by_code(p["diagnostics"], "require-concurrent-index-creation"),
              "fixed: %r" % p["diagnostics"])
    ign = [a for a in acts if "for this statement" in a["title"]]
    if ign:
        fixed = apply_edits(idx, ign[0]["edit"]["documentChanges"][0]["edits"])
        check("-- ddlguard-ignore require-concurrent-index-creation" in fixed.split("\n")[1],
              "the ignore comment above the statement: %r" % fixed)
    r = s.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": rng(1, 20, 1, 20),
        "context": {"diagnostics": [], "only": ["refactor"]}})
    check(r.get("result") == [], "context.only without quickfix: %r" % r)

    # ---- a statement no fix of its file can take out of the transaction: moved into a new
    # migration right after it (CreateFile, its text, the lines removed here)
    nuri = uri_of(nick_path)
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": nuri, "languageId": "sql", "version": 5, "text": nick}})
    p = s.diagnostics(nuri)
    check(len(by_code(p["diagnostics"], "require-concurrent-index-creation")) == 1,
          "the shared transaction's index: %r" % p["diagnostics"])
    r = s.request("textDocument/codeAction", {
        "textDocument": {"uri": nuri}, "range": rng(2, 3, 2, 3), "context": {"diagnostics": []}})
    acts = r.get("result") or []
    check(not [a for a in acts if a["title"].startswith("Use CREATE INDEX CONCURRENTLY")],
          "no fix of this file alone: %r" % [a["title"] for a in acts])
    move = [a for a in acts if a["title"].startswith("Move it into a new migration")]
    check(len(move) == 1, "the move: %r" % [a["title"] for a in acts])
    if move:
        new_path = os.path.join(mig, "20240105000001_nick_concurrently.sql")
        dc = move[0]["edit"]["documentChanges"]
        check(dc[0] == {"kind": "create", "uri": uri_of(new_path),
                        "options": {"ignoreIfExists": False}}, "CreateFile: %r" % dc[0])
        check(dc[1]["textDocument"]["uri"] == uri_of(new_path) and
              apply_edits("", dc[1]["edits"]) ==
              "-- migrate:up transaction:false\n"
              "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_nick_idx ON users (nick);\n",
              "the new migration: %r" % dc[1])
        check(dc[2]["textDocument"] == {"uri": nuri, "version": 5} and
              apply_edits(nick, dc[2]["edits"]) == nick.replace(
                  "CREATE INDEX users_nick_idx ON users (nick);\n", ""),
              "the statement leaves this one: %r" % dc[2])
    # not for a migration that others follow (the index would then run after them)
    muri = uri_of(os.path.join(mig, "20240104000001_mid.sql"))  # not saved: sorts before nick
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": muri, "languageId": "sql", "version": 1, "text": nick}})
    p = s.diagnostics(muri)
    check(len(by_code(p["diagnostics"], "require-concurrent-index-creation")) == 1,
          "the same index in an older migration")
    r = s.request("textDocument/codeAction", {
        "textDocument": {"uri": muri}, "range": rng(2, 3, 2, 3), "context": {"diagnostics": []}})
    titles = [a["title"] for a in r.get("result") or []]
    check(titles and not [t for t in titles if t.startswith("Move")],
          "no move for a migration others follow: %r" % titles)

    # ---- a document that does not parse: a syntax-error diagnostic, and the server goes on
    buri = uri_of(os.path.join(mig, "20240104000000_broken.sql"))
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": buri, "languageId": "sql", "version": 1,
        "text": "-- migrate:up\nCREATE TABLE (;\n"}})
    p = s.diagnostics(buri)
    d = by_code(p["diagnostics"], "syntax-error")
    check(len(d) == 1 and d[0]["range"]["start"]["line"] == 1, "syntax error: %r" % d)

    # ---- malformed input: each gets an error (or nothing, for a notification), then the
    # server still answers
    s.send_raw(b"Garbage here\r\n\r\n")
    r = s.next_response()
    check(r.get("id") is None and r.get("error", {}).get("code") == -32700,
          "garbage header: %r" % r)
    s.send_raw(b"Content-Length: nope\r\n\r\n")
    r = s.next_response()
    check(r.get("error", {}).get("code") == -32700, "bad Content-Length: %r" % r)
    body = b'{"jsonrpc": "2.0", "id": 77, "method": '
    s.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    r = s.next_response()
    check(r.get("id") is None and r.get("error", {}).get("code") == -32700,
          "invalid JSON: %r" % r)
    body = b'[1, 2]'
    s.send_raw(b"Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; "
               b"charset=utf-8\r\n\r\n" % len(body) + body)
    r = s.next_response()
    check(r.get("error", {}).get("code") == -32600, "not an object: %r" % r)
    r = s.request("no/suchMethod", {})
    check(r.get("error", {}).get("code") == -32601, "unknown method: %r" % r)
    r = s.request("textDocument/hover", None)
    check(r.get("error", {}).get("code") == -32602, "missing params: %r" % r)
    r = s.request("textDocument/hover", {"textDocument": {"uri": uri}})
    check(r.get("error", {}).get("code") == -32602, "missing position: %r" % r)
    r = s.request("textDocument/codeAction", {"textDocument": {"uri": "file:///not/open.sql"},
                                              "range": rng(0, 0, 0, 0)})
    check(r.get("error", {}).get("code") == -32602, "a document not open: %r" % r)
    s.notify("textDocument/didOpen", {})
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 9},
                                        "contentChanges": [{"range": {"start": 1}, "text": "x"}]})
    s.notify("$/cancelRequest", {"id": 1})
    s.notify("no/suchNotification", {})
    r = s.request("textDocument/hover", {"textDocument": {"uri": buri},
                                         "position": {"line": 1, "character": 13}})
    check("result" in r and r["result"] is not None and
          "syntax-error" in r["result"]["contents"]["value"],
          "the server still answers after malformed input: %r" % r)
    p = s.diagnostics(uri)  # the didChange with a bad range re-lints what it could apply
    check(p.get("version") == 9, "version 9: %r" % p.get("version"))

    # ---- didClose clears the document's diagnostics
    s.notify("textDocument/didClose", {"textDocument": {"uri": buri}})
    p = s.diagnostics(buri)
    check(p["diagnostics"] == [], "diagnostics cleared on close")

    # ---- shutdown, then exit: code 0; requests in between are refused
    r = s.request("shutdown", None)
    check("result" in r and r["result"] is None, "shutdown: %r" % r)
    r = s.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": {"line": 1, "character": 30}})
    check(r.get("error", {}).get("code") == -32600, "a request after shutdown: %r" % r)
    s.notify("exit", None)
    rc = s.p.wait(30)
    check(rc == 0, "exit after shutdown: %d" % rc)

    # exit without shutdown: 1; the end of the input without exit: 1
    s = Server(BINARY)
    s.request("initialize", {"capabilities": {}})
    s.notify("exit", None)
    check(s.p.wait(30) == 1, "exit without shutdown")
    s = Server(BINARY)
    check(s.close() == 1, "end of input")

    # the command line: --stdio is accepted, anything else is a usage error (2)
    r = subprocess.run([BINARY, "lsp", "--bogus"], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True)
    check(r.returncode == 2 and "--bogus" in r.stderr, "lsp --bogus: %r" % (r,))
    r = subprocess.run([BINARY, "lsp", "--help"], capture_output=True, text=True)
    check(r.returncode == 0 and r.stdout.startswith("Usage: ddlguard lsp"), "lsp --help")

    # the plain WorkspaceEdit (changes) for a client without documentChanges
    s = Server(BINARY)
    s.request("initialize", {"capabilities": {}})
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "sql", "version": 1, "text": idx}})
    s.diagnostics(uri)
    r = s.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": rng(1, 20, 1, 20), "context": {"diagnostics": []}})
    rewrite = [a for a in r["result"] if a.get("isPreferred") and "CONCURRENTLY" in a["title"]]
    check(len(rewrite) == 1 and list(rewrite[0]["edit"]["changes"]) == [uri],
          "WorkspaceEdit.changes: %r" % rewrite)
    nuri = uri_of(nick_path)
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": nuri, "languageId": "sql", "version": 1, "text": nick}})
    s.diagnostics(nuri)
    r = s.request("textDocument/codeAction", {
        "textDocument": {"uri": nuri}, "range": rng(2, 3, 2, 3), "context": {"diagnostics": []}})
    check(r["result"] and not [a for a in r["result"] if a["title"].startswith("Move")],
          "no CreateFile for a client without resource operations")
    s.request("shutdown", None)
    s.notify("exit", None)
    check(s.p.wait(30) == 0, "second server exits cleanly")
finally:
    shutil.rmtree(tmp)

if failures:
    print("%d check(s) failed" % len(failures), file=sys.stderr)
    sys.exit(1)
print("lsp protocol: all checks passed")
