from odoo import api, fields, models

from ..tools import client_input

CHECKLIST_CATEGORIES = [
    ("levels", "Levels"),
    ("safety", "Safety Devices"),
    ("lighting", "Lighting"),
    ("noise_vibration", "Noise and Vibration"),
    ("coolant", "Coolant Concentration"),
    ("other", "Other"),
]


class MqcChecklistItem(models.Model):
    """One point of the first-level maintenance checklist a setter or an
    operator goes through at shift start. Without a work centre, the item
    applies to every machine."""

    _name = "mqc.checklist.item"
    _description = "Machine Checklist Item"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char("Check", required=True, translate=True)
    sequence = fields.Integer(default=10)
    category = fields.Selection(CHECKLIST_CATEGORIES, required=True, default="other")
    expected = fields.Char(
        translate=True,
        help="What a correct result looks like, e.g. 'between 5 and 8 % on the refractometer'.",
    )
    workcenter_id = fields.Many2one(
        "mrp.workcenter",
        "Work Centre",
        check_company=True,
        index=True,
        help="Leave empty for an item checked on every work centre.",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        help="That of the work centre; leave empty to share a global item between companies.",
    )
    active = fields.Boolean(default=True)

    _check_mqc_text_lengths = client_input.max_lengths(
        name=client_input.CHAR_MAX,
        expected=client_input.CHAR_MAX,
    )

    @api.depends("workcenter_id")
    def _compute_company_id(self):
        for item in self:
            if item.workcenter_id:
                item.company_id = item.workcenter_id.company_id

    def _mqc_items_for(self, workcenter):
        """The active items of ``workcenter`` and the global ones, in order."""
        return self.search(
            [
                ("workcenter_id", "in", [workcenter.id, False]),
                ("company_id", "in", [workcenter.company_id.id or self.env.company.id, False]),
            ]
        )
