#!/usr/bin/env python3
"""Load and faults over real HTTP: simulated operators drive the tablet's JSON-RPC calls.

Copies a database where mrp_quality_control is installed with its demo data
(``--source-db``), prepares it in ``odoo-bin shell`` (operator users, confirmed
shaft orders with their first piece approved: load_setup.py), starts Odoo in
multi-process mode on 127.0.0.1 (``--workers``, one cron worker), then for
``--seconds`` seconds:

* ``--operators`` operators, each with its own login and session, do what the
  tablet does through its door (``mqc.tablet``): open the work order (``open``)
  unless the last answer carried its data, record a value (``record`` with a
  client_uid, whose answer carries the work order's fresh data when the tablet
  cannot update itself from it; resent with the same client_uid after a network
  failure, as the offline queue does), answer an open drift (``answer_drift``),
  report pieces (``set_pieces_done``) when no check is left;
* operators 0 and 1 share a work order and record the same check at the same
  moment (a barrier releases both requests together): one is saved, the other
  answered "conflict";
* the technician freezes control limits (``mqc.spc.limit.mqc_freeze``) and the
  manager makes, submits and approves a new revision of the orders' plan.

Then a fault: one ``mqc.tablet.record_batch`` (the offline queue flushed in one
call) of ``--batch`` entries whose worker is
killed (SIGKILL) while it is processing it; the database must hold none or all
of it, and the same batch resent (same client_uids) must leave every entry
exactly once.

The server is stopped and the copy dropped at the end, whatever happens. The
database is then reconciled with what the clients were told (psycopg2). The
last lines are ``lost N``, ``duplicated N``, ``half-saved N``, ``errors shown N``;
the exit status is 1 when any of them (or another check printed before) is not 0.

    ~/.venvs/mqc/bin/python benchmarks/bench_load.py --source-db mqc_demo \\
        --addons-path /opt/odoo18/addons,/path/to/addons --db_user odoo
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psutil
import psycopg2
import requests

HERE = Path(__file__).resolve().parent
SAVED = ("ok", "warning", "nok")
SERIALIZATION = ("serializ", "could not serialize", "concurrent update")
REQUEST_TIMEOUT = 30  # s: a request not answered by then is resent
MAX_SENDS = 6  # sends of one entry (the first and five resends)
LAST_VALUES = 20  # values of a run chart kept by the tablet (the server's LAST_VALUES)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--source-db", required=True, help="installed with the demo data")
    parser.add_argument("--odoo", default=os.environ.get("ODOO_HOME", "/opt/odoo18"))
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--data-dir", default=None, help="Odoo's data dir (filestore)")
    parser.add_argument("--db_host", default="127.0.0.1")
    parser.add_argument("--db_port", default="5432")
    parser.add_argument("--db_user", default="odoo")
    parser.add_argument("--db_password", default=None)
    parser.add_argument("--operators", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean pause of an operator between two calls (s)"
    )
    parser.add_argument(
        "--orders", type=int, default=None, help="default: one per operator, one for the pair"
    )
    parser.add_argument("--qty", type=int, default=200, help="pieces of each order")
    parser.add_argument("--pieces", type=int, default=40, help="pieces reported at the start")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=200, help="entries of the killed batch")
    parser.add_argument("--no-kill", action="store_true", help="skip the killed batch")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the copy")
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args()
    if args.orders is None:
        args.orders = args.operators - 1
    if args.operators < 2:
        parser.error("--operators: at least 2 (two of them share a check)")
    return args


def say(text):
    print(text, flush=True)


# ----------------------------------------------------------------------
# Database copy, setup, server
# ----------------------------------------------------------------------
class Pg:
    def __init__(self, args, dbname="postgres"):
        self.kw = {"host": args.db_host, "port": args.db_port, "user": args.db_user}
        if args.db_password:
            self.kw["password"] = args.db_password
        self.dbname = dbname

    def connect(self, dbname=None):
        conn = psycopg2.connect(dbname=dbname or self.dbname, **self.kw)
        conn.autocommit = True
        return conn

    def run(self, sql, params=None, dbname=None):
        with contextlib.closing(self.connect(dbname)) as conn, conn.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall() if cr.description else None


def copy_database(args, db):
    pg = Pg(args)
    deadline = time.monotonic() + 60
    while True:  # the source may still be held a moment by a server that just stopped
        try:
            pg.run(f'CREATE DATABASE "{db}" TEMPLATE "{args.source_db}"')
            break
        except psycopg2.errors.ObjectInUse:
            if time.monotonic() > deadline:
                raise
            time.sleep(2)
    if args.data_dir:
        source = Path(args.data_dir, "filestore", args.source_db)
        if source.is_dir():
            shutil.copytree(source, Path(args.data_dir, "filestore", db), dirs_exist_ok=True)


def drop_database(args, db):
    pg = Pg(args)
    pg.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [db])
    pg.run(f'DROP DATABASE IF EXISTS "{db}"')
    if args.data_dir:
        shutil.rmtree(Path(args.data_dir, "filestore", db), ignore_errors=True)


def odoo_command(args, db, *extra):
    command = [
        sys.executable, str(Path(args.odoo, "odoo-bin")), *extra, "-d", db,
        "--db_host", args.db_host, "--db_port", str(args.db_port), "--db_user", args.db_user,
        "--addons-path", args.addons_path,
    ]  # fmt: skip
    if args.db_password:
        command += ["--db_password", args.db_password]
    if args.data_dir:
        command += ["--data-dir", args.data_dir]
    return command


def setup_database(args, db, workdir):
    params, out = Path(workdir, "params.json"), Path(workdir, "setup.json")
    params.write_text(
        json.dumps(
            {
                "operators": args.operators,
                "orders": args.orders,
                "qty": args.qty,
                "pieces": args.pieces,
                "batch_qty": max(10, args.batch * 2 + 20),
            }
        )
    )
    env = dict(os.environ, MQC_LOAD_PARAMS=str(params), MQC_LOAD_OUT=str(out))
    command = odoo_command(args, db, "shell", "--no-http", "--log-level", "warn")
    with open(HERE / "load_setup.py") as script:
        done = subprocess.run(
            command, stdin=script, env=env, capture_output=True, text=True, timeout=600
        )
    if done.returncode or not out.exists():
        say(done.stdout[-4000:] + done.stderr[-4000:])
        raise RuntimeError(f"setup in odoo shell failed (exit {done.returncode})")
    return json.loads(out.read_text())


def free_port():
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """Odoo in multi-process mode on the loopback, its log in a temporary file."""

    def __init__(self, args, db, workdir):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(workdir, "odoo.log")
        self.command = odoo_command(
            args, db,
            "--db-filter", f"^{db}$", "--http-interface", "127.0.0.1",
            "--http-port", str(self.port), "--gevent-port", str(free_port()),
            "--workers", str(args.workers), "--max-cron-threads", "1",
            "--limit-time-real", "300", "--limit-time-cpu", "240", "--db_maxconn", "16",
            "--log-level", "warn", "--log-handler", "werkzeug:INFO", "--logfile", str(self.log),
        )  # fmt: skip
        self.process = None

    def start(self, timeout=120):
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo stopped at start (exit {self.process.returncode})")
            with contextlib.suppress(requests.RequestException):
                answer = requests.post(
                    f"{self.url}/web/webclient/version_info", json={"params": {}}, timeout=5
                )
                if answer.status_code == 200:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"Odoo did not answer on {self.url} within {timeout} s")

    def http_workers(self):
        """The worker processes (children of the master; not the gevent one)."""
        master = psutil.Process(self.process.pid)
        return [
            child for child in master.children() if "gevent" not in " ".join(child.cmdline()[2:3])
        ]

    def stop(self):
        if not self.process or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        # The workers may outlive the master by a moment: the process group goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)


# ----------------------------------------------------------------------
# The tablet's calls
# ----------------------------------------------------------------------
class Stats:
    """Latencies and answers of every call, shared by the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = {}  # call name -> [seconds]
        self.counts = {}  # label -> count
        self.errors = []  # (call, message) of answers with an "error" key
        self.requests = 0

    def add(self, name, seconds):
        with self.lock:
            self.latency.setdefault(name, []).append(seconds)
            self.requests += 1

    def count(self, label, n=1):
        with self.lock:
            self.counts[label] = self.counts.get(label, 0) + n

    def error(self, name, error):
        with self.lock:
            self.errors.append((name, error))


class NoAnswer(Exception):
    """The request got no answer (network error, timeout, worker gone)."""


class Client:
    """One tablet: its own HTTP session (cookie), logged in as one user."""

    def __init__(self, url, db, login, password, stats):
        self.url, self.db, self.stats = url, db, stats
        self.http = requests.Session()
        self.login, self.password = login, password
        self.context = {}
        self.uid = None

    def post(self, path, params, name, timeout=REQUEST_TIMEOUT):
        body = {"jsonrpc": "2.0", "method": "call", "id": random.randrange(1 << 30)}
        body["params"] = params
        started = time.perf_counter()
        try:
            answer = self.http.post(self.url + path, json=body, timeout=timeout)
        except requests.RequestException as error:
            raise NoAnswer(str(error)) from error
        self.stats.add(name, time.perf_counter() - started)
        if answer.status_code != 200:
            raise NoAnswer(f"HTTP {answer.status_code}")
        return answer.json()

    def authenticate(self):
        params = {"db": self.db, "login": self.login, "password": self.password}
        body = self.post("/web/session/authenticate", params, "authenticate", timeout=120)
        if "error" in body:
            raise RuntimeError(f"login {self.login}: {body['error']}")
        self.uid = body["result"]["uid"]
        self.context = body["result"]["user_context"]

    def call(self, model, method, args, name=None, timeout=REQUEST_TIMEOUT, **kwargs):
        """The answer's "result"; an answer with an "error" key is recorded (and
        counted as shown to the user) and returned as {"rpc_error": ...}."""
        params = {
            "model": model, "method": method, "args": args,
            "kwargs": dict(kwargs, context=self.context),
        }  # fmt: skip
        name = name or method
        body = self.post(f"/web/dataset/call_kw/{model}/{method}", params, name, timeout)
        if "error" in body:
            self.stats.error(name, body["error"])
            return {"rpc_error": body["error"]}
        return body["result"]


class Ledger:
    """Every entry a tablet sent: its client_uid, its check and what it was told."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = {}  # client_uid -> dict

    def new(self, check_id, payload, origin):
        uid = f"load-{uuid.uuid4()}"
        payload = dict(payload, client_uid=uid)
        with self.lock:
            self.entries[uid] = {
                "check_id": check_id, "state": "sending", "sends": 0,
                "measurement_id": None, "origin": origin,
            }  # fmt: skip
        return uid, payload

    def answer(self, uid, state, result=None):
        with self.lock:
            entry = self.entries[uid]
            entry["state"] = state
            if result and result.get("measurement_id"):
                entry["measurement_id"] = result["measurement_id"]

    def sent(self, uid):
        with self.lock:
            self.entries[uid]["sends"] += 1


def classify(result):
    if "rpc_error" in result:
        return "error"
    status = result.get("status")
    if status in SAVED:
        return "acknowledged"
    if status == "conflict":
        return "conflict"
    return "refused"


def record(client, ledger, check_id, payload, origin, deadline, name="record"):
    """mqc.tablet.record as the tablet's queue does: resent with the same client_uid
    until an answer comes (bounded in sends and time)."""
    uid, payload = ledger.new(check_id, payload, origin)
    for send in range(MAX_SENDS):
        if send and time.monotonic() > deadline:
            break
        ledger.sent(uid)
        try:
            # As the tablet: the answer carries the work order's fresh data
            # when the tablet cannot update itself from it.
            result = client.call("mqc.tablet", "record", [check_id, payload], name)
        except NoAnswer:
            client.stats.count("record sent again after no answer")
            time.sleep(min(2.0, 0.2 * 2**send))
            continue
        state = classify(result)
        ledger.answer(uid, state, result)
        if result.get("replayed"):
            client.stats.count("record answered as replayed")
        return state, result
    ledger.answer(uid, "unanswered")
    return "unanswered", {}


def value_payload(check, gauges, uid, rng):
    """The tablet's payload for a check (buildPayload, static/src/tablet/entry/entry_payload.js)."""
    payload = {}
    kind = check["result_type"]
    if kind == "measure":
        low, high = check["warn_lower"], check["warn_upper"]
        if low is False or high is False:
            low = check["lower_limit"] if check["tolerance_type"] != "upper" else 0.0
            high = check["upper_limit"] if check["tolerance_type"] != "lower" else low + 1.0
            low, high = low + (high - low) / 4, high - (high - low) / 4
        payload["value"] = round(rng.uniform(low, high), 4)
    elif kind == "attribute":
        payload["ok"] = True
    else:
        payload["defects"] = 0
    family = check["gauge_family"]
    if family:
        refused = {int(g) for g in check.get("gauge_refusals") or {}}
        usable = [
            g["id"] for g in gauges
            if g.get("family_id") == family["id"] and g.get("usable") and g["id"] not in refused
        ]  # fmt: skip
        if not usable:
            return None
        payload["gauge_id"] = usable[0]
    if check["method_type"] == "destructive":
        payload["sample_reference"] = "LOAD-SAMPLE"
    if check["method_type"] == "ndt":
        payload["ndt_inspector_id"] = uid
    return payload


def patch_recorded(data, check_id, result):
    """The tablet's own update from a value recorded within tolerance
    (patchRecorded in static/src/tablet/tablet_utils.js): the data, updated,
    or None when the answer needs more (the tablet then reloads)."""
    within = result.get("status") in ("ok", "warning")
    check = next((c for c in data["checks"] if c["id"] == check_id), None)
    if not within or result.get("drift_event_id") or result.get("refresh") or check is None:
        return None
    check.update(state=result["check_state"], verdict=result["status"],
                 needs_disposition=result["needs_disposition"])  # fmt: skip
    point = {"value": result["rounded_value"], "verdict": result["status"]}
    for other in data["checks"]:
        if other["characteristic_id"] == check["characteristic_id"]:
            other["last_values"] = [*other["last_values"], point][-LAST_VALUES:]
    return data


def fillable(data):
    return [c for c in data["checks"] if c["state"] == "todo" and not c["blocked_reason"]]


class Operator(threading.Thread):
    def __init__(self, index, client, work, ledger, stats, args, deadline, pair=None):
        super().__init__(name=f"operator-{index}", daemon=True)
        self.index, self.client, self.work = index, client, work
        self.ledger, self.stats, self.args, self.deadline = ledger, stats, args, deadline
        self.pair = pair  # {"barrier", "slot", "rounds"} for operators 0 and 1
        self.rng = random.Random(args.seed + index)
        self.order = work.first(index)
        self.failure = None
        self.data = None  # the tablet's data carried by the last answer
        self.opened = set()  # work orders this operator opened

    def pause(self):
        if self.args.think:
            time.sleep(self.rng.uniform(0.5, 1.5) * self.args.think)

    def open_tablet(self):
        workorder_id = self.order["workorder_id"]
        # the first opening of an order by this operator, or the tablet reloading
        name = "open tablet (reload)" if workorder_id in self.opened else "open tablet (new order)"
        self.opened.add(workorder_id)
        data = self.client.call("mqc.tablet", "open", [workorder_id], name)
        if "rpc_error" in data:
            return None
        return data

    def run(self):
        try:
            self.loop()
        except Exception as error:  # noqa: BLE001 - reported, the run goes on
            self.failure = repr(error)
        finally:
            if self.pair:
                self.pair["barrier"].abort()

    def loop(self):
        # An operator's first call comes after a pause like every other one:
        # twenty tablets are not opened at the same millisecond.
        self.pause()
        for _step in range(100_000):
            if time.monotonic() > self.deadline or self.order is None:
                return
            # The tablet reopens the work order unless the last answer carried it.
            data, self.data = self.data, None
            try:
                data = data or self.open_tablet()
            except NoAnswer:
                self.stats.count("open tablet: no answer")
                continue
            if data is None:
                continue
            if self.answer_drift(data):
                continue
            todo = [c for c in fillable(data) if value_payload(c, data["gauges"], 0, self.rng)]
            if self.pair:
                if not self.paired_round(data, todo):
                    return
                continue
            if not todo:
                self.next_pieces(data)
                continue
            self.pause()
            check = self.rng.choice(todo[:3])
            payload = value_payload(check, data["gauges"], self.client.uid, self.rng)
            state, result = record(
                self.client, self.ledger, check["id"], payload, "operator", self.deadline + 30
            )
            self.stats.count(f"record: {state}")
            self.data = result.get("tablet") or patch_recorded(data, check["id"], result)
            if state == "refused" and result.get("drift_event_id"):
                self.stats.count("record refused: drift to answer first")

    def answer_drift(self, data):
        events = data["drift"]["events"]
        if not events:
            return False
        causes, actions = data["drift"]["causes"], data["drift"]["actions"]
        if not causes or not actions:
            return False
        self.pause()
        try:
            result = self.client.call(
                "mqc.tablet", "answer_drift",
                [events[0]["id"], causes[0]["id"], actions[0]["id"], "load test"], "answer drift",
            )  # fmt: skip
            # as the tablet: the answer carries the work order's data
            self.data = result.get("tablet")
        except NoAnswer:
            self.stats.count("answer drift: no answer")
            return True
        self.stats.count(
            "answer drift: " + ("error" if "rpc_error" in result else result["status"])
        )
        return True

    def next_pieces(self, data):
        pieces = data["workorder"]["pieces_done"]
        if pieces >= self.order["qty"]:
            self.order = self.work.next()
            self.stats.count("order finished: moved to the next one")
            return
        try:
            result = self.client.call(
                "mqc.tablet", "set_pieces_done",
                [self.order["workorder_id"], min(self.order["qty"], pieces + 10)], "report pieces",
            )  # fmt: skip
            # the answer carries the work order's data, as the tablet uses it
            self.data = None if "rpc_error" in result else result.get("tablet")
        except NoAnswer:
            self.stats.count("report pieces: no answer")

    def paired_round(self, data, todo):
        """Operators 0 and 1: the same check, sent at the same moment."""
        barrier, slot = self.pair["barrier"], self.pair["slot"]
        try:
            if self.index == 0:
                slot["check"] = todo[0] if todo else None
                slot["data"] = data
            barrier.wait(timeout=60)
            check = slot["check"]
            if check is None:
                if self.index == 0:
                    self.next_pieces(data)
                barrier.wait(timeout=60)
                return self.order is not None
            payload = value_payload(check, slot["data"]["gauges"], self.client.uid, self.rng)
            barrier.wait(timeout=60)  # both payloads ready: go
            state, result = record(
                self.client,
                self.ledger,
                check["id"],
                payload,
                "pair",
                self.deadline + 30,
                "record (pair, same check)",
            )
            slot[self.index] = state
            # as the tablet, after a conflict too
            self.data = result.get("tablet") or patch_recorded(data, check["id"], result)
            barrier.wait(timeout=60)
            if self.index == 0:
                outcome = tuple(sorted((slot[0], slot[1])))
                self.pair["rounds"].append(outcome)
            self.stats.count(f"record: {state}")
            barrier.wait(timeout=60)
            self.pause()
            return True
        except threading.BrokenBarrierError:
            return False


class Work:
    """The orders handed out: operators 0 and 1 share the first one, every other
    operator has its own; an operator whose order is finished takes the next
    one in turn (then shared), until each has been handed out once more."""

    def __init__(self, orders):
        self.lock = threading.Lock()
        self.orders = orders
        self.cursor = 0

    def first(self, index):
        return self.orders[max(0, index - 1) % len(self.orders)]

    def next(self):
        with self.lock:
            self.cursor += 1
            if self.cursor > len(self.orders):
                return None
            return self.orders[self.cursor % len(self.orders)]


class Office(threading.Thread):
    """The technician freezes limits; the manager approves a new plan revision."""

    def __init__(self, technician, manager, setup, stats, deadline, seconds):
        super().__init__(name="office", daemon=True)
        self.technician, self.manager, self.setup = technician, manager, setup
        self.stats, self.deadline, self.seconds = stats, deadline, seconds
        self.failure = None

    def run(self):
        try:
            self.loop()
        except Exception as error:  # noqa: BLE001
            self.failure = repr(error)

    def loop(self):
        chars = self.setup["freeze_characteristic_ids"]
        period = max(1.0, self.seconds / 4)
        approved = False
        for round_ in range(8):
            if time.monotonic() + period / 2 > self.deadline:
                return
            time.sleep(period / 2)
            char = chars[round_ % len(chars)]
            result = self.safe(
                self.technician, "mqc.spc.limit", "mqc_freeze",
                [char, f"load test, round {round_}"], "freeze limits",
            )  # fmt: skip
            self.stats.count("freeze limits: " + ("done" if result is not None else "error"))
            if not approved:
                approved = self.approve_revision()
            time.sleep(period / 2)

    def safe(self, client, model, method, args, name):
        try:
            result = client.call(model, method, args, name)
        except NoAnswer:
            self.stats.count(f"{name}: no answer")
            return None
        if isinstance(result, dict) and "rpc_error" in result:
            return None
        return result if result is not None else True

    def approve_revision(self):
        plan = self.setup["plan_id"]
        wizard = self.safe(
            self.manager, "mqc.control.plan.revise", "create",
            [{"plan_id": plan, "reason": "Load test: tighter grinding checks"}], "new revision",
        )  # fmt: skip
        if not wizard:
            return False
        action = self.safe(
            self.manager, "mqc.control.plan.revise", "action_confirm", [[wizard]], "new revision"
        )
        if not action:
            return False
        new_plan = action["res_id"]
        if self.safe(self.manager, "mqc.control.plan", "action_submit", [[new_plan]], "submit"):
            done = self.safe(
                self.manager, "mqc.control.plan", "action_approve", [[new_plan]], "approve"
            )
            self.stats.count("plan revision approved" if done else "plan revision: error")
            return bool(done)
        return False


# ----------------------------------------------------------------------
# Fault: a worker killed in the middle of a batch
# ----------------------------------------------------------------------
def raw_call(server, client, model, method, args, on_connected=None, timeout=300):
    """One call_kw on its own connection (to find the worker holding it)."""
    body = json.dumps(
        {
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args,
                       "kwargs": {"context": client.context}},
        }
    ).encode()  # fmt: skip
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.connect()
        if on_connected:
            on_connected(conn.sock.getsockname()[1])
        cookie = "; ".join(f"{k}={v}" for k, v in client.http.cookies.items())
        conn.request(
            "POST", f"/web/dataset/call_kw/{model}/{method}", body,
            {"Content-Type": "application/json", "Cookie": cookie},
        )  # fmt: skip
        return json.loads(conn.getresponse().read())
    except (OSError, http.client.HTTPException) as error:
        raise NoAnswer(repr(error)) from error
    finally:
        conn.close()


def worker_of(server, client_port, timeout=10):
    """The worker process holding the TCP connection from ``client_port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for worker in server.http_workers():
            with contextlib.suppress(psutil.Error):
                connections = getattr(worker, "net_connections", worker.connections)("tcp")
                if any(c.raddr and c.raddr.port == client_port for c in connections):
                    return worker
        time.sleep(0.01)
    return None


def batch_entries(client, ledger, workorder_id, size, rng):
    data = client.call("mqc.tablet", "open", [workorder_id], "open tablet")
    entries = []
    for check in fillable(data):
        payload = value_payload(check, data["gauges"], client.uid, rng)
        if payload is None:
            continue
        uid, payload = ledger.new(check["id"], payload, "batch")
        entries.append({"check_id": check["id"], "payload": payload})
        if len(entries) == size:
            break
    return entries


def in_db(pg, db, uids):
    rows = pg.run(
        "SELECT count(*), count(DISTINCT client_uid) FROM mqc_measurement "
        "WHERE client_uid = ANY(%s)",
        [list(uids)],
        dbname=db,
    )
    return rows[0]


def kill_fault(server, client, ledger, pg, db, setup, args, rng):
    """Returns the lines to print and whether the fault test passed."""
    lines, ok = [], True
    timed, killed, late = setup["big_orders"]
    # 1. A batch of the same size, not killed: how long it takes.
    warm = batch_entries(client, ledger, timed["workorder_id"], args.batch, rng)
    started = time.perf_counter()
    answers = record_batch(server, client, warm, timed["workorder_id"])
    duration = time.perf_counter() - started
    for entry, result in zip(warm, results_of(answers), strict=False):
        ledger.answer(entry["payload"]["client_uid"], classify(result), result)
    lines.append(f"batch of {len(warm)} entries (not killed): {duration:.2f} s")
    # 2. The same size again; its worker is killed at 40 % of that time.
    entries = batch_entries(client, ledger, killed["workorder_id"], args.batch, rng)
    uids = [e["payload"]["client_uid"] for e in entries]
    holder = {}

    def send():
        try:
            holder["answer"] = record_batch(
                server, client, entries, killed["workorder_id"],
                on_connected=lambda port: holder.setdefault("port", port),
            )  # fmt: skip
        except NoAnswer as error:
            holder["no_answer"] = str(error)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    for _ in range(500):
        if "port" in holder:
            break
        time.sleep(0.01)
    worker = worker_of(server, holder.get("port", -1))
    if worker is None:
        thread.join(timeout=300)
        return lines + ["killed batch: the worker handling it was not found"], False
    time.sleep(duration * 0.4)
    os.kill(worker.pid, signal.SIGKILL)
    killed_at = time.perf_counter()
    thread.join(timeout=300)
    rows, distinct = in_db(pg, db, uids)
    if "answer" in holder:
        lines.append("killed batch: the answer came before the kill (not in flight)")
    else:
        lines.append(
            f"killed batch: worker {worker.pid} killed after {duration * 0.4:.2f} s, "
            f"the client got no answer ({holder.get('no_answer', '?')[:60]})"
        )
    whole = rows in (0, len(entries))
    ok &= whole and rows == distinct
    lines.append(
        f"after the kill: {rows} of {len(entries)} entries in the database "
        f"({'none or all: ok' if whole else 'HALF-SAVED'})"
    )
    # 3. The client resends the same batch until it is answered (bounded).
    answer = resend_until_answered(server, client, entries, killed["workorder_id"])
    if not answer or "result" not in answer:
        lines.append(f"resent batch: no answer ({answer and answer.get('error')})")
        return lines, False
    states = {}
    for entry, result in zip(entries, results_of(answer), strict=True):
        state = classify(result)
        states[state] = states.get(state, 0) + 1
        ledger.answer(entry["payload"]["client_uid"], state, result)
    rows, distinct = in_db(pg, db, uids)
    complete = rows == distinct == len(entries) and states.get("acknowledged") == len(entries)
    ok &= complete
    lines.append(
        f"resent batch ({time.perf_counter() - killed_at:.1f} s after the kill): answers {states}; "
        f"{rows} rows for {distinct} of {len(entries)} entries "
        f"({'each exactly once: ok' if complete else 'NOT COMPLETE'})"
    )
    more, fine = resend_while_running(server, client, ledger, pg, db, late, args, duration, rng)
    return lines + more, ok and fine


def record_batch(server, client, entries, workorder_id, **kwargs):
    """The tablet's offline queue flushed in one call (the work order shown:
    its fresh data comes with the answer when the tablet needs it)."""
    return raw_call(server, client, "mqc.tablet", "record_batch", [entries, workorder_id], **kwargs)


def results_of(answer):
    """The answers to the entries of a batch (none when the call failed)."""
    return ((answer or {}).get("result") or {}).get("results") or []


def resend_until_answered(server, client, entries, workorder_id):
    """The batch sent again, as the tablet's queue does, until an answer
    comes (at most 10 sends, backing off): the answer, or None."""
    for attempt in range(10):
        try:
            return record_batch(server, client, entries, workorder_id)
        except NoAnswer:
            time.sleep(min(5, 0.5 * 2**attempt))
    return None


def resend_while_running(server, client, ledger, pg, db, order, args, duration, rng):
    """The tablet gives up waiting (its timeout) while the server is still
    recording the batch, and resends it at once: the resend waits for the
    first one, then finds every entry recorded (answered as replayed)."""
    entries = batch_entries(client, ledger, order["workorder_id"], args.batch, rng)
    uids = [e["payload"]["client_uid"] for e in entries]
    patience = max(0.05, duration * 0.3)
    try:
        record_batch(server, client, entries, order["workorder_id"], timeout=patience)
        gave_up = False
    except NoAnswer:
        gave_up = True
    answer = resend_until_answered(server, client, entries, order["workorder_id"])
    if not answer or "result" not in answer:
        return [f"batch resent after a client timeout: no answer ({answer})"], False
    states, replayed = {}, 0
    for entry, result in zip(entries, results_of(answer), strict=True):
        state = classify(result)
        states[state] = states.get(state, 0) + 1
        replayed += bool(result.get("replayed"))
        ledger.answer(entry["payload"]["client_uid"], state, result)
    time.sleep(duration)  # the first request, if still running, has ended by now
    rows, distinct = in_db(pg, db, uids)
    complete = rows == distinct == len(entries) and states.get("acknowledged") == len(entries)
    first = (
        f"the client gave up after {patience:.2f} s" if gave_up else "answered before the timeout"
    )
    return [
        f"batch of {len(entries)} resent at once after a client timeout ({first}): answers "
        f"{states}, {replayed} replayed; {rows} rows for {distinct} entries "
        f"({'each exactly once: ok' if complete else 'NOT EXACTLY ONCE'})"
    ], complete


# ----------------------------------------------------------------------
# Reconciliation with the database
# ----------------------------------------------------------------------
def reconcile(pg, db, ledger, setup):
    """Counts of what the database holds against what the tablets were told."""
    uids = list(ledger.entries)
    rows = pg.run(
        "SELECT client_uid, count(*), min(id), min(check_id) FROM mqc_measurement "
        "WHERE client_uid = ANY(%s) GROUP BY client_uid",
        [uids],
        dbname=db,
    )
    stored = {uid: (count, mid, check) for uid, count, mid, check in rows}
    lost = duplicated = unacknowledged = 0
    for uid, entry in ledger.entries.items():
        found = stored.get(uid)
        if entry["state"] == "acknowledged":
            if not found or found[1] != entry["measurement_id"] or found[2] != entry["check_id"]:
                lost += 1
        elif found:
            unacknowledged += 1
        if found and found[0] > 1:
            duplicated += found[0] - 1
    # Values recorded by the load users that no tablet sent (or without client_uid).
    (phantom,) = pg.run(
        "SELECT count(*) FROM mqc_measurement WHERE id > %s AND user_id = ANY(%s) "
        "AND (client_uid IS NULL OR NOT client_uid = ANY(%s))",
        [setup["max_measurement_id_before"], setup["user_ids"], uids],
        dbname=db,
    )[0]
    unacknowledged += phantom
    # One current value per check: a second one is a duplicate.
    (twice,) = pg.run(
        "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM mqc_measurement "
        "WHERE is_current GROUP BY check_id HAVING count(*) > 1) t",
        dbname=db,
    )[0]
    duplicated += int(twice)
    # Half-saved: a result without its measurement, or a measurement without its result.
    (half,) = pg.run(
        """SELECT count(DISTINCT c.id) FROM mqc_check c
           LEFT JOIN mqc_measurement m ON m.id = c.current_measurement_id
           WHERE (c.state IN ('pass', 'fail')
                  AND (m.id IS NULL OR m.check_id <> c.id OR NOT m.is_current))
              OR (c.state = 'todo' AND EXISTS (
                    SELECT 1 FROM mqc_measurement x WHERE x.check_id = c.id))""",
        dbname=db,
    )[0]
    return lost, duplicated, half, unacknowledged


ACCESS = re.compile(
    r'"POST /web/dataset/call_kw/([\w.]+)/(\w+) HTTP/[\d.]+" 200 - (\d+) ([\d.]+) ([\d.]+)'
)


def server_times(log, start, end):
    """{method: ([server seconds], [queries])} from Odoo's access log lines
    (query count, query time, other time): the time inside the worker, without
    the wait for a free worker."""
    times = {}
    if not log.exists():
        return times
    with open(log, "rb") as file:
        file.seek(start)
        text = file.read(end - start).decode(errors="replace")
    for match in ACCESS.finditer(text):
        _model, method, queries, sql, other = match.groups()
        seconds, counts = times.setdefault(method, ([], []))
        seconds.append(float(sql) + float(other))
        counts.append(int(queries))
    return times


def percentiles(values):
    if not values:
        return "no calls"
    ordered = sorted(values)

    def at(q):
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return (
        f"p50 {at(0.50):.0f} ms, p95 {at(0.95):.0f} ms, p99 {at(0.99):.0f} ms "
        f"(mean {statistics.fmean(ordered) * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms, "
        f"{len(ordered)} calls)"
    )


def is_serialization(error):
    text = json.dumps(error).lower()
    return any(word in text for word in SERIALIZATION)


# ----------------------------------------------------------------------
def run(args, db, workdir):
    failures, run_started = [], time.monotonic()
    say(f"==> copy of {args.source_db} into {db}")
    copy_database(args, db)
    started = time.monotonic()
    setup = setup_database(args, db, workdir)
    say(
        f"==> setup: {len(setup['logins'])} operators, {len(setup['orders'])} orders of "
        f"{args.qty} pieces ({time.monotonic() - started:.0f} s)"
    )
    server = Server(args, db, workdir)
    pg = Pg(args)
    stats, ledger = Stats(), Ledger()
    try:
        started = time.monotonic()
        server.start()
        say(
            f"==> Odoo on {server.url}: {args.workers} workers + 1 cron worker "
            f"(up in {time.monotonic() - started:.0f} s)"
        )
        clients = [Client(server.url, db, login, "operator", stats) for login in setup["logins"]]
        technician = Client(server.url, db, "technician", "technician", stats)
        manager = Client(server.url, db, "manager", "manager", stats)
        everyone = [*clients, technician, manager]
        logins = [threading.Thread(target=c.authenticate, daemon=True) for c in everyone]
        for thread in logins:
            thread.start()
        for thread in logins:
            thread.join(timeout=180)
        if not all(c.uid for c in everyone):
            raise RuntimeError("some users could not log in")
        # Warm-up (not counted): each operator opens its work order once, so that
        # both workers have loaded the registry.
        work = Work(setup["orders"])
        for index, client in enumerate(clients):
            client.call("mqc.tablet", "open", [work.first(index)["workorder_id"]])
        stats.latency.clear()
        stats.requests = 0
        stats.errors.clear()

        deadline = time.monotonic() + args.seconds
        pair = {"barrier": threading.Barrier(2), "slot": {}, "rounds": []}
        operators = [
            Operator(i, c, work, ledger, stats, args, deadline, pair if i < 2 else None)
            for i, c in enumerate(clients)
        ]
        office = Office(technician, manager, setup, stats, deadline, args.seconds)
        log_start, load_start = server.log.stat().st_size, os.getloadavg()[0]
        client_cpu = time.process_time()
        begin = time.monotonic()
        for thread in [*operators, office]:
            thread.start()
        for thread in [*operators, office]:
            thread.join(timeout=args.seconds + 2 * REQUEST_TIMEOUT * MAX_SENDS)
        elapsed = time.monotonic() - begin
        client_cpu = time.process_time() - client_cpu
        log_end, load_end = server.log.stat().st_size, os.getloadavg()[0]
        alive = [t.name for t in [*operators, office] if t.is_alive()]
        if alive:
            failures.append(f"threads still running after the time limit: {alive}")
        for thread in [*operators, office]:
            if thread.failure:
                failures.append(f"{thread.name} stopped: {thread.failure}")

        say("")
        say(
            f"{args.operators} operators, {args.seconds:g} s (think {args.think:g} s), "
            f"{args.workers} workers"
        )
        say(f"requests: {stats.requests} in {elapsed:.1f} s = {stats.requests / elapsed:.1f} /s")
        records = stats.latency.get("record", []) + stats.latency.get(
            "record (pair, same check)", []
        )
        say(f"record a value, all: {percentiles(records)}")
        opens = stats.latency.get("open tablet (new order)", []) + stats.latency.get(
            "open tablet (reload)", []
        )
        say(f"open the tablet, all: {percentiles(opens)}")
        for name in (
            "record", "record (pair, same check)", "open tablet (new order)",
            "open tablet (reload)", "report pieces",
            "answer drift", "freeze limits", "new revision", "submit", "approve",
        ):  # fmt: skip
            if name in stats.latency:
                label = "record (operator alone on its order)" if name == "record" else name
                say(f"{label}: {percentiles(stats.latency[name])}")
        say("time inside the worker (Odoo's access log: SQL + Python, no wait for a worker):")
        for method, (seconds, queries) in sorted(
            server_times(server.log, log_start, log_end).items()
        ):
            say(
                f"  {method}: {percentiles(seconds)}, median {statistics.median(queries):g} queries"
            )
        say(
            f"machine load average (1 min): {load_start:.1f} at the start, "
            f"{load_end:.1f} at the end"
        )
        say(
            f"the clients' own CPU (this process, on the same cores as the server): "
            f"{client_cpu:.1f} s in {elapsed:.1f} s ({client_cpu / elapsed:.0%} of one core)"
        )
        for label in sorted(stats.counts):
            say(f"  {label}: {stats.counts[label]}")
        rounds = pair["rounds"]
        one_each = sum(1 for r in rounds if r == ("acknowledged", "conflict"))
        say(
            f"same check at the same moment: {len(rounds)} rounds, {one_each} with one saved "
            f"and one told 'conflict'"
        )
        if len(rounds) != one_each:
            failures.append(f"same-check rounds not 'one saved, one conflict': {rounds}")

        if not args.no_kill:
            say("")
            lines, ok = kill_fault(
                server, clients[0], ledger, pg, db, setup, args, random.Random(args.seed)
            )
            for line in lines:
                say(line)
            if not ok:
                failures.append("the killed batch was not all-or-nothing then complete")
    finally:
        server.stop()
    shown = [e for e in stats.errors if is_serialization(e[1])]
    others = [e for e in stats.errors if not is_serialization(e[1])]
    lost, duplicated, half, unacknowledged = reconcile(pg, db, ledger, setup)
    states = {}
    for entry in ledger.entries.values():
        states[entry["state"]] = states.get(entry["state"], 0) + 1
    say("")
    say(f"entries sent: {len(ledger.entries)} {states}")
    resent = sum(1 for e in ledger.entries.values() if e["sends"] > 1)
    say(f"entries resent with the same client_uid: {resent}")
    say(f"other errors shown (not serialization): {len(others)}")
    grouped = {}
    for name, error in others:
        message = (error.get("data") or {}).get("message") or error.get("message") or error
        key = f"{name}: {str(message)[:200]}"
        grouped[key] = grouped.get(key, 0) + 1
    for key, count in sorted(grouped.items()):
        say(f"  {count} x {key}")
    say(f"unacknowledged in the database: {unacknowledged}")
    say(
        "total time (copy, setup, server, load, faults, checks): "
        f"{time.monotonic() - run_started:.0f} s"
    )
    for failure in failures:
        say(f"FAILED: {failure}")
    say(f"lost {lost}")
    say(f"duplicated {duplicated}")
    say(f"half-saved {half}")
    say(f"errors shown {len(shown)}")
    bad = failures or others or unacknowledged or lost or duplicated or half or shown
    return 1 if bad else 0


def main():
    args = parse_args()
    db = f"mqc_load_{os.getpid()}"
    workdir = tempfile.mkdtemp(prefix="mqc-load-")
    status = 1
    try:
        status = run(args, db, workdir)
    except Exception as error:  # noqa: BLE001 - the log is printed, the copy dropped
        say(f"FAILED: {error!r}")
        status = 1
    finally:
        log = Path(workdir, "odoo.log")
        if status and log.exists():
            say(f"--- Odoo log (last 100 lines of {log}) ---")
            say("\n".join(log.read_text(errors="replace").splitlines()[-100:]))
        if not args.keep_db:
            with contextlib.suppress(psycopg2.Error):
                drop_database(args, db)
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
