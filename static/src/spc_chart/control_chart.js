/** @odoo-module **/

import { Component, onMounted, onWillUnmount, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { chartGeometry, formatNumber, resolutionOf } from "./chart_geometry";

const { DateTime } = luxon;

let clipCounter = 0;

/** Name of each chart kind, and of the statistic it plots (legend, title). */
export function chartKindLabel(kind) {
    return (
        {
            imr: _t("I-MR chart"),
            xbar_r: _t("X̄-R chart"),
            xbar_s: _t("X̄-S chart"),
            ewma: _t("EWMA chart"),
            cusum: _t("CUSUM chart"),
            p: _t("p chart"),
            np: _t("np chart"),
            c: _t("c chart"),
            u: _t("u chart"),
        }[kind] || kind
    );
}

function statisticLabel(kind) {
    return (
        {
            imr: _t("Individual value"),
            xbar_r: _t("Subgroup mean"),
            xbar_s: _t("Subgroup mean"),
            ewma: _t("EWMA"),
            cusum: _t("Cumulative sum"),
            p: _t("Fraction nonconforming"),
            np: _t("Number nonconforming"),
            c: _t("Defects per order"),
            u: _t("Defects per piece"),
            mr: _t("Moving range"),
            r: _t("Range"),
            s: _t("Standard deviation"),
        }[kind] || kind
    );
}

function centerSymbol(kind) {
    return (
        {
            imr: "X̄",
            xbar_r: "X̿",
            xbar_s: "X̿",
            p: "P̄",
            np: "nP̄",
            c: "C̄",
            u: "Ū",
            mr: "MR̄",
            r: "R̄",
            s: "S̄",
        }[kind] || _t("CL")
    );
}

/** Decimals of the plotted values: those of the measurements for individuals, one more (3 to 6) else. */
export function valueDecimals(data) {
    if (data && ["p", "np", "c", "u"].includes(data.kind)) {
        return 4; // fractions and rates
    }
    const resolution = resolutionOf((data && data.points && data.points.value) || []);
    if (data && data.kind === "imr") {
        return resolution;
    }
    return Math.min(6, Math.max(3, resolution + 1));
}

/**
 * Control chart in SVG: the main chart (I, X̄, p, np, c, u, EWMA, CUSUM) and
 * its companion (MR, R, S) below, with centre line, control limits (stepped
 * when they vary per point), zones A/B/C, spec limits on individuals charts,
 * the points breaking a run rule in red with the rule numbers, excluded
 * points hollow and grey, and a legend of the broken rules.
 */
export class MqcControlChart extends Component {
    static template = "mrp_quality_control.ControlChart";
    static props = {
        data: Object,
        compact: { type: Boolean, optional: true },
        onPointClick: { type: Function, optional: true },
        selectedIndex: { optional: true },
    };
    static defaultProps = { compact: false };

    setup() {
        this.root = useRef("root");
        // Unique ids of the clip paths (several charts on a page).
        this.clipPrefix = `o_mqc_cc_clip_${++clipCounter}`;
        this.state = useState({ width: this.props.compact ? 760 : 960 });
        onMounted(() => {
            this.measure();
            if (window.ResizeObserver) {
                this.observer = new ResizeObserver(() => this.measure());
                this.observer.observe(this.root.el);
            }
        });
        onWillUnmount(() => this.observer && this.observer.disconnect());
    }

    measure() {
        const width = Math.floor(this.root.el?.clientWidth || 0);
        if (width > 200 && Math.abs(width - this.state.width) > 2) {
            this.state.width = width;
        }
    }

    get data() {
        return this.props.data;
    }

    get hasPoints() {
        return Boolean(this.data && this.data.points && (this.data.points.value || []).length);
    }

    get geometry() {
        return chartGeometry(this.data, { width: this.state.width, compact: this.props.compact });
    }

    /** Decimals of a plotted value: the measurements' own for individuals, one more for statistics. */
    get valueDecimals() {
        return valueDecimals(this.data);
    }

    get mainTitle() {
        return statisticLabel(this.data.kind);
    }

    companionTitle(geo) {
        return statisticLabel(geo.companion.kind);
    }

    fmt(value, decimals) {
        return formatNumber(value, decimals);
    }

    limitLabel(panel, line, kind) {
        const value = formatNumber(line.value, panel.labelDecimals);
        if (line.kind === "center") {
            return kind === "cusum" ? "0" : `${centerSymbol(kind)}=${value}`;
        }
        const name = line.kind === "ucl" ? _t("UCL") : _t("LCL");
        return `${name}=${value}`;
    }

    specLabel(spec, decimals = null) {
        // Never rounded: a tolerance is written as on the drawing (19.979, not 19.98).
        const value =
            decimals === null
                ? String(spec.value)
                : formatNumber(spec.value, Math.max(decimals, resolutionOf([spec.value])));
        return `${spec.kind === "lsl" ? _t("LSL") : _t("USL")}=${value}`;
    }

    zoneLabel(zone) {
        return zone.zone.toUpperCase();
    }

    timeOf(index) {
        const time = (this.data.points.time || [])[index];
        return typeof time === "number" ? DateTime.fromMillis(time) : null;
    }

    /** Date under the axis: the time when every point is on the same day. */
    xLabel(index) {
        const time = this.timeOf(index);
        if (!time) {
            return String(index + 1);
        }
        const times = this.data.points.time;
        const sameDay =
            times.length &&
            DateTime.fromMillis(times[0]).hasSame(DateTime.fromMillis(times[times.length - 1]), "day");
        return sameDay
            ? time.toLocaleString(DateTime.TIME_SIMPLE)
            : time.toLocaleString({ day: "2-digit", month: "2-digit" });
    }

    ruleText(rule) {
        return (this.data.rules || {})[rule] || rule;
    }

    /** The hover text of a point: value, date, order, lot, broken rules. */
    pointTitle(panel, point, isCompanion) {
        const data = this.data;
        const points = data.points;
        const slot = point.slot;
        const lines = [];
        const unit = ["imr", "xbar_r", "xbar_s", "ewma", "cusum"].includes(data.kind) ? ` ${data.unit}` : "";
        const label = isCompanion ? statisticLabel(panel.kind) : statisticLabel(data.kind);
        lines.push(
            _t("Point %(number)s — %(label)s: %(value)s", {
                number: slot + 1,
                label,
                value: formatNumber(point.value, isCompanion ? this.valueDecimals + 1 : this.valueDecimals) + unit,
            })
        );
        const time = this.timeOf(slot);
        if (time) {
            lines.push(_t("Date: %(date)s", { date: time.toLocaleString(DateTime.DATETIME_SHORT) }));
        }
        const production = (points.production_id || [])[slot];
        if (production) {
            lines.push(_t("MO: %(name)s", { name: data.productions[String(production)] || production }));
        }
        const lot = (points.lot_id || [])[slot];
        if (lot) {
            lines.push(_t("Lot: %(name)s", { name: data.lots[String(lot)] || lot }));
        }
        if (points.size && points.size[slot]) {
            lines.push(_t("Pieces inspected: %(count)s", { count: points.size[slot] }));
        }
        if (points.excluded && points.excluded[slot]) {
            lines.push(_t("Excluded from the limits (assignable cause)"));
        }
        if (isCompanion) {
            if (point.flagged) {
                lines.push(_t("Beyond the control limits"));
            }
        } else if (data.kind === "cusum") {
            if (point.flagged) {
                lines.push(this.ruleText("limit"));
            }
        } else {
            for (const rule of panel.rules(point.index)) {
                lines.push(this.ruleText(rule));
            }
        }
        return lines.join("\n");
    }

    pointClass(point) {
        const classes = ["o_mqc_cc_point"];
        if (point.flagged) {
            classes.push("o_mqc_cc_flagged");
        }
        if (point.excluded) {
            classes.push("o_mqc_cc_excluded");
        }
        if (this.props.selectedIndex === point.slot) {
            classes.push("o_mqc_cc_selected");
        }
        if (this.props.onPointClick) {
            classes.push("o_mqc_cc_clickable");
        }
        return classes.join(" ");
    }

    ruleNumbers(panel, point) {
        if (this.data.kind === "cusum") {
            return "";
        }
        // Run rules by their number; "!" for a decision limit (EWMA).
        return panel
            .rules(point.index)
            .map((rule) => (rule === "limit" ? "!" : rule))
            .join(",");
    }

    onPointClick(point) {
        if (this.props.onPointClick) {
            this.props.onPointClick(point.slot);
        }
    }

    /** Broken rules with their count of points, for the legend. */
    get brokenRules() {
        const counts = new Map();
        for (const violation of this.data.violations || []) {
            for (const rule of violation.rules) {
                counts.set(rule, (counts.get(rule) || 0) + 1);
            }
        }
        return [...counts.entries()]
            .sort((a, b) => (Number(a[0]) || 0) - (Number(b[0]) || 0))
            .map(([rule, count]) => ({
                rule,
                number: rule === "limit" ? "!" : rule,
                label: this.ruleText(rule),
                count,
            }));
    }

    get hasExcluded() {
        return (this.data.points.excluded || []).some(Boolean);
    }

    get showSpecs() {
        return this.data.kind === "imr" && (this.data.lsl !== null || this.data.usl !== null);
    }
}
