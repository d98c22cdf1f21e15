import inspect

from odoo import http
from odoo.exceptions import UserError
from odoo.models import BaseModel
from odoo.tests import HttpCase, new_test_user, tagged

from .access_common import FORGED_FLAGS, QUALITY_ROLES, ROLES, AccessCommon

ADDON = "odoo.addons.mrp_quality_control"
# Public by name, but CRUD overrides: the access rights and the write guards
# hold them (test_access_matrix).
CRUD = {"create", "write", "unlink", "copy", "default_get", "name_create", "init"}

Q = set(QUALITY_ROLES)  # read-only acts: every quality group
OPS = {"operator", "technician", "manager"}  # the shop floor records
TECH = {"technician", "manager"}
MGR = {"manager"}
METRO = {"metrologist", "manager"}
CHART = "report.mrp_quality_control.report_spc_control_chart"
STUDY_WRITERS = {"technician", "metrologist", "manager"}


def on(records, *args):
    """A call on ``records`` with ``args`` (records: a lambda of the test)."""
    return lambda t: (records(t), args)


def model(name, *args):
    return lambda t: (t.env[name], args)


def computed(name, build):
    """A call on model ``name`` whose arguments ``build(t)`` makes."""
    return lambda t: (t.env[name], build(t))


def revise_wizard(t):
    return t.env["mqc.control.plan.revise"].create({"plan_id": t.plan.id, "reason": "Tighter seat"})


def release_wizard(t):
    return t.env["mqc.release"].create({"production_id": t.production.id, "reason": "Customer"})


def report_wizard(t):
    return t.env["mqc.spc.report.wizard"].create({"characteristic_id": t.diameter.id})


# (model, method) -> (roles allowed, factory of (records, args) on the fixtures).
# A public method missing here fails test_every_public_method_is_in_the_table.
METHODS = {
    # the shop-floor tablet's door: reading for every quality group
    ("mqc.tablet", "kiosk"): (Q, model("mqc.tablet")),
    ("mqc.tablet", "open"): (Q, computed("mqc.tablet", lambda t: (t.workorder.id,))),
    ("mqc.tablet", "inspectors"): (Q, model("mqc.tablet")),
    ("mqc.tablet", "find_gauge"): (
        Q,
        computed("mqc.tablet", lambda t: ("ACL-MIC-01", t.diameter.id)),
    ),
    ("mqc.tablet", "chart"): (Q, computed("mqc.tablet", lambda t: (t.diameter.id,))),
    # ... the operators record
    ("mqc.tablet", "record"): (
        OPS,
        computed("mqc.tablet", lambda t: (t.open_check.id, {"ok": True})),
    ),
    ("mqc.tablet", "record_batch"): (
        OPS,
        computed(
            "mqc.tablet",
            lambda t: ([{"check_id": t.open_check.id, "payload": {"ok": True}}], t.workorder.id),
        ),
    ),
    ("mqc.tablet", "set_disposition"): (
        OPS,
        computed("mqc.tablet", lambda t: (t.failed_check.id, "rework", "Burr on the seat")),
    ),
    ("mqc.tablet", "answer_drift"): (
        OPS,
        computed("mqc.tablet", lambda t: (t.drift.id, t.cause.id, t.drift_action.id, "Offset")),
    ),
    ("mqc.tablet", "set_pieces_done"): (
        OPS,
        computed("mqc.tablet", lambda t: (t.workorder.id, 10)),
    ),
    ("mqc.tablet", "tool_change"): (
        OPS,
        computed("mqc.tablet", lambda t: (t.workorder.id, "New insert")),
    ),
    ("mqc.tablet", "acknowledge_note"): (
        OPS,
        computed("mqc.tablet", lambda t: (t.note.id, t.workorder.id)),
    ),
    ("mqc.tablet", "finish"): (OPS, computed("mqc.tablet", lambda t: (t.workorder.id,))),
    # ... the quality team approves and acknowledges
    ("mqc.tablet", "approve_first_piece"): (
        TECH,
        computed("mqc.tablet", lambda t: (t.workorder.id,)),
    ),
    ("mqc.tablet", "acknowledge_alert"): (TECH, computed("mqc.tablet", lambda t: (t.alert.id,))),
    # shop floor, outside the tablet's door
    ("mqc.check", "mqc_correct"): (
        TECH,
        on(lambda t: t.check, {"value": 10.0}, "Typing error"),
    ),
    ("mrp.workcenter", "action_mqc_open_shift_notes"): (Q, on(lambda t: t.lathe)),
    ("mqc.shift.note", "action_acknowledge"): (OPS, on(lambda t: t.note)),
    ("mqc.shift.note", "mqc_open_notes"): (Q, computed("mqc.shift.note", lambda t: (t.lathe.id,))),
    ("mqc.shift.note", "mqc_tablet_note_create"): (
        OPS,
        computed("mqc.shift.note", lambda t: (t.lathe.id, "Check the coolant")),
    ),
    ("mqc.machine.checklist", "action_done"): (OPS, on(lambda t: t.checklist)),
    ("mqc.machine.checklist", "action_open_requests"): (Q, on(lambda t: t.checklist)),
    # today's checklist of the work centre (the fixture's: created when missing)
    ("mqc.machine.checklist", "mqc_tablet_checklist"): (
        Q,
        computed("mqc.machine.checklist", lambda t: (t.lathe.id,)),
    ),
    ("mqc.machine.checklist", "mqc_tablet_checklist_set"): (
        OPS,
        computed("mqc.machine.checklist", lambda t: (t.checklist.line_ids[:1].id, "nok")),
    ),
    ("mqc.machine.checklist", "mqc_tablet_checklist_done"): (
        OPS,
        computed("mqc.machine.checklist", lambda t: (t.checklist.id,)),
    ),
    ("mqc.drift.event", "mqc_open_events"): (
        Q,
        computed("mqc.drift.event", lambda t: (t.workorder.id,)),
    ),
    ("mqc.alert", "action_acknowledge"): (TECH, on(lambda t: t.alert)),
    ("mqc.alert", "action_close"): (TECH, on(lambda t: t.acknowledged_alert())),
    ("mqc.alert", "action_scrap"): (Q, on(lambda t: t.alert)),
    # control plans
    ("mqc.control.plan", "action_submit"): (TECH, on(lambda t: t.draft_plan)),
    ("mqc.control.plan", "action_back_to_draft"): (TECH, on(lambda t: t.submitted_plan())),
    ("mqc.control.plan", "action_approve"): (MGR, on(lambda t: t.submitted_plan())),
    ("mqc.control.plan", "action_new_revision"): (Q, on(lambda t: t.plan)),
    ("mqc.control.plan", "action_open_characteristics"): (Q, on(lambda t: t.plan)),
    ("mqc.control.plan", "action_export_xlsx"): (Q, on(lambda t: t.plan)),
    ("mqc.control.plan.revise", "action_confirm"): (TECH, on(revise_wizard)),
    ("mqc.release", "action_confirm"): (MGR, on(release_wizard)),
    ("mqc.spc.report.wizard", "action_print"): (Q, on(report_wizard)),
    ("report.mrp_quality_control.control_plan_xlsx", "render"): (
        Q,
        computed("report.mrp_quality_control.control_plan_xlsx", lambda t: (t.plan,)),
    ),
    # characteristics, charts
    ("mqc.characteristic", "action_open_plan"): (Q, on(lambda t: t.diameter)),
    (CHART, "get_chart_data"): (Q, computed(CHART, lambda t: (t.diameter.id, {}))),
    (CHART, "get_filter_options"): (Q, computed(CHART, lambda t: (t.diameter.id,))),
    ("mqc.characteristic", "action_mqc_open_chart"): (Q, on(lambda t: t.diameter)),
    ("mqc.characteristic", "action_mqc_open_stream"): (Q, on(lambda t: t.diameter)),
    ("mqc.spc.stream", "action_mqc_open_chart"): (Q, on(lambda t: t.diameter.stream_id)),
    ("mqc.spc.stream", "mqc_split"): (
        TECH,
        computed("mqc.spc.stream", lambda t: (t.draft_char().id, "New nominal")),
    ),
    ("mqc.spc.stream", "mqc_relink"): (
        TECH,
        computed(
            "mqc.spc.stream",
            lambda t: (t.split_draft_char().id, t.diameter.stream_id.id, "Same feature"),
        ),
    ),
    # the capability dashboard's data, from the capability report model
    ("report.mrp_quality_control.report_capability_study", "get_dashboard"): (
        Q,
        model("report.mrp_quality_control.report_capability_study"),
    ),
    ("mqc.spc.limit", "mqc_freeze"): (
        TECH,
        computed("mqc.spc.limit", lambda t: (t.diameter.id, "New wheel")),
    ),
    ("mqc.spc.limit", "mqc_unfreeze"): (
        TECH,
        computed("mqc.spc.limit", lambda t: (t.diameter.id,)),
    ),
    ("mqc.spc.exclusion", "mqc_exclude"): (
        TECH,
        computed("mqc.spc.exclusion", lambda t: (t.diameter.id, t.measurement.ids, "Bad blank")),
    ),
    ("mqc.capability.study", "action_compute"): (TECH, on(lambda t: t.draft_cap_study())),
    ("mqc.capability.study", "action_validate"): (TECH, on(lambda t: t.cap_study)),
    ("mqc.capability.study", "action_cancel"): (TECH, on(lambda t: t.cap_study)),
    # gauge studies: the metrologists run them; technicians may fill a grid
    ("mqc.gauge.study", "action_prepare_grid"): (STUDY_WRITERS, on(lambda t: t.empty_study())),
    ("mqc.gauge.study", "action_load_measurements"): (
        STUDY_WRITERS,
        on(lambda t: t.empty_study()),
    ),
    ("mqc.gauge.study", "action_compute"): (STUDY_WRITERS, on(lambda t: t.gauge_study)),
    ("mqc.gauge.study", "action_done"): (STUDY_WRITERS, on(lambda t: t.gauge_study)),
    ("mqc.gauge.study", "action_cancel"): (STUDY_WRITERS, on(lambda t: t.gauge_study)),
    ("mqc.gauge.study", "action_draft"): (STUDY_WRITERS, on(lambda t: t.cancelled_study())),
    ("mqc.gauge.study", "action_new_study"): (STUDY_WRITERS, on(lambda t: t.gauge_study)),
    # gauges, orders, products
    ("maintenance.equipment", "action_mqc_open_studies"): (Q, on(lambda t: t.gauge)),
    ("mrp.production", "action_confirm"): (OPS, on(lambda t: t.new_draft_mo())),
    ("mrp.production", "action_mqc_release"): (Q, on(lambda t: t.production)),
    ("mrp.production", "action_view_mqc_checks"): (Q, on(lambda t: t.production)),
    ("mrp.production", "action_view_mqc_alerts"): (Q, on(lambda t: t.production)),
    ("product.template", "action_open_mqc_plans"): (Q, on(lambda t: t.shaft)),
    # Odoo's administrators only (the guard itself: test_uninstall_guard)
    ("ir.module.module", "button_uninstall"): (
        set(),
        on(lambda t: t.env["ir.module.module"].search([("name", "=", "mrp_quality_control")])),
    ),
}
# Calls the fixtures cannot make succeed (refusals still tested): why.
NOT_RUN_BY_ALLOWED = {
    ("mqc.gauge.study", "action_load_measurements"): "needs 10 values taken with the gauge",
    ("ir.module.module", "button_uninstall"): "no quality role may uninstall",
}
# Routes of the add-on's controllers -> roles allowed (tested over HTTP).
ROUTES = {"/mrp_quality_control/control_plan/<int:plan_id>/xlsx": Q}
# Counted before and after every refused call: nothing may appear or vanish.
COUNTED = (
    "mqc.measurement", "mqc.check", "mqc.alert", "mqc.spc.limit", "mqc.spc.exclusion",
    "mqc.drift.event", "mqc.frequency.change", "mqc.control.plan", "mqc.characteristic",
    "mqc.shift.note", "mqc.machine.checklist", "mqc.gauge.study", "mqc.gauge.study.line",
    "mqc.capability.study", "maintenance.request", "mail.message", "mqc.spc.stream",
)  # fmt: skip
WATCHED = {
    "plan": ["state", "approved_by_id", "revision"],
    "draft_plan": ["state", "submitted_by_id"],
    "check": ["state", "current_measurement_id", "first_piece_approved_by_id"],
    "open_check": ["state", "current_measurement_id"],
    "failed_check": ["disposition", "disposition_note"],
    "alert": ["state", "acknowledged_by_id"],
    "drift": ["state", "cause_id", "answered_by_id"],
    "note": ["state", "acknowledged_by_id"],
    "checklist": ["state"],
    "limit": ["active"],
    "cap_study": ["state", "n", "index_value", "validated_by_id"],
    "gauge_study": ["state", "verdict", "computed_at", "done_by_id"],
    "workorder": ["mqc_pieces_done"],
    "production": ["state", "mqc_released_by_id"],
    "diameter": ["current_cpk", "mqc_tightened"],
}


def addon_public_methods(env):
    """{(model, method)} of the public methods the add-on's Python defines."""
    found = set()
    for name in env.registry:
        for klass in type(env[name]).__mro__:
            if not klass.__module__.startswith(ADDON):
                continue
            for attr, value in vars(klass).items():
                if attr.startswith("_") or attr in CRUD or not inspect.isfunction(value):
                    continue
                if getattr(value, "_constrains", None) or getattr(value, "_onchange", None):
                    continue
                found.add((name, attr))
    return found


def addon_routes():
    """{route} of the add-on's http controllers."""
    routes = set()
    stack = list(http.Controller.__subclasses__())
    while stack:
        klass = stack.pop()
        stack.extend(klass.__subclasses__())
        if not klass.__module__.startswith(ADDON):
            continue
        for _name, member in inspect.getmembers(klass, inspect.isfunction):
            routing = getattr(member, "original_routing", None)
            if routing:
                routes.update(routing.get("routes") or [])
    return routes


@tagged("post_install", "-at_install")
class TestPublicMethods(AccessCommon):
    """Every public method of the add-on, called by each role not allowed to,
    with every context flag the add-on has read: refused, nothing changed."""

    # --- extra fixtures built on demand (inside the rolled back call) ------
    def submitted_plan(self):
        self.draft_plan.with_user(self.technician).action_submit()
        return self.draft_plan

    def draft_char(self):
        return self.draft_plan.characteristic_ids[:1]

    def split_draft_char(self):
        char = self.draft_char()
        self.env["mqc.spc.stream"].with_user(self.technician).mqc_split(char.id, "New nominal")
        return char

    def acknowledged_alert(self):
        self.alert.with_user(self.manager).action_acknowledge()
        return self.alert

    def draft_cap_study(self):
        return self.env["mqc.capability.study"].create(
            {"characteristic_id": self.diameter.id, "kind": "process"}
        )

    def empty_study(self):
        return self.env["mqc.gauge.study"].create(
            {
                "study_type": "type1",
                "gauge_id": self.gauge.id,
                "characteristic_id": self.diameter.id,
                "reference_value": 10.0,
                "tolerance": 2.0,
                "trial_count": 10,
            }
        )

    def cancelled_study(self):
        self.gauge_study.with_user(self.metrologist).action_cancel()
        return self.gauge_study

    def new_draft_mo(self):
        return self.env["mrp.production"].create(
            {
                "product_id": self.shaft.product_variant_id.id,
                "bom_id": self.shaft_bom.id,
                "product_qty": 2,
            }
        )

    # --- state of the fixtures ---------------------------------------------
    def state(self):
        self.env.flush_all()
        self.env.invalidate_all()
        counts = {
            name: self.env[name].sudo().with_context(active_test=False).search_count([])
            for name in COUNTED
        }
        values = {
            attr: self.snapshot(getattr(self, attr), names) for attr, names in WATCHED.items()
        }
        return counts, values

    def call(self, key, role):
        """Calls method ``key`` as ``role`` (flags in the context) in a
        savepoint rolled back afterwards; returns (refused, error text, whether
        the call changed the data, even when it was refused)."""
        _model, method = key
        _roles, factory = METHODS[key]
        with self.env.cr.savepoint() as savepoint:
            records, args = factory(self)
            before = self.state()
            env = records.with_user(self.users[role]).with_context(**FORGED_FLAGS).env
            # records given as arguments come in the caller's environment too
            args = [arg.with_env(env) if isinstance(arg, BaseModel) else arg for arg in args]
            # no value cached by the fixtures may spare the caller a read check
            self.env.invalidate_all()
            try:
                getattr(records.with_env(env), method)(*args)
            except UserError as error:
                refused, text = True, str(error)
            else:
                refused, text = False, ""
            changed = self.state() != before
            savepoint.rollback()
        self.env.invalidate_all()
        return refused, text, changed

    def test_every_public_method_is_in_the_table(self):
        found = addon_public_methods(self.env)
        missing = sorted(found - set(METHODS))
        self.assertFalse(missing, f"public methods without an access row: {missing}")
        self.assertFalse(sorted(set(METHODS) - found), "rows for methods that no longer exist")

    def test_every_route_is_in_the_table(self):
        self.assertEqual(addon_routes(), set(ROUTES))

    def test_refused_to_every_role_not_allowed(self):
        failures = []
        for key, (allowed, _factory) in sorted(METHODS.items()):
            for role in ROLES:
                if role in allowed:
                    continue
                refused, _text, changed = self.call(key, role)
                if not refused:
                    failures.append(f"{key[0]}.{key[1]} accepted from {role}")
                elif changed:
                    failures.append(f"{key[0]}.{key[1]} refused to {role} but changed the data")
        self.assertFalse(failures, "\n".join(failures))

    def test_allowed_to_the_least_allowed_role(self):
        # The refusals above are not for a bad argument: the same call, made
        # by the least privileged role allowed, goes through.
        order = ("auditor", "operator", "metrologist", "technician", "manager")
        failures = []
        for key, (allowed, _factory) in sorted(METHODS.items()):
            if key in NOT_RUN_BY_ALLOWED:
                continue
            role = next(r for r in order if r in allowed)
            refused, text, _changed = self.call(key, role)
            if refused:
                failures.append(f"{key[0]}.{key[1]} refused to {role}: {text}")
        self.assertFalse(failures, "\n".join(failures))


@tagged("post_install", "-at_install")
class TestRoutes(HttpCase):
    """The XLSX export of a plan over HTTP, as a script would ask for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lab = {"method_type": "lab", "gauge_family_id": False}
        product = cls.env["product.template"].create({"name": "Route shaft", "type": "consu"})
        cls.plan = cls.env["mqc.control.plan"].create(
            {
                "product_tmpl_id": product.id,
                "characteristic_ids": [
                    (0, 0, {"balloon": "1", "name": "Length", "nominal": 10.0,
                            "limit_source": "manual", "lower_limit": 9.9,
                            "upper_limit": 10.1, **lab})
                ],
            }
        )  # fmt: skip
        other = cls.env["res.company"].create({"name": "Route other plant"})
        groups = "mrp_quality_control.group_mqc_%s"
        cls.logins = {
            "auditor": new_test_user(cls.env, "mqc_route_aud", groups=groups % "auditor").login,
            "internal": new_test_user(cls.env, "mqc_route_int", groups="base.group_user").login,
            "portal": new_test_user(cls.env, "mqc_route_portal", groups="base.group_portal").login,
            "outsider": new_test_user(
                cls.env,
                "mqc_route_out",
                groups=groups % "manager",
                company_id=other.id,
                company_ids=[(6, 0, other.ids)],
            ).login,
        }

    def export(self, who):
        self.authenticate(self.logins[who], self.logins[who])
        return self.url_open(f"/mrp_quality_control/control_plan/{self.plan.id}/xlsx")

    def test_auditor_gets_the_file(self):
        response = self.export("auditor")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK")

    def test_others_get_no_file(self):
        for who in ("internal", "portal", "outsider"):
            response = self.export(who)
            self.assertNotEqual(response.status_code, 200, who)
            self.assertNotEqual(response.content[:2], b"PK", who)
        # The outsider cannot tell a plan of another company from no plan.
        missing = self.plan.search([], order="id desc", limit=1).id + 1000
        self.authenticate(self.logins["outsider"], self.logins["outsider"])
        absent = self.url_open(f"/mrp_quality_control/control_plan/{missing}/xlsx")
        self.assertEqual((self.export("outsider").status_code, absent.status_code), (404, 404))
