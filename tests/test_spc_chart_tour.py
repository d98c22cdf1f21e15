from odoo.tests import HttpCase, tagged

from .spc_common import SpcCommon
from .test_spc_chart import VALUES

CHART = "report.mrp_quality_control.report_spc_control_chart"

# The 20 values of test_spc_chart, then 10.9: with it, mean 211.5 / 21 =
# 10.071429, MR-bar 4.9 / 20 = 0.245, UCL = 10.071429 + 3 x 0.245 / 1.128 =
# 10.723021: 10.9 is beyond (Nelson 1). Excluded, the limits are those of the
# 20 values: centre 10.03, sigma 4.1 / 19 / 1.128 = 0.191303.
DRIFT = 10.9


@tagged("post_install", "-at_install")
class TestSpcChartTour(SpcCommon, HttpCase):
    """The control-chart screen in a browser: the red point and its rule, a
    point excluded with a cause, the limits frozen with a reason."""

    def test_chart_screen_tour(self):
        production, _answers = self.record_values(VALUES + [DRIFT])
        data = self.env[CHART].get_chart_data(self.diameter.id, {})
        self.assertEqual(data["violations"], [{"index": 20, "rules": ["1"]}])
        self.start_tour("/odoo/mqc-control-charts", "mqc_spc_chart_tour", login="mqc_tech")
        measurement = production.mqc_check_ids.filtered(
            lambda c: c.characteristic_id == self.diameter and c.due_piece == 21
        ).current_measurement_id
        exclusion = self.env["mqc.spc.exclusion"].search(
            [("characteristic_id", "=", self.diameter.id)]
        )
        self.assertEqual(exclusion.measurement_id, measurement)
        self.assertEqual(exclusion.reason, "Chip under the anvil")
        self.assertEqual(exclusion.user_id, self.technician)
        limit = self.env["mqc.spc.limit"].search([("characteristic_id", "=", self.diameter.id)])
        self.assertEqual(len(limit), 1)
        self.assertEqual(limit.reason, "Stable process after the chip was removed")
        self.assertEqual((limit.kind, limit.n_points), ("imr", 20))
        self.assertAlmostEqual(limit.center, 10.03, places=6)
        self.assertAlmostEqual(limit.sigma, 4.1 / 19 / 1.128, places=6)
        self.assertEqual(measurement.value, DRIFT)

        # The operator sees the same chart, read-only.
        self.start_tour(
            f"/odoo/action-mrp_quality_control.mqc_spc_chart_action"
            f"?characteristic_id={self.diameter.id}",
            "mqc_spc_chart_readonly_tour",
            login="mqc_op",
        )

        # The tablet's compact chart of the same characteristic.
        workorder = production.workorder_ids.filtered(lambda w: w.operation_id == self.op_grinding)
        self.start_tour(
            f"/odoo/mqc-tablet?workorder_id={workorder.id}",
            "mqc_spc_chart_tablet_tour",
            login="mqc_op",
        )
