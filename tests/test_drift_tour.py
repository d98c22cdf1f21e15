from odoo import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDriftTour(HttpCase):
    """A value beyond 3 sigma of the frozen limits (10.000 +- 3 x 0.100) but within
    the tolerance (9 - 11) raises a drift on the tablet; the operator answers it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "mrp_quality_control.group_mqc_%s"
        cls.operator = new_test_user(cls.env, "mqc_drift_op", groups=groups % "operator")
        cls.technician = new_test_user(cls.env, "mqc_drift_tech", groups=groups % "technician")
        cls.supervisor = new_test_user(cls.env, "mqc_drift_sup", groups=groups % "manager")
        lathe = cls.env["mrp.workcenter"].create(
            {"name": "Drift lathe", "mqc_supervisor_id": cls.supervisor.id}
        )
        cls.product = cls.env["product.template"].create(
            {"name": "Drift shaft", "type": "consu", "is_storable": True}
        )
        cls.bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.product.id,
                "operation_ids": [
                    Command.create({"name": "10 Turning", "workcenter_id": lathe.id})
                ],
            }
        )
        common = {
            "operation_id": cls.bom.operation_ids.id,
            "method_type": "lab",
            "frequency_mode": "every_piece",
            "control_type": "self_inspection",
        }
        plan = cls.env["mqc.control.plan"].create(
            {
                "product_tmpl_id": cls.product.id,
                "bom_id": cls.bom.id,
                "characteristic_ids": [
                    Command.create(
                        dict(
                            common, balloon="1", name="Diameter", nominal=10.0,
                            limit_source="manual", lower_limit=9.0, upper_limit=11.0,
                            criticality="critical", reaction_drift="Check the offset",
                        )
                    ),
                    Command.create(
                        dict(common, balloon="2", name="Burr", result_type="attribute")
                    ),
                ],
            }
        )  # fmt: skip
        plan.with_user(cls.technician).action_submit()
        plan.with_user(cls.supervisor).action_approve()
        cls.diameter = plan.characteristic_ids.filtered(lambda c: c.balloon == "1")
        cls.env["mqc.spc.limit"].with_user(cls.technician).sudo().create(
            {"characteristic_id": cls.diameter.id, "kind": "imr", "center": 10.0,
             "sigma": 0.1, "reason": "Reference run"}
        )  # fmt: skip
        form = Form(cls.env["mrp.production"])
        form.product_id = cls.product.product_variant_id
        form.bom_id = cls.bom
        form.product_qty = 3
        cls.production = form.save()
        cls.production.action_confirm()
        cls.workorder = cls.production.workorder_ids
        cls.workorder.button_start()
        cls.env["mqc.tablet"].set_pieces_done(cls.workorder.id, 3)

    def test_drift_tour(self):
        self.start_tour(
            f"/odoo/mqc-tablet?workorder_id={self.workorder.id}",
            "mqc_drift_tour",
            login="mqc_drift_op",
        )
        event = self.env["mqc.drift.event"].search([("workorder_id", "=", self.workorder.id)])
        self.assertEqual(len(event), 1)
        self.assertEqual((event.state, event.rules, event.value), ("answered", "1", 10.5))
        self.assertEqual(event.cause_id, self.env.ref("mrp_quality_control.drift_cause_tool_wear"))
        self.assertEqual(event.action_id, self.env.ref("mrp_quality_control.drift_action_offset"))
        self.assertEqual(event.note, "Offset X -0.02")
        self.assertEqual(event.answered_by_id.login, "mqc_drift_op")
        # the supervisor was told, and the critical characteristic opened an alert
        self.assertEqual(event.supervisor_id, self.supervisor)
        self.assertEqual(event.alert_id.responsible_id, self.supervisor)
        self.assertFalse(event.activity_ids)  # done by the answer
        checks = self.production.mqc_check_ids.filtered(
            lambda c: c.characteristic_id == self.diameter
        )
        self.assertEqual(
            sorted((c.due_piece, c.state, c.current_measurement_id.value) for c in checks),
            [(1, "pass", 10.5), (2, "pass", 10.02), (3, "todo", 0.0)],
        )
        # the locked entry was never sent: two diameter values, one burr
        self.assertEqual(len(self.production.mqc_check_ids.measurement_ids), 3)
