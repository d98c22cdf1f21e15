from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCapabilityDashboardTour(HttpCase):
    """The capability dashboard in a browser, on the demo studies."""

    def test_dashboard_tour(self):
        seat_left = self.env.ref("mrp_quality_control.plan_shaft_b_char_1", False)
        if not seat_left:
            self.skipTest("demo data not installed")
        seat_right = self.env.ref("mrp_quality_control.plan_shaft_b_char_2")
        Study = self.env["mqc.capability.study"]
        left = Study.search([("characteristic_id", "=", seat_left.id), ("state", "=", "done")])
        right = Study.search([("characteristic_id", "=", seat_right.id), ("state", "=", "done")])
        # The demo values (normal quantiles in a fixed order) give these indices.
        self.assertEqual((round(left.cpk, 2), left.verdict), (1.90, "capable"))
        self.assertEqual((round(right.cpk, 2), right.verdict), (1.45, "not_capable"))
        auditor = self.env.ref("mrp_quality_control.user_auditor_demo")
        self.assertFalse(auditor.has_group("mrp_quality_control.group_mqc_operator"))
        self.start_tour("/odoo/mqc-capability", "mqc_capability_dashboard_tour", login="auditor")
