#!/usr/bin/env python3
"""Take screenshots of a running Odoo web client, for the README and the docs.

Drives Debian's headless Chromium through the Chrome DevTools Protocol.
Only the standard library and ``websocket-client`` are needed.

Single shot::

    python scripts/screenshot.py --url http://127.0.0.1:8069 --db mqc_dev \\
        --login manager --password manager \\
        --path "/odoo/action-mrp_quality_control.mqc_control_plan_action" \\
        --wait-selector ".o_list_view" --out docs/img/plans.png

Batch (one browser, one Odoo login per distinct login)::

    python scripts/screenshot.py --url http://127.0.0.1:8069 --db mqc_dev \\
        --login manager --password manager --batch docs/img/shots.json

The batch file is either a list of shots or an object
``{"defaults": {...}, "shots": [...]}``.  Each shot is an object whose keys
are the long option names (``-`` or ``_`` both accepted)::

    [
      {"out": "docs/img/plans.png",
       "path": "/odoo/action-mrp_quality_control.mqc_control_plan_action",
       "wait_selector": ".o_list_view"},
      {"out": "docs/img/plan_form.png", "path": "/odoo/action-...",
       "click": [".o_data_row:first-child .o_data_cell"],
       "wait_selector": ".o_list_view", "full_page": true,
       "login": "admin", "password": "admin"}
    ]

Values missing from a shot come from ``defaults``, then from the command line.
Relative ``out`` paths are relative to the current directory.  A failing shot
does not stop the batch; the exit status is 1 if any shot failed.

Note that Odoo renders in the language of the logged-in user; ``--lang`` only
sets the browser's language (number/date formatting of the browser itself).
"""

import argparse
import base64
import collections
import contextlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

try:
    import websocket  # websocket-client
except ImportError:  # pragma: no cover - depends on the environment
    sys.exit("screenshot.py needs the 'websocket-client' package "
             "(pip install websocket-client)")


DEFAULT_CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# Keys a shot may carry (batch file) and their defaults.
SHOT_DEFAULTS = {
    "url": "http://127.0.0.1:8069",
    "db": None,
    "login": None,
    "password": None,
    "out": None,
    "path": "/odoo",
    "width": 1440,
    "height": 900,
    "scale": 1.0,
    "wait_selector": None,
    "click": [],
    "full_page": False,
    "lang": "en-US",
    "timeout": 30.0,
    "settle": 1.0,
}

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class ShotError(Exception):
    """A failure that is reported to the user as a single clear message."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# HTTP helpers
# --------------------------------------------------------------------------

def _opener(url):
    """urllib opener; never sends loopback traffic through an HTTP proxy."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host in LOOPBACK:
        return urllib.request.build_opener(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener()


def http_json(url, data=None, timeout=10.0, method=None):
    body = None
    headers = {}
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    with _opener(url).open(req, timeout=timeout) as resp:
        return json.loads(resp.read().decode() or "null"), resp.headers


def odoo_authenticate(base_url, db, login, password, timeout=30.0):
    """Log in through JSON-RPC and return the ``session_id`` cookie value."""
    endpoint = base_url.rstrip("/") + "/web/session/authenticate"
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {"db": db, "login": login, "password": password},
    }
    try:
        result, headers = http_json(endpoint, payload, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise ShotError(
            f"Odoo at {base_url} answered HTTP {exc.code} {exc.reason} on "
            f"/web/session/authenticate (wrong URL, or database {db!r} "
            f"filtered out by --db-filter?)") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ShotError(
            f"Odoo not reachable at {base_url}: {reason}. "
            f"Is the server running?") from None
    except ValueError:
        raise ShotError(
            f"{endpoint} did not answer JSON; is {base_url} an Odoo "
            f"server?") from None

    if not isinstance(result, dict):
        raise ShotError(f"Unexpected answer from {endpoint}: {result!r}")
    if result.get("error"):
        err = result["error"]
        data = err.get("data") or {}
        msg = data.get("message") or err.get("message") or str(err)
        raise ShotError(
            f"Login failed for {login!r} on database {db!r}: {msg}")
    info = result.get("result") or {}
    if not info.get("uid"):
        raise ShotError(
            f"Login failed for {login!r} on database {db!r}: Odoo returned "
            f"no user id (wrong password, or two-factor authentication?)")

    cookie = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    if "session_id" not in cookie:
        raise ShotError(
            f"Odoo accepted the login of {login!r} but set no session_id "
            f"cookie")
    return cookie["session_id"].value


# --------------------------------------------------------------------------
# Chromium + DevTools protocol
# --------------------------------------------------------------------------

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CDPError(ShotError):
    pass


class CDP:
    """Minimal synchronous DevTools client over one page websocket."""

    # Requests that stay open by design and must not block "network idle".
    LONG_LIVED = ("/websocket", "/longpolling", "/bus/")

    def __init__(self, ws_url, timeout=60.0):
        self.timeout = timeout
        self.ws = websocket.create_connection(
            ws_url, timeout=timeout, suppress_origin=True,
            http_proxy_host=None)
        self._id = 0
        self.inflight = {}
        self.exceptions = collections.deque(maxlen=5)

    def close(self):
        with contextlib.suppress(websocket.WebSocketException, OSError):
            self.ws.close()

    def _event(self, msg):
        method = msg.get("method")
        params = msg.get("params") or {}
        if method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if url.startswith(("http:", "https:")) and not any(
                    part in url for part in self.LONG_LIVED):
                self.inflight[params["requestId"]] = (url, time.monotonic())
        elif method in ("Network.loadingFinished", "Network.loadingFailed"):
            self.inflight.pop(params.get("requestId"), None)
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails") or {}
            exc = details.get("exception") or {}
            self.exceptions.append(
                exc.get("description") or details.get("text") or "?")

    def call(self, method, timeout=None, **params):
        self._id += 1
        msg_id = self._id
        self.ws.send(json.dumps(
            {"id": msg_id, "method": method, "params": params}))
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CDPError(f"Chromium did not answer {method} in time")
            self.ws.settimeout(remaining)
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except (websocket.WebSocketException, OSError) as exc:
                raise CDPError(
                    f"Lost the connection to Chromium during {method}: "
                    f"{exc}") from None
            msg = json.loads(raw)
            if msg.get("id") == msg_id:
                if "error" in msg:
                    err = msg["error"]
                    raise CDPError(
                        f"{method} failed: {err.get('message')} "
                        f"{err.get('data', '')}".strip())
                return msg.get("result", {})
            if "method" in msg:
                self._event(msg)

    def evaluate(self, expression):
        res = self.call("Runtime.evaluate", expression=expression,
                        returnByValue=True, awaitPromise=True)
        if res.get("exceptionDetails"):
            details = res["exceptionDetails"]
            desc = (details.get("exception") or {}).get("description")
            raise CDPError(f"JavaScript error: {desc or details.get('text')}")
        return res.get("result", {}).get("value")

    def busy_requests(self, stale_after=15.0):
        now = time.monotonic()
        return [url for url, start in self.inflight.values()
                if now - start < stale_after]


class Browser:
    """A headless Chromium process with a private profile; always cleaned up."""

    def __init__(self, chromium, width, height, lang, verbose=False):
        self.chromium = chromium
        self.width = width
        self.height = height
        self.lang = lang
        self.verbose = verbose
        self.proc = None
        self.tmpdir = None
        self.cdp = None

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        if not (os.path.isfile(self.chromium)
                and os.access(self.chromium, os.X_OK)):
            raise ShotError(f"Chromium not found at {self.chromium} "
                            f"(use --chromium or $CHROMIUM)")
        self.tmpdir = tempfile.mkdtemp(prefix="odoo-screenshot-")
        port = free_port()
        args = [
            self.chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={os.path.join(self.tmpdir, 'profile')}",
            f"--window-size={self.width},{self.height}",
            f"--lang={self.lang}",
            "about:blank",
        ]
        self.stderr_path = os.path.join(self.tmpdir, "chromium.log")
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=err, start_new_session=True,
                env=dict(os.environ, LANGUAGE=self.lang.replace("-", "_")))
        if self.verbose:
            log(f"chromium pid {self.proc.pid}, devtools port {port}")

        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        targets = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ShotError(
                    f"Chromium exited with status {self.proc.returncode} at "
                    f"start-up:\n{self._stderr_tail()}")
            try:
                targets, _ = http_json(base + "/json/list", timeout=2)
                break
            except (urllib.error.URLError, OSError, ValueError):
                time.sleep(0.2)
        if targets is None:
            raise ShotError(
                f"Chromium's DevTools endpoint did not come up on port "
                f"{port}:\n{self._stderr_tail()}")
        pages = [t for t in targets if t.get("type") == "page"
                 and t.get("webSocketDebuggerUrl")]
        if pages:
            page = pages[0]
        else:
            page, _ = http_json(base + "/json/new?about:blank", method="PUT",
                                timeout=10)
        self.cdp = CDP(page["webSocketDebuggerUrl"])
        self.cdp.call("Page.enable")
        self.cdp.call("Runtime.enable")
        self.cdp.call("Network.enable")

    def _stderr_tail(self, lines=15):
        try:
            with open(self.stderr_path, errors="replace") as fh:
                return "".join(fh.readlines()[-lines:]).rstrip()
        except OSError:
            return "(no output)"

    def stop(self):
        if self.cdp is not None:
            self.cdp.close()
            self.cdp = None
        if self.proc is not None:
            if self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            # Renderer/zygote children share the process group.
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            self.proc = None
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None


# --------------------------------------------------------------------------
# Page logic
# --------------------------------------------------------------------------

JS_IDLE = r"""
(() => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight ||
                             el.getClientRects().length);
  const busy = [...document.querySelectorAll('.o_loading_indicator, .o_blockUI')]
                 .some(visible);
  const images = [...document.images].every((img) => img.complete);
  const fonts = !document.fonts || document.fonts.status === 'loaded';
  return document.readyState === 'complete' && !busy && images && fonts;
})()
"""

JS_STATE = r"""
(() => {
  const dlg = document.querySelector('.o_error_dialog, .o_dialog_error');
  return {
    title: document.title,
    url: location.href,
    login: location.pathname.startsWith('/web/login') ||
           !!document.querySelector('form.oe_login_form'),
    error: dlg ? dlg.innerText.trim().replace(/\s+/g, ' ').slice(0, 400) : null,
  };
})()
"""

JS_OVERFLOW = r"""
(() => {
  let extra = 0;
  for (const el of document.querySelectorAll('body *')) {
    const oy = getComputedStyle(el).overflowY;
    if (oy !== 'auto' && oy !== 'scroll') continue;
    extra = Math.max(extra, el.scrollHeight - el.clientHeight);
  }
  return extra;
})()
"""


def js_str(value):
    return json.dumps(value)


def page_state(cdp):
    try:
        return cdp.evaluate(JS_STATE) or {}
    except ShotError:
        return {}


def describe_page(cdp):
    state = page_state(cdp)
    text = (f"page title {state.get('title', '?')!r}, "
            f"URL {state.get('url', '?')}")
    if state.get("login"):
        text += " (this is Odoo's login page: the session was not accepted)"
    if state.get("error"):
        text += f"\nOdoo error dialog: {state['error']}"
    if cdp.exceptions:
        text += "\nJavaScript exceptions:\n  " + "\n  ".join(
            e.splitlines()[0] for e in cdp.exceptions)
    return text


def wait_until(check, timeout, interval=0.25):
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def wait_selector(cdp, selector, timeout):
    expr = f"!!document.querySelector({js_str(selector)})"
    if not wait_until(lambda: cdp.evaluate(expr), timeout):
        raise ShotError(
            f"Selector {selector!r} did not appear within {timeout:g} s; "
            f"{describe_page(cdp)}")


def wait_idle(cdp, timeout, settle, verbose=False):
    """Wait until Odoo shows no loading indicator and the network is quiet."""
    streak = [0]

    def idle():
        quiet = cdp.evaluate(JS_IDLE) and not cdp.busy_requests()
        streak[0] = streak[0] + 1 if quiet else 0
        return streak[0] >= 3

    if not wait_until(idle, timeout):
        log(f"warning: Odoo still busy after {timeout:g} s "
            f"({len(cdp.busy_requests())} request(s) pending); "
            f"capturing anyway")
    elif verbose:
        log("page idle")
    time.sleep(settle)


def click(cdp, selector, timeout):
    wait_selector(cdp, selector, timeout)
    rect = cdp.evaluate(f"""
(() => {{
  const el = document.querySelector({js_str(selector)});
  el.scrollIntoView({{block: 'nearest', inline: 'nearest'}});
  const r = el.getBoundingClientRect();
  return {{x: r.left + r.width / 2, y: r.top + r.height / 2,
           w: r.width, h: r.height}};
}})()""")
    if rect and rect["w"] > 0 and rect["h"] > 0:
        x, y = rect["x"], rect["y"]
        cdp.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for kind in ("mousePressed", "mouseReleased"):
            cdp.call("Input.dispatchMouseEvent", type=kind, x=x, y=y,
                     button="left", buttons=1, clickCount=1)
    else:  # invisible element: fall back to a synthetic click
        cdp.evaluate(f"document.querySelector({js_str(selector)}).click()")


def capture(cdp, shot):
    width, height, scale = shot["width"], shot["height"], shot["scale"]
    params = {"format": "png", "fromSurface": True}
    if shot["full_page"]:
        # Odoo scrolls inside .o_content rather than the document, so grow
        # the viewport until no inner scroller overflows any more.
        full_height = height
        for _ in range(6):
            extra = int(cdp.evaluate(JS_OVERFLOW) or 0)
            if extra <= 1 or full_height >= 16000:
                break
            full_height = min(full_height + extra, 16000)
            cdp.call("Emulation.setDeviceMetricsOverride", width=width,
                     height=full_height, deviceScaleFactor=scale,
                     mobile=False)
            wait_idle(cdp, shot["timeout"], 0.3)
        metrics = cdp.call("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics.get("contentSize")
        params["captureBeyondViewport"] = True
        params["clip"] = {
            "x": 0, "y": 0,
            "width": max(width, int(size["width"] + 0.5)),
            "height": max(full_height, int(size["height"] + 0.5)),
            "scale": 1,
        }
    data = cdp.call("Page.captureScreenshot", timeout=120, **params)["data"]
    if shot["full_page"]:
        cdp.call("Emulation.setDeviceMetricsOverride", width=width,
                 height=height, deviceScaleFactor=scale, mobile=False)
    return base64.b64decode(data)


def take_shot(browser, shot, session_id, verbose=False):
    cdp = browser.cdp
    base = shot["url"].rstrip("/")
    path = shot["path"]
    target = path if path.startswith(("http://", "https://")) \
        else base + "/" + path.lstrip("/")
    host = urllib.parse.urlsplit(base).hostname

    cdp.exceptions.clear()
    cdp.call("Emulation.setDeviceMetricsOverride", width=shot["width"],
             height=shot["height"], deviceScaleFactor=shot["scale"],
             mobile=False)
    res = cdp.call("Network.setCookie", name="session_id", value=session_id,
                   domain=host, path="/", httpOnly=True)
    if res.get("success") is False:
        raise ShotError(f"Chromium refused the session cookie for {host}")

    if verbose:
        log(f"navigating to {target}")
    res = cdp.call("Page.navigate", url=target)
    if res.get("errorText"):
        raise ShotError(f"Could not load {target}: {res['errorText']}")
    loaded = wait_until(
        lambda: cdp.evaluate("document.readyState") == "complete"
        and cdp.evaluate("location.href") != "about:blank",
        shot["timeout"])
    if not loaded:
        raise ShotError(f"{target} did not finish loading within "
                        f"{shot['timeout']:g} s; {describe_page(cdp)}")
    if page_state(cdp).get("login") and "/web/login" not in path:
        raise ShotError(f"Odoo redirected to the login page; "
                        f"{describe_page(cdp)}")

    if shot["wait_selector"]:
        wait_selector(cdp, shot["wait_selector"], shot["timeout"])
    wait_idle(cdp, shot["timeout"], shot["settle"], verbose)
    for selector in shot["click"]:
        if verbose:
            log(f"clicking {selector}")
        click(cdp, selector, shot["timeout"])
        wait_idle(cdp, shot["timeout"], shot["settle"], verbose)

    state = page_state(cdp)
    if state.get("error"):
        raise ShotError(f"Odoo displayed an error; {describe_page(cdp)}")

    png = capture(cdp, shot)
    out = shot["out"]
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "wb") as fh:
        fh.write(png)
    w, h = struct.unpack(">II", png[16:24])
    print(f"{out}: {w}x{h} px, {len(png) // 1024} KiB "
          f"({state.get('title', '')!r})", flush=True)


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def normalise_shot(raw, defaults, where, require=True):
    if not isinstance(raw, dict):
        raise ShotError(f"{where}: a shot must be a JSON object")
    shot = dict(defaults)
    for key, value in raw.items():
        norm = key.replace("-", "_")
        if norm not in SHOT_DEFAULTS:
            raise ShotError(
                f"{where}: unknown key {key!r} (allowed: "
                f"{', '.join(sorted(SHOT_DEFAULTS))})")
        shot[norm] = value
    if isinstance(shot["click"], str):
        shot["click"] = [shot["click"]]
    shot["click"] = list(shot["click"] or [])
    for key in ("width", "height"):
        shot[key] = int(shot[key])
    for key in ("scale", "timeout", "settle"):
        shot[key] = float(shot[key])
    shot["full_page"] = bool(shot["full_page"])
    missing = [k for k in ("db", "login", "password", "out") if not shot[k]]
    if missing and require:
        raise ShotError(
            f"{where}: missing {', '.join('--' + k for k in missing)}")
    return shot


def load_batch(path, defaults):
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise ShotError(f"Cannot read batch file {path}: {exc}") from None
    except ValueError as exc:
        raise ShotError(f"Batch file {path} is not valid JSON: {exc}") \
            from None
    if isinstance(data, dict):
        file_defaults = data.get("defaults") or {}
        shots = data.get("shots")
        defaults = normalise_shot(
            file_defaults, defaults, f"{path}: defaults", require=False)
    else:
        shots = data
    if not isinstance(shots, list) or not shots:
        raise ShotError(f"Batch file {path} holds no list of shots")
    return [normalise_shot(s, defaults, f"{path}: shot {i + 1}")
            for i, s in enumerate(shots)]


def build_parser():
    p = argparse.ArgumentParser(
        description="Screenshot a running Odoo web client with headless "
                    "Chromium.",
        epilog="Batch file format: see the docstring at the top of "
               "scripts/screenshot.py.")
    p.add_argument("--url", default=SHOT_DEFAULTS["url"],
                   help="Odoo base URL (default %(default)s)")
    p.add_argument("--db", help="database name")
    p.add_argument("--login", help="Odoo user login")
    p.add_argument("--password", help="Odoo user password")
    p.add_argument("--out", help="PNG file to write (single-shot mode)")
    p.add_argument("--path", default=SHOT_DEFAULTS["path"],
                   help="path (or full URL) to open (default %(default)s)")
    p.add_argument("--width", type=int, default=SHOT_DEFAULTS["width"])
    p.add_argument("--height", type=int, default=SHOT_DEFAULTS["height"])
    p.add_argument("--scale", type=float, default=SHOT_DEFAULTS["scale"],
                   help="device scale factor, 2 for sharp README images "
                        "(default %(default)s)")
    p.add_argument("--wait-selector",
                   help="CSS selector that must exist before the shot")
    p.add_argument("--click", action="append", default=[],
                   metavar="SELECTOR",
                   help="click this element before the shot (repeatable, "
                        "clicked in order)")
    p.add_argument("--full-page", action="store_true",
                   help="capture the whole scrollable content")
    p.add_argument("--lang", default=SHOT_DEFAULTS["lang"],
                   help="browser language (default %(default)s)")
    p.add_argument("--timeout", type=float, default=SHOT_DEFAULTS["timeout"],
                   help="seconds to wait for load/selectors "
                        "(default %(default)s)")
    p.add_argument("--settle", type=float, default=SHOT_DEFAULTS["settle"],
                   help="extra seconds after Odoo is idle "
                        "(default %(default)s)")
    p.add_argument("--batch", metavar="FILE.json",
                   help="take every shot listed in this JSON file")
    p.add_argument("--chromium", default=DEFAULT_CHROMIUM,
                   help="Chromium binary (default %(default)s)")
    p.add_argument("-v", "--verbose", action="store_true")
    return p


def _terminate(signum, _frame):
    raise SystemExit(128 + signum)


def run(shots, chromium, verbose):
    sessions = {}
    failures = 0
    browser = None
    try:
        for index, shot in enumerate(shots, 1):
            label = shot["out"] if len(shots) == 1 \
                else f"[{index}/{len(shots)}] {shot['out']}"
            try:
                # Log in first: no browser is started for an unreachable Odoo
                # or a wrong password.
                key = (shot["url"].rstrip("/"), shot["db"], shot["login"])
                if key not in sessions:
                    sessions[key] = odoo_authenticate(
                        shot["url"], shot["db"], shot["login"],
                        shot["password"], shot["timeout"])
                if browser is None or browser.lang != shot["lang"]:
                    if browser is not None:
                        browser.stop()
                    browser = Browser(chromium, shot["width"],
                                      shot["height"], shot["lang"], verbose)
                    browser.__enter__()
                take_shot(browser, shot, sessions[key], verbose)
            except ShotError as exc:
                failures += 1
                log(f"error: {label}: {exc}")
                if browser is not None and (
                        browser.proc is None or browser.proc.poll() is not None):
                    browser.stop()
                    browser = None
    finally:
        if browser is not None:
            browser.stop()
    return failures


def main(argv=None):
    args = build_parser().parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _terminate)

    cli = {key: getattr(args, key) for key in SHOT_DEFAULTS}
    try:
        if args.batch:
            if args.out:
                raise ShotError("--out and --batch are exclusive")
            cli["out"] = None
            shots = load_batch(args.batch, cli)
        else:
            if not args.out:
                raise ShotError("--out is required (or use --batch)")
            shots = [normalise_shot({}, cli, "command line")]
    except ShotError as exc:
        log(f"error: {exc}")
        return 2
    try:
        failures = run(shots, args.chromium, args.verbose)
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    if failures and len(shots) > 1:
        log(f"{failures} of {len(shots)} shot(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
