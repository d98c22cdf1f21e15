from datetime import datetime

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.mqc_characteristic import SPC_STATE_FIELDS
from ..models.mqc_gauge_study import RESULT_FIELDS as GAUGE_RESULT_FIELDS
from .access_common import QUALITY_ROLES, ROLES, AccessCommon

OPERATIONS = {"R": "read", "W": "write", "C": "create", "U": "unlink"}
NONE = ""


def rights(**per_role):
    """{role: set of operations} for the 7 roles (a role not named: none)."""
    unknown = set(per_role) - set(ROLES)
    assert not unknown, unknown
    return {role: set(per_role.get(role, NONE)) for role in ROLES}


def quality(letters, **others):
    return rights(**{role: letters for role in QUALITY_ROLES}, **others)


PLAN_RIGHTS = rights(auditor="R", operator="R", technician="RWCU", metrologist="R", manager="RWCU")
EVIDENCE = quality("R")
DRIFT_LISTS = rights(auditor="R", operator="R", technician="RWC", metrologist="R", manager="RWCU")
SHOP_FLOOR = rights(auditor="R", operator="RWC", technician="RWC", metrologist="R", manager="RWCU")

# What the access-control lists give each role, cumulated through the implied
# groups. Every model of the add-on must be here: a new model without rules
# fails the matrix.
EXPECTED = {
    "mqc.control.plan": PLAN_RIGHTS,
    "mqc.characteristic": PLAN_RIGHTS,
    "mqc.gauge.family": rights(
        internal="R",
        auditor="R",
        operator="R",
        technician="R",
        metrologist="RWCU",
        manager="RWCU",
    ),  # fmt: skip
    "mqc.control.plan.revise": rights(technician="RWCU", manager="RWCU"),
    # Evidence: written only by the add-on's methods, read by every quality group.
    "mqc.check": EVIDENCE,
    "mqc.measurement": EVIDENCE,
    "mqc.alert": EVIDENCE,
    "mqc.spc.limit": EVIDENCE,
    "mqc.spc.exclusion": EVIDENCE,
    "mqc.drift.event": EVIDENCE,
    "mqc.frequency.change": EVIDENCE,
    "mqc.spc.stream": EVIDENCE,
    "mqc.release": rights(manager="RWCU"),
    "mqc.shift.note": rights(
        auditor="R", operator="RWC", technician="RWC", metrologist="R", manager="RWCU"
    ),
    "mqc.checklist.item": DRIFT_LISTS,
    "mqc.machine.checklist": SHOP_FLOOR,
    "mqc.machine.checklist.line": SHOP_FLOOR,
    "mqc.gauge.study": rights(
        auditor="R", operator="R", technician="RWC", metrologist="RWC", manager="RWCU"
    ),
    "mqc.gauge.study.line": rights(
        auditor="R", operator="R", technician="RWCU", metrologist="RWCU", manager="RWCU"
    ),
    "mqc.drift.cause": DRIFT_LISTS,
    "mqc.drift.action": DRIFT_LISTS,
    "mqc.capability.study": DRIFT_LISTS,
    "mqc.spc.report.wizard": quality("RWCU"),
}
# Odoo's own models the add-on extends or grants rights on: only the add-on's
# grants are pinned (at least these rights; the rest is Odoo's business). An
# extended model missing here fails the matrix like a new model.
QUALITY_READ = {role: {"R"} for role in QUALITY_ROLES}
FOREIGN_EXPECTED = {
    # Maintenance already lets every internal user read the equipment
    "maintenance.equipment": {
        **QUALITY_READ,
        "metrologist": {"R", "W", "C"},
        "manager": {"R", "W", "C", "U"},
    },
    # auditors read the routing and the parts of the plans they audit
    "mrp.bom": QUALITY_READ,
    "mrp.bom.line": QUALITY_READ,
    "mrp.routing.workcenter": QUALITY_READ,
    "mrp.workcenter": QUALITY_READ,
    "stock.lot": QUALITY_READ,
    # auditors (and metrologists) read the orders behind the checks: the tablet
    "mrp.production": QUALITY_READ,
    "mrp.workorder": QUALITY_READ,
    # extended, no right granted by the add-on (uninstall refused while
    # measurements exist)
    "ir.module.module": {},
    "product.template": {},
    "res.company": {},
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccessCommon):
    def addon_ir_models(self):
        """Non-abstract models whose ir.model record belongs to the add-on
        (the models it defines and those it extends)."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "mrp_quality_control"), ("model", "=", "ir.model")]
        )
        names = self.env["ir.model"].browse(data.mapped("res_id")).mapped("model")
        return sorted(name for name in names if not self.env[name]._abstract)

    def addon_models(self):
        """The models the add-on defines."""
        return [
            name
            for name in self.addon_ir_models()
            if self.env[name]._original_module == "mrp_quality_control"
        ]

    def actual(self, model, role):
        Access = self.env["ir.model.access"].with_user(self.users[role])
        return {
            letter
            for letter, operation in OPERATIONS.items()
            if Access.check(model, operation, raise_exception=False)
        }

    def test_scan_finds_the_models(self):
        models = self.addon_models()
        # the scan itself works: models, wizards, no report (abstract) model
        for name in ("mqc.measurement", "mqc.release", "mqc.spc.report.wizard"):
            self.assertIn(name, models)
        self.assertNotIn("mrp.workorder", models)
        self.assertIn("mrp.workorder", self.addon_ir_models())
        self.assertNotIn("report.mrp_quality_control.control_plan_xlsx", models)
        self.assertNotIn("mqc.gauge.study.charts", models)

    def test_every_model_has_its_row(self):
        missing = sorted(set(self.addon_models()) - set(EXPECTED))
        missing += sorted(
            set(self.addon_ir_models()) - set(self.addon_models()) - set(FOREIGN_EXPECTED)
        )
        self.assertFalse(missing, f"models of the add-on without an expected access row: {missing}")
        stale = sorted(set(EXPECTED) - set(self.addon_models()))
        self.assertFalse(stale, f"expected rows for models that no longer exist: {stale}")

    def test_matrix(self):
        mismatches = []
        for model in self.addon_models():
            for role, expected in EXPECTED.get(model, {}).items():
                actual = self.actual(model, role)
                for letter, operation in OPERATIONS.items():
                    if (letter in expected) != (letter in actual):
                        mismatches.append(
                            f"{model:28} {role:12} {operation:7} "
                            f"expected={letter in expected} actual={letter in actual}"
                        )
        self.assertFalse(
            mismatches, "access rights differ from the design:\n" + "\n".join(mismatches)
        )

    def test_foreign_models_granted_by_the_addon(self):
        mismatches = []
        for model, per_role in FOREIGN_EXPECTED.items():
            for role, expected in per_role.items():
                actual = self.actual(model, role)
                for letter in expected - actual:
                    mismatches.append(f"{model} {role} {OPERATIONS[letter]}: not granted")
        # Plain internal users keep Maintenance's read-only right, no more.
        self.assertEqual(self.actual("maintenance.equipment", "internal"), {"R"})
        self.assertEqual(self.actual("maintenance.equipment", "portal"), set())
        self.assertFalse(mismatches, "\n".join(mismatches))

    def test_metrologist_writes_gauges_only(self):
        # The ACL lets the metrologist write equipment; the record rule keeps
        # it to the gauges.
        machine = self.env["maintenance.equipment"].create({"name": "ACL lathe machine"})
        self.assertRefused(lambda: machine.with_user(self.metrologist).write({"name": "Renamed"}))
        self.gauge.with_user(self.metrologist).write({"mqc_resolution": 0.01})
        self.assertEqual(self.gauge.mqc_resolution, 0.01)


@tagged("post_install", "-at_install")
class TestGuardedFields(AccessCommon):
    """Fields no client may write, whatever the context it sends, even a user
    with write access to the model."""

    def setUp(self):
        super().setUp()
        self.forgeries = []

    def assertUnchanged(self, records, names, action, msg=None):
        """``action`` refused, ``names`` of ``records`` unchanged even before the
        transaction is rolled back; the failures are collected (see
        assertNothingForged) so that one run lists them all."""
        with self.env.cr.savepoint() as savepoint:
            before = self.snapshot(records, names)
            try:
                self.env.cr.clear()
                action()
            except UserError:
                if self.snapshot(records, names) != before:
                    self.forgeries.append(f"refused but written: {msg}")
            else:
                self.forgeries.append(f"accepted: {msg}")
            savepoint.rollback()
        self.env.invalidate_all()

    def assertNothingForged(self):
        self.assertFalse(self.forgeries, "\n".join(self.forgeries))

    # --- control plans -------------------------------------------------
    PLAN_GUARDED = {
        "state": "approved",
        "approved_by_id": None,  # the technician himself
        "approval_date": "2020-01-01 00:00:00",
        "submitted_by_id": None,
    }

    def plan_values(self, user):
        return {
            name: (user.id if value is None else value) for name, value in self.PLAN_GUARDED.items()
        }

    def test_technician_cannot_forge_plan_approval(self):
        technician = self.technician
        for plan in (self.draft_plan, self.plan):
            for name, value in self.plan_values(technician).items():
                self.assertUnchanged(
                    plan,
                    list(self.PLAN_GUARDED),
                    lambda plan=plan, name=name, value=value: self.forged(plan, "technician").write(
                        {name: value}
                    ),
                    msg=f"{name} written on a {plan.state} plan",
                )
        self.assertNothingForged()

    def test_technician_cannot_create_an_approved_plan(self):
        Plan = self.env["mqc.control.plan"]
        count = Plan.search_count([])
        # a product without an approved plan: only the state is in question
        product = self.env["product.template"].create({"name": "ACL sleeve", "type": "consu"})
        vals = {"product_tmpl_id": product.id, **self.plan_values(self.technician)}
        self.assertRefused(lambda: self.forged(Plan, "technician").create(vals))
        self.assertEqual(Plan.search_count([]), count)

    def test_technician_cannot_change_an_approved_drawing(self):
        self.assertUnchanged(
            self.plan,
            ["drawing_reference", "drawing_revision"],
            lambda: self.forged(self.plan, "technician").write({"drawing_reference": "DWG-X"}),
            msg="drawing_reference written on an approved plan",
        )
        self.assertNothingForged()

    # --- characteristics: the process state --------------------------------
    def test_technician_cannot_write_spc_state(self):
        forged = {
            "current_cpk": 9.99,
            "current_cpk_valid": True,
            "mqc_tightened": True,
            "mqc_tightened_band": 3,
            "mqc_conforming_subgroups": 500,
            "stream_id": self.burr.stream_id.id,
        }
        self.assertEqual(set(forged), SPC_STATE_FIELDS)
        for char in (self.diameter, self.draft_plan.characteristic_ids):
            for name, value in forged.items():
                self.assertUnchanged(
                    char,
                    sorted(SPC_STATE_FIELDS),
                    lambda char=char, name=name, value=value: self.forged(char, "technician").write(
                        {name: value}
                    ),
                    msg=f"{name} written on a characteristic of a {char.plan_id.state} plan",
                )
        self.assertNothingForged()

    # --- gauge studies -------------------------------------------------
    def test_metrologist_cannot_forge_a_gauge_study_result(self):
        study = self.gauge_study
        self.assertEqual(study.state, "draft")
        forged = {
            "state": "done",
            "verdict": "acceptable",
            "verdict_text": "Fine",
            "done_date": "2020-01-01 00:00:00",
            "done_by_id": self.manager.id,
            "cg": 5.0,
            "cgk": 5.0,
            "computed_at": "2020-01-01 00:00:00",
        }
        names = ["state", "done_date", "done_by_id", *GAUGE_RESULT_FIELDS]
        for name, value in forged.items():
            self.assertUnchanged(
                study,
                names,
                lambda name=name, value=value: self.forged(study, "metrologist").write(
                    {name: value}
                ),
                msg=f"{name} written on a gauge study",
            )
        self.assertNothingForged()

    def test_metrologist_cannot_create_a_done_gauge_study(self):
        Study = self.env["mqc.gauge.study"]
        count = Study.search_count([])
        vals = {
            "study_type": "type1",
            "gauge_id": self.gauge.id,
            "characteristic_id": self.diameter.id,
            "state": "done",
            "verdict": "acceptable",
            "done_by_id": self.manager.id,
        }
        self.assertRefused(lambda: self.forged(Study, "metrologist").create(vals))
        self.assertEqual(Study.search_count([]), count)

    # --- capability studies --------------------------------------------
    CAPABILITY_DERIVED = {
        "state": "done",
        "n": 500,
        "mean": 10.0,
        "sigma_within": 0.001,
        "cpk": 9.0,
        "index_value": 9.0,
        "index_low": 8.0,
        "verdict": "capable",
        "explanation": "Forged",
        "date_done": "2020-01-01 00:00:00",
        "validated_by_id": None,
        "target": 0.5,
    }

    def test_technician_cannot_forge_capability_figures(self):
        study = self.cap_study
        self.assertEqual(study.state, "draft")
        self.assertEqual(study.n, len(self.values_of_study()))
        names = list(self.CAPABILITY_DERIVED)
        for name, value in self.CAPABILITY_DERIVED.items():
            value = self.manager.id if value is None else value
            self.assertUnchanged(
                study,
                names,
                lambda name=name, value=value: self.forged(study, "technician").write(
                    {name: value}
                ),
                msg=f"{name} written on a capability study",
            )
        self.assertNothingForged()

    def values_of_study(self):
        return self.cap_study._values()

    def test_technician_cannot_create_a_validated_capability_study(self):
        Study = self.env["mqc.capability.study"]
        count = Study.search_count([])
        vals = {
            "characteristic_id": self.diameter.id,
            "state": "done",
            "index_value": 9.0,
            "verdict": "capable",
        }
        self.assertRefused(lambda: self.forged(Study, "technician").create(vals))
        self.assertEqual(Study.search_count([]), count)

    # --- measurements and checks ------------------------------------------
    def test_operator_cannot_create_a_measurement(self):
        Measurement = self.env["mqc.measurement"]
        count = Measurement.search_count([])
        check = self.open_check or self.check
        vals = {
            "check_id": check.id,
            "characteristic_id": self.diameter.id,
            "plan_id": self.plan.id,
            "production_id": self.production.id,
            "value": 999.0,
            "verdict": "ok",
            "user_id": self.manager.id,
            "recorded_at": fields.Datetime.to_string(datetime(2019, 1, 1)),
        }
        self.assertRefused(lambda: self.forged(Measurement, "operator").create(vals))
        self.assertEqual(Measurement.search_count([]), count)

    def test_operator_cannot_change_a_measurement(self):
        names = ["value", "verdict", "user_id", "recorded_at", "is_current", "replaced_by_id"]
        for vals in (
            {"value": 999.0},
            {"is_current": False},
            {"replaced_by_id": self.check.measurement_ids[-1:].id},
        ):
            self.assertUnchanged(
                self.measurement,
                names,
                lambda vals=vals: self.forged(self.measurement, "operator").write(vals),
                msg=f"{vals} written on a measurement",
            )
        self.assertNothingForged()

    def test_operator_cannot_write_check_results(self):
        check = self.open_check
        self.assertTrue(check, "a pass/fail check is still to do")
        names = ["state", "mandatory", "plan_id", "disposition", "current_measurement_id"]
        for vals in (
            {"state": "pass"},
            {"state": "cancel"},
            {"mandatory": False},
            {"plan_id": self.draft_plan.id},
            {"disposition": "rework"},
            {"current_measurement_id": self.measurement.id},
        ):
            self.assertUnchanged(
                check,
                names,
                lambda vals=vals: self.forged(check, "operator").write(vals),
                msg=f"{vals} written on a check",
            )
        self.assertNothingForged()
