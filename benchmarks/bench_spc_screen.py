#!/usr/bin/env python3
"""Server time of the SPC screen methods on a production-sized history.

Needs a database where mrp_quality_control is installed (see
benchmarks/README.md). In one transaction, rolled back at the end (nothing
stays in the database unless --keep), it creates:

* one characteristic with --measurements current measurements (100,000),
  inserted with one SQL statement;
* --characteristics characteristics (500), each with a validated capability
  study;

then times ``get_chart_data`` of the control chart report (target < 0.4 s, also shown
with the JSON encoding of its answer, which the web request adds) and
``report.mrp_quality_control.report_capability_study.get_dashboard`` (target
< 2 s): best of --repeat calls, caches cleared before each call, and the
number of queries.

    /root/.venvs/mqc/bin/python benchmarks/bench_spc_screen.py --database mqc_spc \
        --addons-path /opt/odoo18/addons,/opt/mqc-spc --db_host 127.0.0.1 --db_user odoo
"""

import argparse
import json
import sys
import time

CHART = "report.mrp_quality_control.report_spc_control_chart"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database", "-d", required=True)
    parser.add_argument("--addons-path", default="/opt/odoo18/addons,/opt/mqc-spc")
    parser.add_argument("--db_host", default="127.0.0.1")
    parser.add_argument("--db_user", default="odoo")
    parser.add_argument("--db_password", default=None)
    parser.add_argument("--odoo", default="/opt/odoo18", help="Odoo 18 source directory")
    parser.add_argument("--measurements", type=int, default=100_000)
    parser.add_argument("--characteristics", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="commit the generated data")
    return parser.parse_args()


def setup_odoo(args):
    sys.path.insert(0, args.odoo)
    import odoo  # noqa: PLC0415

    options = [
        "-d", args.database, "--addons-path", args.addons_path,
        "--db_host", args.db_host, "--db_user", args.db_user,
    ]  # fmt: skip
    if args.db_password:
        options += ["--db_password", args.db_password]
    odoo.tools.config.parse_config(options)
    return odoo


def generate(env, args):
    """History for one characteristic, and the studies of many."""
    product = env["product.template"].create({"name": "SPC bench part", "type": "consu"})
    vals = {
        "balloon": "1", "name": "Bench diameter", "limit_source": "manual",
        "nominal": 10.0, "lower_limit": 9.0, "upper_limit": 11.0,
        "method_type": "lab", "frequency_mode": "capability", "reference_interval": 20,
    }  # fmt: skip
    chars = [
        dict(vals, balloon=str(i + 1), name=f"Bench {i + 1}") for i in range(args.characteristics)
    ]
    plan = env["mqc.control.plan"].create(
        {
            "product_tmpl_id": product.id,
            "characteristic_ids": [(0, 0, c) for c in chars],
        }
    )
    char = plan.characteristic_ids.sorted("id")[0]
    # What the approval does: one process stream per characteristic.
    env["mqc.spc.stream"]._mqc_link(plan.characteristic_ids)
    production = env["mrp.production"].create(
        {"product_id": product.product_variant_id.id, "product_qty": args.measurements}
    )
    check = env["mqc.check"].create(
        {
            "production_id": production.id,
            "characteristic_id": char.id,
            "plan_id": plan.id,
            "trigger": "every_n",
            "due_piece": 1,
        }
    )
    env.flush_all()
    env.cr.execute(
        """INSERT INTO mqc_measurement
               (check_id, company_id, characteristic_id, stream_id, plan_id, production_id, value,
                verdict, user_id, recorded_at, is_current, create_uid, write_uid,
                create_date, write_date)
           SELECT %(check)s, %(company)s, %(char)s, %(stream)s, %(plan)s, %(mo)s,
                  10 + 0.1 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()),
                  'ok', %(uid)s, now() - (%(n)s - g) * interval '1 minute', true,
                  %(uid)s, %(uid)s, now(), now()
           FROM generate_series(1, %(n)s) g""",
        {
            "check": check.id, "company": env.company.id, "char": char.id,
            "stream": char.stream_id.id, "plan": plan.id,
            "mo": production.id, "uid": env.uid, "n": args.measurements,
        },
    )  # fmt: skip
    studies = env["mqc.capability.study"].create(
        [
            {"characteristic_id": c.id, "kind": "process", "n": 125, "cpk": 1.2 + (i % 10) / 10,
             "index_value": 1.2 + (i % 10) / 10, "target": 1.33, "verdict": "capable",
             "state": "done", "date_done": "2026-01-01 00:00:00"}
            for i, c in enumerate(plan.characteristic_ids)
        ]
    )  # fmt: skip
    env.flush_all()
    # What autovacuum does after a bulk load: planner statistics.
    env.cr.execute("ANALYZE mqc_measurement")
    env.cr.execute("ANALYZE mqc_capability_study")
    return char, studies


def timed(env, call, repeat):
    best, queries = float("inf"), 0
    for _ in range(repeat):
        env.invalidate_all()
        before = env.cr.sql_log_count
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
        queries = env.cr.sql_log_count - before
    return best, queries, result


def main():
    args = parse_args()
    setup_odoo(args)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        char, studies = generate(env, args)
        print(
            f"generated {args.measurements} measurements and {len(studies)} validated "
            f"studies in {time.perf_counter() - start:.1f} s"
        )
        Char = env[CHART]
        chart_time, chart_queries, data = timed(
            env, lambda: Char.get_chart_data(char.id), args.repeat
        )
        tail_time, tail_queries, tail = timed(
            env, lambda: Char.get_chart_data(char.id, {"max_points": 1000}), args.repeat
        )
        Capability = env["report.mrp_quality_control.report_capability_study"]
        dash_time, dash_queries, dash = timed(env, Capability.get_dashboard, args.repeat)
        start = time.perf_counter()
        payload = json.dumps(data)
        json_time = time.perf_counter() - start
        print(
            f"get_chart_data: {chart_time:.3f} s, {chart_queries} queries, "
            f"{data['n_measurements']} points, kind {data['kind']}, phase {data['phase']} "
            f"-> {'PASS' if chart_time < 0.4 else 'FAIL'} (target < 0.4 s)"
        )
        print(
            f"  + JSON encoding of that answer: {json_time:.3f} s, {len(payload) / 1e6:.1f} MB "
            f"-> {'PASS' if chart_time + json_time < 1 else 'FAIL'} with it "
            f"({chart_time + json_time:.3f} s)"
        )
        tail_json = len(json.dumps(tail)) / 1e6
        print(
            f"get_chart_data, latest 1,000 points (limits from {tail['n_measurements']}): "
            f"{tail_time:.3f} s, {tail_queries} queries, {tail_json:.2f} MB of JSON "
            f"-> {'PASS' if tail_time < 0.4 else 'FAIL'} (target < 0.4 s)"
        )
        print(
            f"capability dashboard (get_dashboard): {dash_time:.3f} s, {dash_queries} queries, "
            f"{len(dash['lines'])} characteristics "
            f"-> {'PASS' if dash_time < 2 else 'FAIL'} (target < 2 s)"
        )
        if args.keep:
            cr.commit()
        else:
            cr.rollback()


if __name__ == "__main__":
    main()
