from odoo import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTabletTour(HttpCase):
    """The shop-floor tablet in a browser: first piece, values, disposition, alert, finish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "mrp_quality_control.group_mqc_%s"
        # The tour only relies on CSS classes and figures: it runs in any language.
        cls.technician = new_test_user(cls.env, "mqc_tab_tech", groups=groups % "technician")
        cls.supervisor = new_test_user(cls.env, "mqc_tab_sup", groups=groups % "manager")
        lathe = cls.env["mrp.workcenter"].create(
            {"name": "Tablet lathe", "mqc_supervisor_id": cls.supervisor.id}
        )
        cls.product = cls.env["product.template"].create(
            {"name": "Tablet shaft", "type": "consu", "is_storable": True}
        )
        cls.bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.product.id,
                "operation_ids": [
                    Command.create({"name": "10 Turning", "workcenter_id": lathe.id})
                ],
            }
        )
        operation = cls.bom.operation_ids
        common = {"operation_id": operation.id, "method_type": "lab"}
        cls.plan = cls.env["mqc.control.plan"].create(
            {
                "product_tmpl_id": cls.product.id,
                "bom_id": cls.bom.id,
                "characteristic_ids": [
                    Command.create(
                        dict(
                            common,
                            balloon="1",
                            name="Bearing seat",
                            nominal=20.0,
                            limit_source="iso286",
                            fit_designation="h7",
                            control_type="first_piece",
                        )
                    ),
                    Command.create(
                        dict(
                            common,
                            balloon="2",
                            name="Length",
                            nominal=45.0,
                            limit_source="manual",
                            lower_limit=44.9,
                            upper_limit=45.1,
                            control_type="self_inspection",
                            frequency_mode="every_piece",
                        )
                    ),
                ],
            }
        )
        cls.plan.with_user(cls.technician).action_submit()
        cls.plan.with_user(cls.supervisor).action_approve()
        form = Form(cls.env["mrp.production"])
        form.product_id = cls.product.product_variant_id
        form.bom_id = cls.bom
        form.product_qty = 2
        cls.production = form.save()
        cls.production.action_confirm()
        cls.workorder = cls.production.workorder_ids
        cls.workorder.button_start()

    def test_tablet_tour(self):
        self.assertEqual(self.workorder.state, "progress")
        self.start_tour(
            f"/odoo/mrp.workorder/{self.workorder.id}", "mqc_tablet_tour", login="mqc_tab_tech"
        )
        checks = self.production.mqc_check_ids
        self.assertEqual(
            sorted((c.balloon, c.due_piece, c.state) for c in checks),
            [("1", 1, "pass"), ("2", 1, "fail"), ("2", 2, "pass")],
        )
        self.assertEqual(sorted(checks.measurement_ids.mapped("value")), [19.99, 45.02, 45.3])
        self.assertTrue(all(checks.measurement_ids.mapped("client_uid")))
        self.assertEqual(self.workorder.mqc_pieces_done, 2)
        first = checks.filtered("is_first_piece")
        self.assertEqual(first.first_piece_approved_by_id, self.technician)
        failed = checks.filtered(lambda c: c.state == "fail")
        self.assertEqual(failed.disposition, "scrap")
        self.assertEqual(failed.disposition_note, "Length over the limit, part scrapped")
        # The alert reached the supervisor: a to-do activity and a message to them.
        alert = failed.alert_id
        self.assertEqual(alert.state, "new")
        self.assertEqual(alert.responsible_id, self.supervisor)
        self.assertEqual(alert.activity_ids.user_id, self.supervisor)
        self.assertTrue(
            alert.message_ids.filtered(lambda m: self.supervisor.partner_id in m.partner_ids)
        )
        self.assertTrue(
            self.production.message_ids.filtered(lambda m: alert.name in (m.body or ""))
        )
        self.assertTrue(
            self.production.message_ids.filtered(
                lambda m: "Insert replaced after the length drift" in (m.body or "")
            )
        )

        # The supervisor reopens the tablet from its URL (reload-safe), acknowledges, finishes.
        self.start_tour(
            f"/odoo/mqc-tablet?workorder_id={self.workorder.id}",
            "mqc_tablet_supervisor_tour",
            login="mqc_tab_sup",
        )
        self.assertEqual(alert.state, "acknowledged")
        self.assertEqual(alert.acknowledged_by_id, self.supervisor)
        self.assertFalse(alert.activity_ids)
        self.assertEqual(self.workorder.state, "done")
        # Every check is passed or has a disposition: the order itself can finish.
        self.production.button_mark_done()
        self.assertEqual(self.production.state, "done")


@tagged("post_install", "-at_install")
class TestTabletUnitJs(HttpCase):
    """Hoot unit tests of the tablet helpers (number parsing, verdict, offline queue)."""

    def test_tablet_helpers(self):
        self.browser_js(
            "/web/tests?headless&loglevel=2&preset=desktop&timeout=15000"
            "&filter=%40mrp_quality_control",
            "",
            "",
            login="admin",
            timeout=600,
            success_signal="[HOOT] test suite succeeded",
        )
