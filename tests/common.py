from odoo import Command
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user


class MqcCommon(TransactionCase):
    """A shaft with a two-operation routing, a housing with its own, and a user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        lathe = cls.env["mrp.workcenter"].create({"name": "Test lathe"})
        cls.shaft = cls.env["product.template"].create(
            {"name": "Test shaft", "type": "consu", "is_storable": True}
        )
        cls.housing = cls.env["product.template"].create(
            {"name": "Test housing", "type": "consu", "is_storable": True}
        )
        cls.shaft_bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.shaft.id,
                "operation_ids": [
                    Command.create({"name": "10 Turning", "workcenter_id": lathe.id}),
                    Command.create({"name": "40 Grinding", "workcenter_id": lathe.id}),
                ],
            }
        )
        cls.housing_bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.housing.id,
                "operation_ids": [Command.create({"name": "20 Boring", "workcenter_id": lathe.id})],
            }
        )
        cls.op_turning, cls.op_grinding = cls.shaft_bom.operation_ids
        cls.op_boring = cls.housing_bom.operation_ids
        cls.micrometer = cls.env.ref("mrp_quality_control.gauge_family_mic")
        groups = "mrp_quality_control.group_mqc_%s"
        cls.operator = new_test_user(cls.env, "mqc_op", groups=groups % "operator")
        cls.technician = new_test_user(cls.env, "mqc_tech", groups=groups % "technician")
        cls.metrologist = new_test_user(cls.env, "mqc_metro", groups=groups % "metrologist")
        cls.manager = new_test_user(cls.env, "mqc_mgr", groups=groups % "manager")
        cls.auditor = new_test_user(cls.env, "mqc_aud", groups=groups % "auditor")

    @classmethod
    def load_french(cls):
        """French active, with the add-on's French terms: a database made by
        Odoo's test runner (or OCA's CI) may hold English only."""
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["mrp_quality_control"], ["fr_FR"])
        # The terms are written in SQL: records read before show the new ones.
        cls.env.invalidate_all()

    def assert_renders_pdf(self, report, res_ids):
        """The real PDF, by wkhtmltopdf. wkhtmltopdf fetches the report's
        assets over HTTP: only an HttpCase has a server that answers with the
        test's cursor (under Odoo's runner, a TransactionCase's request is
        never answered and wkhtmltopdf waits forever)."""
        self.assertIsInstance(self, HttpCase, "render a PDF in an HttpCase")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, res_ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf

    @classmethod
    def char_vals(cls, **vals):
        base = {
            "balloon": "1",
            "name": "Bearing seat",
            "nominal": 20.0,
            "limit_source": "iso286",
            "fit_designation": "h7",
            "operation_id": cls.op_grinding.id,
            "method_type": "gauge",
            "gauge_family_id": cls.micrometer.id,
            "frequency_mode": "every_n",
            "frequency_n": 5,
        }
        base.update(vals)
        return base

    @classmethod
    def make_plan(cls, chars=None, user=None, **vals):
        env = cls.env(user=user) if user else cls.env
        values = {"product_tmpl_id": cls.shaft.id, "bom_id": cls.shaft_bom.id}
        values.update(vals)
        values["characteristic_ids"] = [
            Command.create(c) for c in (chars if chars is not None else [cls.char_vals()])
        ]
        return env["mqc.control.plan"].create(values)

    def approve(self, plan):
        plan.with_user(self.technician).action_submit()
        plan.with_user(self.manager).action_approve()
        return plan

    def make_mo(self, qty=10, template=None):
        """A confirmed manufacturing order of the shaft (or the housing)."""
        template = template or self.shaft
        form = Form(self.env["mrp.production"])
        form.product_id = template.product_variant_id
        form.bom_id = self.housing_bom if template == self.housing else self.shaft_bom
        form.product_qty = qty
        production = form.save()
        production.action_confirm()
        return production
