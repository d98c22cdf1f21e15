import json

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCapabilityDashboardTour(HttpCase):
    """The capability dashboard in a browser, on the demo studies."""

    def demo_studies(self):
        seat_left = self.env.ref("mrp_quality_control.plan_shaft_b_char_1", False)
        if not seat_left:
            self.skipTest("demo data not installed")
        seat_right = self.env.ref("mrp_quality_control.plan_shaft_b_char_2")
        Study = self.env["mqc.capability.study"]
        left = Study.search([("characteristic_id", "=", seat_left.id), ("state", "=", "done")])
        right = Study.search([("characteristic_id", "=", seat_right.id), ("state", "=", "done")])
        return left, right

    def test_dashboard_data_from_the_capability_report_model(self):
        # The dashboard reads its data from the model of the capability PDF
        # (as the BoM overview of mrp does), not from the characteristics.
        left, right = self.demo_studies()
        report = self.env.ref("mrp_quality_control.action_report_capability_study")
        auditor = self.env.ref("mrp_quality_control.user_auditor_demo")
        data = self.env[f"report.{report.report_name}"].with_user(auditor).get_dashboard()
        self.assertEqual(json.loads(json.dumps(data)), data)  # the RPC answer as is
        lines = {line["study_id"]: line for line in data["lines"]}
        # Both seats are critical: held one band stricter than their Cpk alone
        # (1.90 is in [1.67, 2.00): band 3; 1.45 in [1.33, 1.67): band 2).
        for study, cpk_band, band, factor in ((left, 3, 2, 0.5), (right, 2, 1, 0.25)):
            line = lines[study.id]
            self.assertEqual(line["characteristic_id"], study.characteristic_id.id)
            self.assertAlmostEqual(line["cpk"], study.index_value, places=9)
            self.assertEqual(line["verdict"], study.verdict)
            self.assertEqual(
                (line["cpk_band"], line["band"], line["interval_factor"]), (cpk_band, band, factor)
            )
        self.assertEqual([band["factor"] for band in data["bands"]], [0.0, 0.25, 0.5, 1.0, 2.0])

    def test_dashboard_tour(self):
        left, right = self.demo_studies()
        # The demo values (normal quantiles in a fixed order) give these indices.
        self.assertEqual((round(left.cpk, 2), left.verdict), (1.90, "capable"))
        self.assertEqual((round(right.cpk, 2), right.verdict), (1.45, "not_capable"))
        auditor = self.env.ref("mrp_quality_control.user_auditor_demo")
        self.assertFalse(auditor.has_group("mrp_quality_control.group_mqc_operator"))
        self.start_tour("/odoo/mqc-capability", "mqc_capability_dashboard_tour", login="auditor")
