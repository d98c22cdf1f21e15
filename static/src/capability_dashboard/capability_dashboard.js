/** @odoo-module **/

import { Component, onWillStart, useState } from "@odoo/owl";
import { deserializeDateTime, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/core/utils/numbers";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import {
    bulletGeometry,
    countLines,
    filterLines,
    groupByPlan,
    isBelowTarget,
    sortLines,
} from "./capability_utils";

/**
 * Capability dashboard: the latest validated capability study of every
 * characteristic, grouped by control plan, with its index against the target,
 * the verdict, the frequency band and the interval factor it gives. One server
 * call to the capability report model, which the PDF report uses too
 * (``report.mrp_quality_control.report_capability_study.get_dashboard``);
 * filtering, sorting and grouping in the browser.
 */
export class MqcCapabilityDashboard extends Component {
    static template = "mrp_quality_control.CapabilityDashboard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({
            loading: true,
            lines: [],
            bands: [],
            filters: { planId: false, criticality: "", verdict: "", band: "" },
            sortKey: "default",
            ascending: true,
        });
        this.criticalities = [
            ["critical", _t("Critical")],
            ["major", _t("Major")],
            ["minor", _t("Minor")],
        ];
        this.columns = [
            ["balloon", _t("Balloon")],
            ["name", _t("Characteristic")],
            ["criticality", _t("Class")],
            ["cpk", _t("Cpk / Cmk")],
            ["target", _t("Target")],
            ["verdict", _t("Verdict")],
            ["band", _t("Band")],
            [null, _t("Interval factor")],
            ["date", _t("Validated on")],
        ];
        onWillStart(() => this.load());
    }

    async load() {
        const data = await this.orm.call(
            "report.mrp_quality_control.report_capability_study",
            "get_dashboard",
            []
        );
        this.state.lines = data.lines;
        this.state.bands = data.bands;
        this.state.loading = false;
    }

    // ------------------------------------------------------------------
    // Derived data
    // ------------------------------------------------------------------

    get plans() {
        return groupByPlan(sortLines(this.state.lines, "default")).sort((a, b) =>
            String(a.plan).localeCompare(String(b.plan), undefined, { numeric: true })
        );
    }

    get filteredLines() {
        return filterLines(this.state.lines, this.state.filters);
    }

    get groups() {
        return groupByPlan(sortLines(this.filteredLines, this.state.sortKey, this.state.ascending));
    }

    get counters() {
        // The counters follow the plan and class filters, not the verdict or band ones
        // (they are those filters' buttons).
        const { planId, criticality } = this.state.filters;
        return countLines(filterLines(this.state.lines, { planId, criticality }), this.state.bands.length);
    }

    get scaleMax() {
        const highest = Math.max(2.0, ...this.state.lines.map((l) => l.target || 0));
        return Math.ceil(highest * 1.25 * 2) / 2;
    }

    // ------------------------------------------------------------------
    // Formatting
    // ------------------------------------------------------------------

    formatIndex(value) {
        return value === null || value === undefined || value === false
            ? "—"
            : formatFloat(value, { digits: [16, 2] });
    }

    formatDate(value) {
        return value ? formatDate(deserializeDateTime(value)) : "";
    }

    planLabel(group) {
        return _t("%(plan)s rev. %(revision)s – %(product)s", {
            plan: group.plan,
            revision: group.revision,
            product: group.product || "",
        });
    }

    criticalityLabel(value) {
        return Object.fromEntries(this.criticalities)[value] || value || "";
    }

    kindLabel(line) {
        return line.kind === "machine" ? _t("Machine (Cmk)") : _t("Process (Cpk)");
    }

    isBelow(line) {
        return isBelowTarget(line);
    }

    /** Cpk range of the line's index; for a critical characteristic held one band stricter, says so. */
    bandLabel(line) {
        const index = line.cpk_band ?? line.band;
        const band = this.state.bands[index];
        if (!band) {
            return "";
        }
        const next = this.state.bands[index + 1];
        const low = band.low === null ? null : formatFloat(band.low, { digits: [16, 2] });
        const high = next ? formatFloat(next.low, { digits: [16, 2] }) : null;
        let label;
        if (low === null) {
            label = _t("Cpk below %s", high);
        } else if (high) {
            label = _t("Cpk %(low)s to %(high)s", { low, high });
        } else {
            label = _t("Cpk %s and more", low);
        }
        if (line.band !== index) {
            label = _t("%s, critical: one band stricter", label);
        }
        return label;
    }

    factorLabel(index) {
        const band = this.state.bands[index];
        if (!band) {
            return "";
        }
        return band.factor
            ? _t("× %s interval", formatFloat(band.factor, { digits: [16, 2], trailingZeros: false }))
            : _t("every piece");
    }

    bullet(line) {
        return bulletGeometry(line.cpk, line.target, this.scaleMax);
    }

    sortIcon(key) {
        if (this.state.sortKey !== key) {
            return "fa-sort opacity-25";
        }
        return this.state.ascending ? "fa-sort-asc" : "fa-sort-desc";
    }

    // ------------------------------------------------------------------
    // Handlers
    // ------------------------------------------------------------------

    onSort(key) {
        if (this.state.sortKey === key) {
            if (!this.state.ascending) {
                // third click: back to "below target first"
                this.state.sortKey = "default";
                this.state.ascending = true;
                return;
            }
            this.state.ascending = false;
        } else {
            this.state.sortKey = key;
            this.state.ascending = true;
        }
    }

    onFilter(name, ev) {
        const value = ev.target.value;
        this.state.filters[name] = name === "planId" ? Number(value) || false : value;
    }

    toggleFilter(name, value) {
        this.state.filters[name] = this.state.filters[name] === value ? "" : value;
    }

    resetFilters() {
        Object.assign(this.state.filters, { planId: false, criticality: "", verdict: "", band: "" });
    }

    openStudy(line) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "mqc.capability.study",
            res_id: line.study_id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

registry.category("actions").add("mrp_quality_control.capability_dashboard", MqcCapabilityDashboard);
