from . import control_plan_xlsx
