from . import test_characteristic_limits
from . import test_control_plan_workflow
from . import test_reports
from . import test_security
from . import test_checks
from . import test_gauges
from . import test_shift_notes
from . import test_machine_checklist
