"""rpc.py — a minimal JSON-RPC client of `ddlguard lsp` for the tests: framed messages over the
server's stdin/stdout, reads with a deadline, notifications kept apart from responses."""
import json
import os
import select
import subprocess
import time


class Server:
    def __init__(self, binary, cwd=None):
        self.p = subprocess.Popen([binary, "lsp", "--stdio"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, cwd=cwd)
        self.buf = b""
        self.next_id = 1
        self.notes = []

    def send_raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=30):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.response(rid, timeout)

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no message from the server in time")
        r, _, _ = select.select([self.p.stdout], [], [], left)
        if not r:
            raise TimeoutError("no message from the server in time")
        chunk = os.read(self.p.stdout.fileno(), 65536)
        if not chunk:
            raise EOFError("the server closed its output")
        self.buf += chunk

    def read(self, timeout=30):
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        length = None
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        assert length is not None, head
        while len(rest) < length:
            self.buf = head + b"\r\n\r\n" + rest
            self._fill(deadline)
            head, rest = self.buf.split(b"\r\n\r\n", 1)
        self.buf = rest[length:]
        msg = json.loads(rest[:length])
        assert msg.get("jsonrpc") == "2.0", msg
        return msg

    def response(self, rid, timeout=30):
        while True:
            m = self.read(timeout)
            if "method" in m:
                self.notes.append(m)
            elif m.get("id") == rid:
                return m
            else:
                raise AssertionError("unexpected response %r (waiting for id %r)" % (m, rid))

    def next_response(self, timeout=30):
        """The next response (to a request whose id we cannot know, e.g. id null)."""
        while True:
            m = self.read(timeout)
            if "method" in m:
                self.notes.append(m)
            else:
                return m

    def diagnostics(self, uri, timeout=30):
        """The next publishDiagnostics for uri (notifications already read first)."""
        deadline = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self.notes):
                if m["method"] == "textDocument/publishDiagnostics" and \
                        m["params"]["uri"] == uri:
                    del self.notes[i]
                    return m["params"]
            m = self.read(max(0.01, deadline - time.monotonic()))
            if "method" not in m:
                raise AssertionError("unexpected response %r" % m)
            self.notes.append(m)

    def close(self, timeout=30):
        self.p.stdin.close()
        return self.p.wait(timeout)
