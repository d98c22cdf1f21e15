# Run by bench_load.py inside `odoo-bin shell` (stdin) on the copied database,
# as the superuser: `env` is given by the shell. Reads its parameters from the
# JSON file named by MQC_LOAD_PARAMS and writes what the bench needs to the
# JSON file named by MQC_LOAD_OUT. Nothing here is run by Odoo itself.
import json
import os

from odoo import Command

params = json.load(open(os.environ["MQC_LOAD_PARAMS"]))  # noqa: SIM115
ref = env.ref  # noqa: F821 (given by odoo shell)
Users = env["res.users"].with_context(no_reset_password=True)  # noqa: F821
demo_operator = ref("mrp_quality_control.user_operator_demo")
technician = ref("mrp_quality_control.user_technician_demo")
operator_group = ref("mrp_quality_control.group_mqc_operator")

# Operators: their own users, sharing the demo operator's password hash (one
# hash computed instead of one per user).
users = Users.create(
    [
        {
            "name": f"Load operator {i:02d}",
            "login": f"load_op_{i:02d}",
            "lang": "en_US",
            "groups_id": [Command.set([ref("base.group_user").id, operator_group.id])],
        }
        for i in range(params["operators"])
    ]
)
env.cr.execute(  # noqa: F821
    "UPDATE res_users SET password = (SELECT password FROM res_users WHERE id = %s) WHERE id IN %s",
    [demo_operator.id, tuple(users.ids)],
)

shaft = ref("mrp_quality_control.product_shaft")
bom = ref("mrp_quality_control.bom_shaft")
grinding_op = ref("mrp_quality_control.op_shaft_grinding")
Equipment = env["maintenance.equipment"]  # noqa: F821


def usable_gauge(family):
    return Equipment._mqc_usable_gauge(family).id


def middle(char):
    low = char.lower_limit if char.tolerance_type != "upper" else 0.0
    high = char.upper_limit if char.tolerance_type != "lower" else char.lower_limit * 2 or 1.0
    return round((low + high) / 2, 3)


def make_order(qty, pieces):
    """A confirmed shaft order, its grinding first piece recorded and approved,
    ``pieces`` pieces reported on the grinding work order."""
    production = env["mrp.production"].create(  # noqa: F821
        {"product_id": shaft.product_variant_id.id, "bom_id": bom.id, "product_qty": qty}
    )
    production.action_confirm()
    grinding = production.workorder_ids.filtered(lambda w: w.operation_id == grinding_op)
    # Through the tablet's door, as the tablets do.
    Tablet = env["mqc.tablet"].with_user(demo_operator)  # noqa: F821
    first = production.mqc_check_ids.filtered(
        lambda c: c.is_first_piece and c.workorder_id == grinding
    )
    for check in first:
        char = check.characteristic_id
        payload = {"value": middle(char), "gauge_id": usable_gauge(char.gauge_family_id)}
        answer = Tablet.record(check.id, payload)
        assert answer["status"] in ("ok", "warning"), answer
    if first:
        answer = Tablet.with_user(technician).approve_first_piece(grinding.id)
        assert answer["status"] == "ok", answer
    if pieces:
        Tablet.set_pieces_done(grinding.id, pieces)
    return {"production_id": production.id, "workorder_id": grinding.id, "qty": qty}


orders = [make_order(params["qty"], params["pieces"]) for _ in range(params["orders"])]
# Big orders for the faults: one to time a batch, one whose worker is killed,
# one whose batch times out on the client and is resent while still running.
big = [make_order(params["batch_qty"], params["batch_qty"]) for _ in range(3)]
plan = env["mrp.production"].browse(orders[0]["production_id"]).mqc_plan_id  # noqa: F821
# The technician freezes the limits of the orders' measured grinding
# characteristics, those with the most values first.
chars = plan.characteristic_ids.filtered(
    lambda c: c.operation_id == grinding_op and c.result_type == "measure"
)
Measurement = env["mqc.measurement"]  # noqa: F821
counts = {c: Measurement.search_count([("characteristic_id", "=", c.id)]) for c in chars}
chars = chars.sorted(lambda c: -counts[c])
chars = chars.filtered(lambda c: counts[c] >= 3) or chars[:1]
# The manager revises an approved plan that has no revision in preparation
# (the orders' plan first).
Plan = env["mqc.control.plan"]  # noqa: F821
pending = Plan.search([("state", "in", ("draft", "to_approve"))]).mapped("code")
revisable = Plan.search([("state", "=", "approved"), ("code", "not in", pending)])
revise = (revisable & plan) or revisable[:1]
env.cr.commit()  # noqa: F821
env.cr.execute("SELECT coalesce(max(id), 0) FROM mqc_measurement")  # noqa: F821
max_measurement = env.cr.fetchone()[0]  # noqa: F821
with open(os.environ["MQC_LOAD_OUT"], "w") as out:
    json.dump(
        {
            "logins": users.mapped("login"),
            "user_ids": users.ids,
            "orders": orders,
            "big_orders": big,
            "plan_id": revise.id,
            "freeze_characteristic_ids": chars.ids,
            "max_measurement_id_before": max_measurement,
        },
        out,
    )
