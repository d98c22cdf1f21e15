# Odoo always imports the add-on as odoo.addons.mrp_quality_control. The engine
# packages (spc/, metrology/) live in the same tree and their plain-pytest tests
# make pytest import this file under another name: then there is no Odoo to load.
if __name__.startswith("odoo.addons."):
    from . import controllers, models, report, wizards
