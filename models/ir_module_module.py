from odoo import models
from odoo.exceptions import UserError

MODULE = "mrp_quality_control"
# An administrator who has archived the evidence elsewhere sets this system
# parameter to "True" to allow the uninstall anyway.
ALLOW_PARAM = "mrp_quality_control.uninstall_discards_measurements"


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def button_uninstall(self):
        """Uninstalling drops the tables of the add-on, and with them every
        recorded measurement (the evidence the add-on never lets anyone change
        or delete). Refused while measurements exist, whether the add-on is
        chosen or only depends on a chosen module. Refused here, before the
        state is saved: an uninstall_hook runs after the commit, in the
        registry reload, where an error would leave the module stuck
        'to remove'."""
        result = super().button_uninstall()
        ours = self.search([("name", "=", MODULE), ("state", "=", "to remove")])
        if ours and not self._mqc_uninstall_allowed():
            count = self.env["mqc.measurement"].sudo().search_count([])
            if count:
                raise UserError(
                    self.env._(
                        "MRP Quality Control cannot be uninstalled: it holds %(count)s "
                        "recorded measurements, evidence that uninstalling would delete. "
                        "Back up the database first; then set the system parameter "
                        "%(param)s to True to uninstall anyway.",
                        count=count,
                        param=ALLOW_PARAM,
                    )
                )
        return result

    def _mqc_uninstall_allowed(self):
        value = self.env["ir.config_parameter"].sudo().get_param(ALLOW_PARAM, "")
        return value.strip().lower() in ("1", "true", "yes")
