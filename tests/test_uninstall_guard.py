from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MqcCommon


@tagged("post_install", "-at_install")
class TestUninstallGuard(MqcCommon):
    """Uninstalling drops the measurement table: refused while measurements
    exist, unless the administrator says the evidence is archived elsewhere."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.module = cls.env.ref("base.module_mrp_quality_control")
        lab = {"method_type": "lab", "gauge_family_id": False, "control_type": "first_piece"}
        plan = cls.make_plan([cls.char_vals(**lab)])
        plan.with_user(cls.technician).action_submit()
        plan.with_user(cls.manager).action_approve()

    def record_one(self):
        production = self.make_mo(5)
        check = production.mqc_check_ids[:1]
        answer = (
            self.env["mqc.tablet"].with_user(self.operator).record(check.id, {"value": 19.99})
        )
        self.assertEqual(answer["status"], "ok")

    def test_uninstall_refused_while_measurements_exist(self):
        self.record_one()
        count = self.env["mqc.measurement"].search_count([])
        with self.assertRaises(UserError) as caught:
            self.module.button_uninstall()
        self.assertIn(f"{count} recorded measurements", str(caught.exception))
        # Uninstalling a module the add-on depends on would drop it too.
        with self.assertRaises(UserError):
            self.env.ref("base.module_mrp").button_uninstall()

    def test_uninstall_allowed_when_told_the_evidence_is_archived(self):
        self.record_one()
        self.env["ir.config_parameter"].set_param(
            "mrp_quality_control.uninstall_discards_measurements", "True"
        )
        # Only marked for removal: the transaction is rolled back after the test.
        self.module.button_uninstall()
        self.assertEqual(self.module.state, "to remove")
