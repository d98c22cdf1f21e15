from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import MqcCommon


@tagged("post_install", "-at_install")
class TestRoles(MqcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.make_plan()

    def test_operator_reads_but_does_not_write_plans(self):
        plan = self.plan.with_user(self.operator)
        self.assertEqual(plan.characteristic_ids.fit_designation, "h7")
        with self.assertRaises(AccessError):
            plan.write({"drawing_reference": "X"})
        with self.assertRaises(AccessError):
            self.make_plan(user=self.operator)
        with self.assertRaises(AccessError):
            plan.characteristic_ids.write({"name": "X"})

    def test_auditor_is_read_only_but_can_export(self):
        plan = self.plan.with_user(self.auditor)
        self.assertTrue(plan.characteristic_ids.tolerance_display)
        for action in (
            lambda: plan.write({"drawing_reference": "X"}),
            lambda: plan.unlink(),
            lambda: self.make_plan(user=self.auditor),
            lambda: (
                self.env["mqc.gauge.family"]
                .with_user(self.auditor)
                .create({"name": "Laser", "code": "LAS"})
            ),
        ):
            with self.assertRaises(AccessError):
                action()
        content = (
            self.env["report.mrp_quality_control.control_plan_xlsx"]
            .with_user(self.auditor)
            .render(plan)
        )
        self.assertEqual(content[:2], b"PK")

    def test_technician_writes_plans_but_does_not_approve(self):
        plan = self.make_plan(user=self.technician)
        plan.write({"drawing_reference": "DWG-2"})
        plan.action_submit()
        with self.assertRaises(AccessError):
            plan.action_approve()
        with self.assertRaises(AccessError):
            self.env["mqc.gauge.family"].with_user(self.technician).create(
                {"name": "Laser", "code": "LAS"}
            )

    def test_metrologist_keeps_gauge_families_not_plans(self):
        family = (
            self.env["mqc.gauge.family"]
            .with_user(self.metrologist)
            .create({"name": "Laser scan micrometer", "code": "LSM", "category": "instrument"})
        )
        self.assertEqual(family.code, "LSM")
        with self.assertRaises(AccessError):
            self.plan.with_user(self.metrologist).write({"drawing_reference": "X"})

    def test_manager_has_every_role(self):
        manager = self.manager
        for role in ("operator", "technician", "metrologist", "auditor"):
            self.assertTrue(manager.has_group(f"mrp_quality_control.group_mqc_{role}"))
        self.plan.with_user(manager).action_submit()
        self.plan.with_user(manager).action_approve()
        self.assertEqual(self.plan.state, "approved")

    def test_plans_of_another_company_are_invisible(self):
        other_company = self.env["res.company"].create({"name": "Other plant"})
        outsider = new_test_user(
            self.env,
            "mqc_outsider",
            groups="mrp_quality_control.group_mqc_manager",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        Plan = self.env["mqc.control.plan"].with_user(outsider)
        self.assertFalse(Plan.search([("id", "=", self.plan.id)]))
        with self.assertRaises(AccessError):
            Plan.browse(self.plan.id).read(["code"])
        with self.assertRaises(AccessError):
            self.env["mqc.characteristic"].with_user(outsider).browse(
                self.plan.characteristic_ids.id
            ).read(["name"])
