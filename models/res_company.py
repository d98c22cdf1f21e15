from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    mqc_target_critical = fields.Float("Cpk Target: Critical", default=1.67, digits=(16, 2))
    mqc_target_major = fields.Float("Cpk Target: Major", default=1.33, digits=(16, 2))
    mqc_target_minor = fields.Float("Cpk Target: Minor", default=1.00, digits=(16, 2))
    mqc_target_machine = fields.Float("Cmk Target: Machine", default=1.67, digits=(16, 2))
