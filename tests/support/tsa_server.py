"""A local RFC 3161 time-stamping authority for the tests: `openssl ts -reply` behind HTTP.

Usage: python3 tsa_server.py PKI_DIR [TLS_CHAIN.pem TLS_KEY.pem]
With the two TLS files it serves HTTPS (the test makes a server certificate for 127.0.0.1).
Listens on 127.0.0.1 on a free port, prints "PORT <n>" on stdout, answers POSTed
application/timestamp-query bodies with application/timestamp-reply, and exits when stdin
closes (the test that started it ends) or after 10 minutes at most.
"""
import http.server
import os
import subprocess
import sys
import tempfile
import threading

PKI = sys.argv[1]
WORK = tempfile.mkdtemp(prefix="motcua-tsa-")
CONFIG = os.path.join(WORK, "tsa.cnf")
with open(os.path.join(WORK, "serial"), "w") as handle:
    handle.write("01\n")
with open(CONFIG, "w") as handle:
    handle.write(f"""
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {WORK}/serial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
""")
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with LOCK:
            query = os.path.join(WORK, "query.tsq")
            reply = os.path.join(WORK, "reply.tsr")
            with open(query, "wb") as handle:
                handle.write(body)
            result = subprocess.run(
                ["openssl", "ts", "-reply", "-config", CONFIG, "-queryfile", query,
                 "-inkey", os.path.join(PKI, "tsa.key.pem"), "-signer", os.path.join(PKI, "tsa.cert.pem"),
                 "-chain", os.path.join(PKI, "inter.cert.pem"), "-out", reply],
                capture_output=True)
            if result.returncode != 0:
                self.send_error(500, result.stderr.decode(errors="replace")[:200])
                return
            with open(reply, "rb") as handle:
                data = handle.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) == 4:
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[2], sys.argv[3])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print(f"PORT {server.server_address[1]}", flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
watchdog = threading.Timer(600, lambda: os._exit(0))
watchdog.daemon = True
watchdog.start()
sys.stdin.read()  # returns when the parent closes our stdin or exits
server.shutdown()
