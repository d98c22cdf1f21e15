from .common import MqcCommon


class SpcCommon(MqcCommon):
    """A shaft plan with a critical measured characteristic (10 ± 1 mm, every
    piece) and a pass/fail one; a housing plan with a capability-driven one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.op_grinding.workcenter_id.mqc_supervisor_id = cls.manager
        lab = {
            "method_type": "lab",
            "gauge_family_id": False,
            "limit_source": "manual",
            "fit_designation": False,
            "nominal": 10.0,
            "lower_limit": 9.0,
            "upper_limit": 11.0,
        }
        cls.plan = cls.make_plan(
            [
                cls.char_vals(
                    balloon="1", name="Diameter", frequency_mode="every_piece",
                    criticality="critical", reaction_drift="Check the offset", **lab,
                ),
                cls.char_vals(
                    balloon="2", name="Burr", result_type="attribute",
                    frequency_mode="every_piece", **lab,
                ),
            ]
        )  # fmt: skip
        cls.approve_cls(cls.plan)
        cls.diameter = cls.plan.characteristic_ids.filtered(lambda c: c.balloon == "1")
        cls.burr = cls.plan.characteristic_ids.filtered(lambda c: c.balloon == "2")
        cls.housing_plan = cls.make_plan(
            [
                cls.char_vals(
                    balloon="1", name="Bore", operation_id=cls.op_boring.id,
                    frequency_mode="capability", reference_interval=20, relax_after=5,
                    criticality="major", **lab,
                )
            ],
            product_tmpl_id=cls.housing.id,
            bom_id=cls.housing_bom.id,
        )  # fmt: skip
        cls.approve_cls(cls.housing_plan)
        cls.bore = cls.housing_plan.characteristic_ids

    @classmethod
    def approve_cls(cls, plan):
        plan.with_user(cls.technician).action_submit()
        plan.with_user(cls.manager).action_approve()

    def report(self, production, pieces, operation=None):
        workorder = production.workorder_ids.filtered(
            lambda w: w.operation_id == (operation or self.op_grinding)
        )
        self.env["mqc.tablet"].with_user(self.operator).set_pieces_done(workorder.id, pieces)
        return workorder

    def todo(self, production, char):
        return production.mqc_check_ids.filtered(
            lambda c: c.characteristic_id == char and c.state == "todo"
        ).sorted("due_piece")

    def record(self, check, user=None, **payload):
        return self.env["mqc.tablet"].with_user(user or self.operator).record(check.id, payload)

    def record_values(self, values, char=None, production=None):
        """Records the values, in order, on every-piece checks of a new order."""
        char = char or self.diameter
        production = production or self.make_mo(len(values))
        self.report(production, len(values))
        answers = [
            self.record(check, value=value)
            for check, value in zip(self.todo(production, char), values, strict=True)
        ]
        return production, answers
