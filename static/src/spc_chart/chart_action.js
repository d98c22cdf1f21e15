/** @odoo-module **/

import { Component, onWillStart, useState, useSubEnv } from "@odoo/owl";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { Dialog } from "@web/core/dialog/dialog";
import { serializeDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { getDefaultConfig } from "@web/views/view";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { CHART_REPORT, formatNumber, resolutionOf } from "./chart_geometry";
import { MqcControlChart, chartKindLabel, valueDecimals } from "./control_chart";

const { DateTime } = luxon;

/** Points asked for an individuals chart; its limits still use the whole selection. */
export const MAX_POINTS = 500;

const MEASURED = ["imr", "xbar_r", "xbar_s", "ewma", "cusum"];

/** Asks for a mandatory text (reason to freeze limits). */
export class MqcReasonDialog extends Component {
    static template = "mrp_quality_control.ReasonDialog";
    static components = { Dialog };
    static props = {
        close: Function,
        title: String,
        body: { type: String, optional: true },
        label: String,
        confirmLabel: String,
        suggestions: { type: Array, optional: true },
        onConfirm: Function,
    };

    setup() {
        this.state = useState({ text: "", busy: false });
    }

    async confirm() {
        if (!this.state.text.trim()) {
            return;
        }
        this.state.busy = true;
        try {
            await this.props.onConfirm(this.state.text.trim());
            this.props.close();
        } finally {
            this.state.busy = false;
        }
    }
}

/**
 * The control-chart screen of one characteristic (client action
 * ``mrp_quality_control.spc_chart``, context / params ``characteristic_id``):
 * filters, chart, limits frozen or recomputed and points excluded by the
 * quality technicians; read-only for the others.
 */
export class MqcSpcChartAction extends Component {
    static template = "mrp_quality_control.SpcChartAction";
    static components = { Layout, MqcControlChart };
    static props = { ...standardActionServiceProps };

    setup() {
        useSubEnv({ config: { ...getDefaultConfig(), ...this.env.config } });
        useSetupAction();
        this.orm = useService("orm");
        this.dialog = useService("dialog");
        this.notification = useService("notification");
        this.action = useService("action");
        this.characteristicId = this._initialId();
        this.state = useState({
            loading: true,
            characteristic: null,
            options: null,
            filters: { ...this._emptyFilters(), ...this._initialFilters() },
            data: null,
            limit: null,
            selected: null,
            cause: "",
            busy: false,
        });
        onWillStart(async () => {
            if (!this.characteristicId) {
                this.state.loading = false;
                return;
            }
            const [characteristic] = await this.orm.read(
                "mqc.characteristic",
                [this.characteristicId],
                ["balloon", "name", "unit", "tolerance_display", "criticality", "result_type", "product_tmpl_id", "plan_id"]
            );
            this.state.characteristic = characteristic;
            // Breadcrumbs: "Control Chart: 1 Bearing seat diameter".
            this.env.config.setDisplayName?.(
                _t("Control Chart: %(balloon)s %(name)s", {
                    balloon: characteristic.balloon,
                    name: characteristic.name,
                })
            );
            this.state.options = await this.orm.call(CHART_REPORT, "get_filter_options", [
                this.characteristicId,
            ]);
            if (this.props.updateActionState) {
                this.props.updateActionState({ characteristic_id: this.characteristicId });
            }
            await this.load();
            this.state.loading = false;
        });
    }

    _initialId() {
        const action = this.props.action || {};
        const context = action.context || {};
        const params = action.params || {};
        const raw =
            params.characteristic_id ||
            context.characteristic_id ||
            (context.params && context.params.characteristic_id) ||
            (context.active_model === "mqc.characteristic" && context.active_id);
        const id = parseInt(raw, 10);
        return Number.isFinite(id) && id > 0 ? id : false;
    }

    /** A chart kind and subgroup size may come with the action (a link, the URL). */
    _initialFilters() {
        const action = this.props.action || {};
        const context = action.context || {};
        const source = { ...context, ...(context.params || {}), ...(action.params || {}) };
        const out = {};
        if (typeof source.kind === "string" && /^[a-z_]+$/.test(source.kind)) {
            out.kind = source.kind;
        }
        const size = parseInt(source.subgroup_size, 10);
        if (size > 1) {
            out.subgroup_size = size;
        }
        return out;
    }

    _emptyFilters() {
        return {
            product_id: "",
            operation_id: "",
            workcenter_id: "",
            lot_id: "",
            plan_id: "",
            date_from: "",
            date_to: "",
            subgroup_size: 1,
            kind: "",
        };
    }

    /** The filters as the server reads them (empty ones left out). */
    get serverFilters() {
        const f = this.state.filters;
        const out = {};
        for (const key of ["product_id", "operation_id", "workcenter_id", "lot_id", "plan_id"]) {
            if (f[key]) {
                out[key] = parseInt(f[key], 10);
            }
        }
        if (f.date_from) {
            out.date_from = serializeDateTime(DateTime.fromISO(f.date_from).startOf("day"));
        }
        if (f.date_to) {
            out.date_to = serializeDateTime(DateTime.fromISO(f.date_to).endOf("day"));
        }
        if (this.isMeasured) {
            const size = parseInt(f.subgroup_size, 10);
            if (size > 1) {
                out.subgroup_size = Math.min(size, 50);
            }
        }
        if (f.kind) {
            out.kind = f.kind;
        }
        return out;
    }

    async load() {
        const filters = { ...this.serverFilters, max_points: MAX_POINTS };
        const data = await this.orm.call(CHART_REPORT, "get_chart_data", [this.characteristicId, filters]);
        this.state.data = data;
        this.state.selected = null;
        this.state.cause = "";
        this.state.limit = null;
        if (data.limit_id) {
            const [limit] = await this.orm.read("mqc.spc.limit", [data.limit_id], ["date", "user_id", "reason", "n_points"]);
            this.state.limit = limit || null;
        }
    }

    // ------------------------------------------------------------------
    // Display
    // ------------------------------------------------------------------

    get isMeasured() {
        return this.state.characteristic?.result_type === "measure";
    }

    get canEdit() {
        return Boolean(this.state.options?.can_edit);
    }

    get kindLabel() {
        return this.state.data ? chartKindLabel(this.state.data.kind) : "";
    }

    get phaseLabel() {
        const data = this.state.data;
        if (!data || !data.phase) {
            return "";
        }
        return data.phase === "II"
            ? _t("Phase II: frozen limits")
            : _t("Phase I: limits estimated from these points");
    }

    get countLabel() {
        const data = this.state.data;
        if (!data) {
            return "";
        }
        const shown = (data.points.value || []).length;
        const label = _t("%(count)s measurements", { count: data.n_measurements });
        if (data.kind === "imr" && shown && shown < data.n_measurements) {
            return label + " · " + _t("latest %(shown)s shown", { shown });
        }
        return label;
    }

    get limitLabel() {
        const limit = this.state.limit;
        if (!limit) {
            return "";
        }
        return _t("Frozen on %(date)s by %(user)s: %(reason)s", {
            date: limit.date ? DateTime.fromSQL(limit.date, { zone: "utc" }).toLocal().toLocaleString(DateTime.DATE_SHORT) : "",
            user: limit.user_id ? limit.user_id[1] : "",
            reason: limit.reason,
        });
    }

    get stats() {
        const data = this.state.data;
        if (!data || !data.center.length) {
            return [];
        }
        const last = (list) => list[list.length - 1];
        const decimals = this.decimals;
        const stats = [];
        if (data.kind !== "cusum") {
            stats.push({ key: "center", label: _t("Centre"), value: formatNumber(last(data.center), decimals) });
        }
        stats.push({ key: "ucl", label: _t("UCL"), value: formatNumber(last(data.ucl), decimals) });
        stats.push({ key: "lcl", label: _t("LCL"), value: formatNumber(last(data.lcl), decimals) });
        if (MEASURED.includes(data.kind) && data.sigma) {
            stats.push({ key: "sigma", label: _t("σ (within)"), value: formatNumber(data.sigma, decimals + 1) });
        }
        const flagged = (data.violations || []).length;
        stats.push({ key: "flagged", label: _t("Points out of control"), value: String(flagged), alert: flagged > 0 });
        return stats;
    }

    /** Decimals of the limits: one more than the measurements' resolution, 3 to 6. */
    get decimals() {
        const data = this.state.data;
        if (!data || ["p", "np", "c", "u"].includes(data.kind)) {
            return 4;
        }
        return Math.min(5, Math.max(3, resolutionOf(data.points.value || []) + 1));
    }

    get kindChoices() {
        return this.state.options ? this.state.options.kinds : [];
    }

    get selectedPoint() {
        const data = this.state.data;
        const index = this.state.selected;
        if (!data || index === null || index === undefined) {
            return null;
        }
        const points = data.points;
        const violation = (data.violations || []).find((v) => v.index === index);
        const production = points.production_id?.[index];
        const lot = points.lot_id?.[index];
        const time = points.time?.[index];
        const ids = points.measurement_ids?.[index];
        return {
            index,
            number: index + 1,
            value: formatNumber(points.value[index], valueDecimals(data)),
            unit: MEASURED.includes(data.kind) && data.kind !== "cusum" ? data.unit : "",
            date: typeof time === "number" ? DateTime.fromMillis(time).toLocaleString(DateTime.DATETIME_SHORT) : "",
            production: production ? data.productions[String(production)] || String(production) : "",
            lot: lot ? data.lots[String(lot)] || String(lot) : "",
            size: points.size ? points.size[index] : null,
            measurementIds: Array.isArray(ids) ? ids : [ids],
            excluded: Boolean(points.excluded?.[index]),
            rules: violation ? violation.rules.map((r) => data.rules[r] || r) : [],
            center: formatNumber(data.center[index], this.decimals),
            ucl: formatNumber(data.ucl[index], this.decimals),
            lcl: formatNumber(data.lcl[index], this.decimals),
        };
    }

    get causeSuggestions() {
        return [
            _t("Measurement error"),
            _t("Gauge not zeroed"),
            _t("Tool change / adjustment"),
            _t("Machine start-up"),
            _t("Material lot"),
        ];
    }

    // ------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------

    async onFilterChange(key, ev) {
        this.state.filters[key] = ev.target.value;
        await this.load();
    }

    async resetFilters() {
        this.state.filters = this._emptyFilters();
        await this.load();
    }

    isSelected(key, id) {
        return String(this.state.filters[key]) === String(id);
    }

    get hasFilters() {
        return Object.keys(this.serverFilters).length > 0;
    }

    selectPoint(index) {
        this.state.selected = this.state.selected === index ? null : index;
        this.state.cause = "";
    }

    closePoint() {
        this.state.selected = null;
    }

    setCause(text) {
        this.state.cause = text;
    }

    async excludePoint() {
        const point = this.selectedPoint;
        const cause = this.state.cause.trim();
        if (!point || !cause) {
            return;
        }
        this.state.busy = true;
        try {
            await this.orm.call("mqc.spc.exclusion", "mqc_exclude", [
                this.characteristicId,
                point.measurementIds,
                cause,
            ]);
            const index = point.index;
            await this.load();
            this.state.selected = index;
            this.notification.add(_t("Point %(number)s excluded from the limits.", { number: point.number }), {
                type: "success",
            });
        } finally {
            this.state.busy = false;
        }
    }

    /** The control chart report (PDF) of what the screen shows. */
    printReport() {
        return this.action.doAction({
            type: "ir.actions.report",
            report_type: "qweb-pdf",
            report_name: "mrp_quality_control.report_spc_control_chart",
            data: {
                filters: { ...this.serverFilters, max_points: MAX_POINTS },
                characteristic_ids: [this.characteristicId],
            },
            context: { active_model: "mqc.characteristic", active_ids: [this.characteristicId] },
        });
    }

    freezeLimits() {
        const data = this.state.data;
        this.dialog.add(MqcReasonDialog, {
            title: _t("Freeze the control limits"),
            body: _t(
                "The limits estimated now from the %(count)s points of this %(chart)s (excluded points left out) become the reference (phase II) for the new measurements.",
                { count: data.n_measurements, chart: this.kindLabel }
            ),
            label: _t("Reason (mandatory)"),
            confirmLabel: _t("Freeze"),
            suggestions: [
                _t("Process stable and capable"),
                _t("After the machine overhaul"),
                _t("New tool / new setting validated"),
            ],
            onConfirm: async (reason) => {
                await this.orm.call("mqc.spc.limit", "mqc_freeze", [this.characteristicId, reason, this.serverFilters]);
                await this.load();
                this.notification.add(_t("Control limits frozen."), { type: "success" });
            },
        });
    }

    recomputeLimits() {
        this.dialog.add(ConfirmationDialog, {
            title: _t("Recompute the limits"),
            body: _t(
                "The frozen limits are archived (kept, with their reason) and the chart estimates its limits from the data again (phase I)."
            ),
            confirmLabel: _t("Recompute"),
            confirm: async () => {
                await this.orm.call("mqc.spc.limit", "mqc_unfreeze", [this.characteristicId, this.serverFilters]);
                await this.load();
                this.notification.add(_t("Limits recomputed from the data."), { type: "success" });
            },
            cancel: () => {},
        });
    }
}

registry.category("actions").add("mrp_quality_control.spc_chart", MqcSpcChartAction);

/** "Control Charts" list: a row opens the chart screen of its characteristic. */
export class MqcSpcChartListController extends ListController {
    async openRecord(record) {
        await this.actionService.doAction({
            type: "ir.actions.client",
            tag: "mrp_quality_control.spc_chart",
            name: _t("Control Chart"),
            params: { characteristic_id: record.resId },
            context: { characteristic_id: record.resId },
        });
    }
}

registry.category("views").add("mqc_spc_chart_list", {
    ...listView,
    Controller: MqcSpcChartListController,
});
