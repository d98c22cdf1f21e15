from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..models.mqc_control_plan import next_revision
from .common import MqcCommon


@tagged("post_install", "-at_install")
class TestControlPlanWorkflow(MqcCommon):
    def flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def tracked_states(self, plan):
        values = plan.sudo().message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "state"
        )
        return sorted((v.old_value_char, v.new_value_char) for v in values)

    def test_revision_letters_skip_ambiguous_ones(self):
        self.assertEqual(next_revision("A"), "B")
        self.assertEqual(next_revision("H"), "J")  # no I
        self.assertEqual(next_revision("N"), "P")  # no O
        self.assertEqual(next_revision("Y"), "AA")
        self.assertEqual(next_revision("AY"), "BA")

    def test_draft_submit_approve_is_tracked(self):
        plan = self.make_plan(user=self.technician)
        self.flush_tracking()  # creation and submission are two transactions in real use
        self.assertEqual((plan.code[:2], plan.revision, plan.state), ("PC", "A", "draft"))
        plan.with_user(self.technician).action_submit()
        self.flush_tracking()
        with self.assertRaises(AccessError):
            plan.with_user(self.technician).action_approve()
        plan.with_user(self.manager).action_approve()
        self.flush_tracking()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, self.manager)
        self.assertTrue(plan.approval_date)
        self.assertEqual(
            self.tracked_states(plan),
            [("Draft", "To Approve"), ("To Approve", "Approved")],
        )

    def test_cannot_submit_empty_plan_nor_write_state_directly(self):
        plan = self.make_plan(chars=[])
        with self.assertRaisesRegex(UserError, "no characteristic"):
            plan.action_submit()
        with self.assertRaises(UserError):
            plan.with_user(self.technician).write({"state": "approved"})
        self.assertEqual(plan.state, "draft")

    def test_approved_revision_is_locked(self):
        plan = self.approve(self.make_plan())
        char = plan.characteristic_ids
        with self.assertRaisesRegex(UserError, "cannot be modified"):
            plan.with_user(self.technician).write({"drawing_revision": "Z"})
        with self.assertRaisesRegex(UserError, "cannot be modified"):
            char.with_user(self.technician).write({"upper_limit": 20.5})
        with self.assertRaisesRegex(UserError, "cannot be modified"):
            self.env["mqc.characteristic"].create(
                dict(self.char_vals(balloon="2"), plan_id=plan.id)
            )
        with self.assertRaises(UserError):
            char.unlink()
        with self.assertRaises(UserError):
            plan.unlink()
        self.assertAlmostEqual(char.upper_limit, 20.0)
        # Chatter messages are still allowed on a locked revision.
        plan.message_post(body="Reviewed during the audit")

    def test_new_revision_obsoletes_the_previous_on_approval(self):
        rev_a = self.approve(self.make_plan(drawing_reference="DWG-1"))
        wizard = Form(
            self.env["mqc.control.plan.revise"]
            .with_user(self.technician)
            .with_context(default_plan_id=rev_a.id)
        )
        wizard.reason = "Drawing ind. B: bearing seat now h6"
        action = wizard.save().action_confirm()
        rev_b = self.env["mqc.control.plan"].browse(action["res_id"])
        self.assertEqual((rev_b.code, rev_b.revision, rev_b.state), (rev_a.code, "B", "draft"))
        self.assertEqual(rev_b.previous_revision_id, rev_a)
        self.assertEqual(rev_b.change_reason, "Drawing ind. B: bearing seat now h6")
        self.assertEqual(rev_b.drawing_reference, "DWG-1")
        self.assertEqual(len(rev_b.characteristic_ids), 1)
        self.assertNotEqual(rev_b.characteristic_ids, rev_a.characteristic_ids)
        # The copy is editable, the original is untouched.
        rev_b.characteristic_ids.fit_designation = "h6"
        self.env["mqc.characteristic"].create(
            dict(self.char_vals(balloon="7", name="Run-out"), plan_id=rev_b.id)
        )
        self.assertAlmostEqual(rev_a.characteristic_ids.lower_limit, 19.979)
        summary = rev_b.change_summary
        self.assertIn("Since revision A", summary)
        self.assertIn("ISO 286 Fit: h7 → h6", summary)
        self.assertIn("Lower Limit: 19.979 → 19.987", summary)
        self.assertIn("Added 7 Run-out", summary)
        # A second draft revision of the same plan is refused.
        with self.assertRaisesRegex(UserError, "already being prepared"):
            rev_a._create_revision("another change")
        self.approve(rev_b)
        self.assertEqual(rev_a.state, "obsolete")
        self.assertEqual(rev_b.state, "approved")
        self.assertTrue(rev_a.obsolete_date)
        self.assertEqual(
            self.env["mqc.control.plan"].search_count(
                [("product_tmpl_id", "=", self.shaft.id), ("state", "=", "approved")]
            ),
            1,
        )
        self.assertEqual(self.shaft.mqc_approved_plan_id, rev_b)

    def test_revision_needs_a_reason(self):
        rev_a = self.approve(self.make_plan())
        with self.assertRaisesRegex(ValidationError, "Reason for Change"):
            rev_a._create_revision("   ")

    def test_only_one_approved_revision_per_product_and_company(self):
        self.approve(self.make_plan())
        other = self.make_plan()
        other.action_submit()
        with self.assertRaisesRegex(ValidationError, "already has an approved control plan"):
            other.sudo().write({"state": "approved"})
        # A plan for another product is independent.
        housing_plan = self.make_plan(
            [self.char_vals(operation_id=self.op_boring.id, nominal=32, fit_designation="H7")],
            product_tmpl_id=self.housing.id,
            bom_id=self.housing_bom.id,
        )
        self.approve(housing_plan)
        self.assertEqual(housing_plan.state, "approved")

    def test_variant_must_belong_to_the_product(self):
        with self.assertRaisesRegex(ValidationError, "Product Variant"):
            self.make_plan(product_id=self.housing.product_variant_id.id)

    def test_operation_shows_characteristics_of_the_approved_plan_only(self):
        draft = self.make_plan()
        self.assertFalse(self.op_grinding.mqc_characteristic_ids)
        self.approve(draft)
        self.op_grinding.invalidate_recordset()
        self.assertEqual(self.op_grinding.mqc_characteristic_ids, draft.characteristic_ids)
        self.assertEqual(self.op_grinding.mqc_characteristic_count, 1)
        self.assertEqual(self.shaft.mqc_plan_count, 1)
