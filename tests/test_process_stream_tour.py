from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestProcessStreamTour(HttpCase):
    def test_process_stream_tour(self):
        """The process stream screens of the demo, in the browser."""
        stream = self.env["mqc.spc.stream"].search([("plan_code", "=", "PC00101"),
                                                     ("balloon", "=", "1")])  # fmt: skip
        self.assertEqual(len(stream.characteristic_ids), 2)
        self.assertEqual(set(stream.characteristic_ids.plan_id.mapped("revision")), {"A", "B"})
        self.assertGreater(stream.measurement_count, 0)
        self.start_tour("/odoo/mqc-process-streams", "mqc_process_stream_tour", login="technician")
