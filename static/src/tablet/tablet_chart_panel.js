/** @odoo-module **/

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { MqcControlChart, chartKindLabel } from "../spc_chart/control_chart";

/**
 * Shop-floor tablet: the control chart of the selected measured check, big and
 * without filters (the characteristic's default chart, latest points).
 */
export class MqcTabletChartPanel extends Component {
    static template = "mrp_quality_control.TabletChartPanel";
    static components = { MqcControlChart };
    static props = { check: Object, onClose: Function };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ data: null, error: false });
        onWillStart(async () => {
            try {
                // Through the tablet's door: the latest points, limits from the whole history.
                this.state.data = await this.orm.call("mqc.tablet", "chart", [this.props.check.characteristic_id]);
            } catch {
                this.state.error = true;
            }
        });
    }

    get subtitle() {
        const data = this.state.data;
        if (!data) {
            return "";
        }
        const parts = [chartKindLabel(data.kind)];
        if (data.phase) {
            parts.push(data.phase === "II" ? _t("frozen limits") : _t("limits from the data"));
        }
        const shown = (data.points.value || []).length;
        if (shown) {
            parts.push(_t("latest %(count)s points", { count: shown }));
        }
        return parts.join(" · ");
    }
}
