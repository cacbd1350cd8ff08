"""The static server (nginx from Debian, 127.0.0.1 only) and the load generator (wrk).

nginx runs in the foreground of a child process with its whole configuration, pid file,
logs and temp paths in a temporary directory; nothing of the system's nginx set-up is
used or changed.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ text/html html; text/plain txt; application/json json; }}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        charset utf-8;
        index index.html;
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Nginx:
    """``with Nginx(site_dir, tmp_dir) as server: server.base_url``"""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root, self.tmp = root.resolve(), tmp
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Nginx:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise SystemExit("nginx is not installed: `make bench-throughput` installs it (Debian nginx-light)")
        self.tmp.mkdir(parents=True, exist_ok=True)
        conf = self.tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=self.tmp, port=self.port, root=self.root), encoding="utf-8")
        self.process = subprocess.Popen([binary, "-c", str(conf), "-p", str(self.tmp)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    error = (self.tmp / "error.log").read_text(errors="replace") if (self.tmp / "error.log").exists() else ""
                    raise SystemExit(f"nginx did not start: {error[-500:]}") from None
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


WRK_SCRIPT = """\
local paths = {{}}
for line in io.lines("{paths}") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def load_test(base_url: str, paths: list[str], tmp: Path, *, seconds: int = 10, connections: int = 32) -> float:
    """Requests per second the server sustains over the article pages (wrk, one thread)."""
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk is not installed: `make bench-throughput` installs it (Debian wrk)")
    path_file, script = tmp / "paths.txt", tmp / "paths.lua"
    path_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
    script.write_text(WRK_SCRIPT.format(paths=path_file), encoding="utf-8")
    result = subprocess.run([binary, "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), base_url],
                            capture_output=True, text=True, check=True)
    found = re.search(r"Requests/sec:\s*([\d.]+)", result.stdout)
    if not found:
        raise RuntimeError(f"unexpected wrk output: {result.stdout}")
    return float(found.group(1))
