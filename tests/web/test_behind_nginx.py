"""Through a real TLS-terminating reverse proxy (Debian's nginx) started by the test.

nginx listens with TLS on 127.0.0.1 and forwards to `omov serve` from
127.0.0.3, the only address in OMOV_TRUSTED_PROXIES. Clients connect from
other loopback addresses (127.0.0.4, 127.0.0.5), so the server can tell them
apart only by the header nginx adds; a client that skips the proxy and
connects from 127.0.0.2 with forged headers is not believed.
"""

from __future__ import annotations

import http.client
import re
import shutil
import sqlite3
import ssl
import subprocess
from collections.abc import Iterator

import pytest

from .live_serve import LiveServer, free_port, omov_serve, wait_for_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("nginx") is None or shutil.which("openssl") is None,
                       reason="needs nginx and openssl (apt-get install nginx)"),
]

PROXY = "127.0.0.3"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

NGINX_CONF = """
daemon off;
master_process off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{}}
http {{
  access_log off;
  client_body_temp_path {work}/body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {work}/proxy.crt;
    ssl_certificate_key {work}/proxy.key;
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_bind {proxy};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, int]]:
    tmp_path = tmp_path_factory.mktemp("proxy")
    with omov_serve(tmp_path, "--no-schedule", "--workers", "1",
                    OMOV_TRUSTED_PROXIES=PROXY, OMOV_SSL_REDIRECT="1",
                    OMOV_HSTS_SECONDS="3600") as server:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-keyout", str(tmp_path / "proxy.key"),
                        "-out", str(tmp_path / "proxy.crt")],
                       check=True, capture_output=True)
        port = free_port()
        conf = tmp_path / "nginx.conf"
        conf.write_text(NGINX_CONF.format(work=tmp_path, port=port, upstream=server.port,
                                          proxy=PROXY))
        log = tmp_path / "nginx-error.log"
        log.touch()
        nginx = subprocess.Popen(["nginx", "-e", str(log), "-c", str(conf), "-p", str(tmp_path)])
        try:
            wait_for_port(port, nginx, log)
            yield server, port
        finally:
            nginx.terminate()
            nginx.wait(timeout=30)


def through_proxy(port: int, source: str) -> http.client.HTTPSConnection:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30,
                                       source_address=(source, 0))


def ask_for_link(port: int, source: str, email: str) -> int:
    """The sign-in form as a browser fills it in, from `source`, through the proxy."""
    conn = through_proxy(port, source)
    conn.request("GET", "/sign-in/")
    page = conn.getresponse()
    body = page.read().decode()
    assert page.status == 200, body
    cookie = next(value.split(";")[0] for name, value in page.getheaders()
                  if name.lower() == "set-cookie" and value.startswith("csrftoken="))
    token = TOKEN.search(body)
    assert token is not None
    form = f"csrfmiddlewaretoken={token.group(1)}&email={email}"
    conn.request("POST", "/sign-in/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
        "Origin": f"https://127.0.0.1:{port}",
        "X-Forwarded-For": "6.6.6.6",  # the client's own claim: nginx appends the truth
    })
    answer = conn.getresponse()
    answer.read()
    conn.close()
    return answer.status


def test_https_through_the_proxy_is_served_with_hsts(site: tuple[LiveServer, int]) -> None:
    _, port = site
    conn = through_proxy(port, "127.0.0.4")
    conn.request("GET", "/")
    response = conn.getresponse()
    response.read()
    assert response.status == 200, "no redirect loop: the server knows the client used HTTPS"
    assert response.getheader("Strict-Transport-Security") == "max-age=3600"
    cookie = response.getheader("Set-Cookie") or ""
    assert "Secure" in cookie or cookie == ""


def test_a_client_skipping_the_proxy_cannot_claim_https(site: tuple[LiveServer, int]) -> None:
    server, _ = site
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30,
                                      source_address=("127.0.0.2", 0))
    conn.request("GET", "/", headers={"X-Forwarded-Proto": "https",
                                      "X-Forwarded-For": "198.51.100.1"})
    response = conn.getresponse()
    response.read()
    assert response.status == 301
    assert (response.getheader("Location") or "").startswith("https://")
    assert response.getheader("Strict-Transport-Security") is None


def test_the_sign_in_limit_sees_each_client_not_the_proxy(site: tuple[LiveServer, int]) -> None:
    server, port = site
    assert ask_for_link(port, "127.0.0.4", "nobody@example.org") == 302
    assert ask_for_link(port, "127.0.0.5", "nobody@example.org") == 302
    with sqlite3.connect(server.database) as db:
        seen = [row[0] for row in db.execute(
            "SELECT ip_address FROM accounts_signinattempt ORDER BY id")]
    assert seen == ["127.0.0.4", "127.0.0.5"]
