from . import mqc_gauge_family
from . import mqc_control_plan
from . import mqc_characteristic
from . import product_template
from . import mrp_routing_workcenter
