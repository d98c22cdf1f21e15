"""The forgeries a shop-floor user with a script tried, replayed over JSON-RPC
(the web client's own door), each with every context flag the add-on ever read:
each is refused and leaves the records as they were."""

import json

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

# Context keys the add-on's guards once trusted: they must grant nothing.
FLAGS = {
    "mqc_internal": True,
    "mqc_allow_state": True,
    "mqc_study_internal": True,
    "mqc_spc_state": True,
    "mqc_correction": True,
    "active_test": False,
}


@tagged("post_install", "-at_install")
class TestForgeryOverRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "mrp_quality_control.group_mqc_%s"
        cls.operator = new_test_user(cls.env, "mqc_rpc_op", groups=groups % "operator")
        cls.technician = new_test_user(cls.env, "mqc_rpc_tech", groups=groups % "technician")
        cls.metrologist = new_test_user(cls.env, "mqc_rpc_metro", groups=groups % "metrologist")
        cls.manager = new_test_user(cls.env, "mqc_rpc_mgr", groups=groups % "manager")
        lathe = cls.env["mrp.workcenter"].create({"name": "RPC lathe"})
        product = cls.env["product.template"].create(
            {"name": "RPC shaft", "type": "consu", "is_storable": True}
        )
        bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.id,
                "operation_ids": [
                    Command.create({"name": "10 Turning", "workcenter_id": lathe.id})
                ],
            }
        )
        operation = bom.operation_ids
        cls.plan = cls.env["mqc.control.plan"].create(
            {
                "product_tmpl_id": product.id,
                "bom_id": bom.id,
                "drawing_reference": "DRW-100",
                "characteristic_ids": [
                    Command.create(
                        {
                            "balloon": "1",
                            "name": "Length",
                            "nominal": 120.0,
                            "lower_limit": 119.9,
                            "upper_limit": 120.1,
                            "operation_id": operation.id,
                            "method_type": "lab",
                            "control_type": "first_piece",
                            "frequency_mode": "batch_start",
                        }
                    ),
                    Command.create(
                        {
                            "balloon": "2",
                            "name": "Diameter",
                            "nominal": 20.0,
                            "lower_limit": 19.98,
                            "upper_limit": 20.0,
                            "operation_id": operation.id,
                            "method_type": "lab",
                            "frequency_mode": "every_n",
                            "frequency_n": 5,
                        }
                    ),
                ],
            }
        )
        cls.plan.action_submit()
        cls.plan.with_user(cls.manager).action_approve()
        cls.production = cls.env["mrp.production"].create(
            {"product_id": product.product_variant_id.id, "bom_id": bom.id, "product_qty": 10}
        )
        cls.production.action_confirm()
        cls.checks = cls.production.mqc_check_ids
        cls.first = cls.checks.filtered("is_first_piece")[:1]
        cls.series = (cls.checks - cls.first)[:1]
        cls.length = cls.plan.characteristic_ids.filtered(lambda c: c.balloon == "1")
        cls.study = cls.env["mqc.gauge.study"].create(
            {"study_type": "type1", "characteristic_id": cls.length.id}
        )

    def call(self, user, model, method, *args, **kwargs):
        """(True, result) or (False, exception name, message), as a script sees them."""
        self.authenticate(user.login, user.login)
        kwargs.setdefault("context", dict(FLAGS))
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            }
        )
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        answer = response.json()
        if "error" in answer:
            data = answer["error"]["data"]
            return False, data["name"], data["message"]
        return True, answer["result"]

    def assertRefused(self, answer, *, name=None):
        self.assertFalse(answer[0], f"accepted: {answer}")
        refusals = ("odoo.exceptions.AccessError", "odoo.exceptions.UserError")
        self.assertIn(name or answer[1], refusals)
        if name:
            self.assertEqual(answer[1], name)

    def snapshot(self):
        self.env.invalidate_all()
        Measurement = self.env["mqc.measurement"]
        return {
            "measurements": Measurement.search_count([]),
            "checks": [
                (c.state, c.mandatory, c.plan_id.id, c.disposition, c.first_piece_approved_by_id.id)
                for c in self.checks
            ],
            "plan": (
                self.plan.state,
                self.plan.approved_by_id.id,
                self.plan.drawing_reference,
            ),
            "cpk": (self.length.current_cpk, self.length.current_cpk_valid),
            "study": (self.study.state, self.study.verdict),
            "check_count": self.env["mqc.check"].search_count([]),
        }

    def test_operator_cannot_forge_a_measurement(self):
        before = self.snapshot()
        answer = self.call(
            self.operator,
            "mqc.measurement",
            "create",
            [
                {
                    "check_id": self.series.id,
                    "characteristic_id": self.series.characteristic_id.id,
                    "plan_id": self.plan.id,
                    "production_id": self.production.id,
                    "value": 999.0,
                    "verdict": "ok",
                    "user_id": self.manager.id,
                    "recorded_at": "2019-01-01 08:00:00",
                    "is_current": True,
                }
            ],
        )
        self.assertRefused(answer, name="odoo.exceptions.AccessError")
        self.assertEqual(self.snapshot(), before)

    def test_operator_cannot_pass_a_check_nor_approve_a_first_piece(self):
        before = self.snapshot()
        self.assertRefused(self.call(self.operator, "mqc.check", "write", self.series.ids,
                                     {"state": "pass"}))  # fmt: skip
        for vals in (
            {"mandatory": False},
            {"plan_id": self.plan.id},
            {"disposition": "rework"},
            {"first_piece_approved_by_id": self.operator.id},
        ):
            self.assertRefused(
                self.call(self.operator, "mqc.check", "write", self.checks.ids, vals)
            )
        self.assertRefused(
            self.call(
                self.operator,
                "mqc.check",
                "create",
                [
                    {
                        "production_id": self.production.id,
                        "characteristic_id": self.length.id,
                        "plan_id": self.plan.id,
                        "trigger": "piece",
                        "state": "pass",
                    }
                ],
            )
        )
        self.assertRefused(
            self.call(
                self.operator, "mqc.tablet", "approve_first_piece", self.first.workorder_id.id
            ),
            name="odoo.exceptions.AccessError",
        )
        self.assertEqual(self.snapshot(), before)

    def test_operator_records_through_the_tablet_as_himself(self):
        ok, result = self.call(
            self.operator, "mqc.tablet", "record", self.first.id,
            {"value": "120,05", "client_uid": "rpc-1"},
        )  # fmt: skip
        self.assertTrue(ok)
        self.assertEqual(result["status"], "ok")
        self.env.invalidate_all()
        measurement = self.env["mqc.measurement"].browse(result["measurement_id"])
        self.assertEqual(measurement.user_id, self.operator)
        self.assertAlmostEqual(measurement.value, 120.05)
        self.assertEqual(self.first.state, "pass")
        # The recorded value is evidence: no one rewrites it.
        for user in (self.operator, self.technician, self.manager):
            self.assertRefused(self.call(user, "mqc.measurement", "write", measurement.ids,
                                         {"value": 120.0}))  # fmt: skip
            self.assertRefused(self.call(user, "mqc.measurement", "unlink", measurement.ids))
        self.env.invalidate_all()
        self.assertAlmostEqual(measurement.value, 120.05)

    def test_technician_cannot_approve_nor_edit_an_approved_plan(self):
        before = self.snapshot()
        for vals in (
            {"state": "obsolete"},
            {"approved_by_id": self.technician.id},
            {"approval_date": "2020-01-01 00:00:00"},
            {"drawing_reference": "DRW-999"},
        ):
            self.assertRefused(
                self.call(self.technician, "mqc.control.plan", "write", self.plan.ids, vals)
            )
        # A new revision approved in the technician's name of the manager.
        self.assertRefused(
            self.call(
                self.technician,
                "mqc.control.plan",
                "create",
                [
                    {
                        "product_tmpl_id": self.plan.product_tmpl_id.id,
                        "state": "approved",
                        "approved_by_id": self.manager.id,
                    }
                ],
            )
        )
        self.assertRefused(
            self.call(
                self.technician,
                "mqc.control.plan",
                "create",
                [{"product_tmpl_id": self.plan.product_tmpl_id.id}],
                context=dict(
                    FLAGS, default_state="approved", default_approved_by_id=self.manager.id
                ),
            ),
            name="odoo.exceptions.AccessError",
        )
        self.assertRefused(
            self.call(self.technician, "mqc.control.plan", "action_approve", self.plan.ids),
            name="odoo.exceptions.AccessError",
        )
        self.assertEqual(self.snapshot(), before)

    def test_technician_cannot_set_a_cpk(self):
        # On the approved plan (locked) and on a draft the technician may edit.
        draft = self.env["mqc.control.plan"].create(
            {
                "product_tmpl_id": self.plan.product_tmpl_id.id,
                "characteristic_ids": [
                    Command.create({"balloon": "9", "name": "Chamfer", "nominal": 1.0,
                                    "lower_limit": 0.8, "upper_limit": 1.2, "method_type": "lab"})
                ],
            }
        )  # fmt: skip
        chars = self.length | draft.characteristic_ids
        before = self.snapshot()
        for char in chars:
            for vals in ({"current_cpk": 5.0, "current_cpk_valid": True}, {"mqc_tightened": True}):
                self.assertRefused(
                    self.call(self.technician, "mqc.characteristic", "write", char.ids, vals)
                )
        self.assertEqual(self.snapshot(), before)
        self.env.invalidate_all()
        self.assertEqual(draft.characteristic_ids.current_cpk, 0.0)
        # What the technician may write on the draft is still written.
        ok, _result = self.call(
            self.technician, "mqc.characteristic", "write", draft.characteristic_ids.ids,
            {"name": "Chamfer 45°"},
        )  # fmt: skip
        self.assertTrue(ok)

    def test_metrologist_cannot_finish_an_empty_study(self):
        before = self.snapshot()
        self.assertRefused(
            self.call(self.metrologist, "mqc.gauge.study", "write", self.study.ids,
                      {"state": "done", "verdict": "acceptable", "done_date": "2020-01-01"}),
            name="odoo.exceptions.AccessError",
        )  # fmt: skip
        self.assertRefused(
            self.call(self.metrologist, "mqc.gauge.study", "action_done", self.study.ids),
            name="odoo.exceptions.UserError",
        )
        self.assertEqual(self.snapshot(), before)
        self.assertFalse(self.study.done_by_id)
        self.assertFalse(self.study.done_date)
