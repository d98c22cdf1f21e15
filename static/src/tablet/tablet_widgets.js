/** @odoo-module **/

import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { limitsOf, verdictOf } from "./tablet_utils";

/**
 * Horizontal tolerance bar: LSL, USL, warning band and a marker at the value.
 */
export class MqcToleranceBar extends Component {
    static template = "mrp_quality_control.TabletToleranceBar";
    static props = { check: Object, value: { optional: true } };

    get geometry() {
        const check = this.props.check;
        const { lower, upper } = limitsOf(check);
        const value = typeof this.props.value === "number" ? this.props.value : null;
        const nominal = typeof check.nominal === "number" ? check.nominal : null;
        const openLow = lower === null;
        const openHigh = upper === null;
        if (openLow && openHigh) {
            return null;
        }
        // One-sided tolerances: draw the open side as far as the other limit is
        // from the nominal (Ra <= 0.8: from 0; hardness >= 56 HRC: up to twice the
        // distance to the nominal).
        let lo = lower;
        let hi = upper;
        if (openLow) {
            lo = Math.min(0, nominal ?? 0, hi - Math.abs(hi || 1));
        }
        if (openHigh) {
            hi = nominal !== null && nominal > lo ? lo + 2 * (nominal - lo) : lo + Math.abs(lo || 1) * 0.5;
        }
        if (hi <= lo) {
            return null;
        }
        const span = hi - lo;
        // A fixed 25 % margin each side: a value beyond it is pinned to the edge
        // (the bar does not rescale, so the limits keep their place while typing).
        const min = openLow ? lo : lo - span * 0.25;
        const max = openHigh ? hi : hi + span * 0.25;
        const pct = (x) => Math.min(100, Math.max(0, ((x - min) / (max - min)) * 100));
        const warnLo = typeof check.warn_lower === "number" ? Math.max(lo, check.warn_lower) : lo;
        const warnHi = typeof check.warn_upper === "number" ? Math.min(hi, check.warn_upper) : hi;
        return {
            openLow,
            openHigh,
            lslPct: pct(lo),
            uslPct: pct(hi),
            warnLoPct: pct(warnLo),
            warnHiPct: pct(warnHi),
            nominalPct: nominal !== null && nominal >= min && nominal <= max ? pct(nominal) : null,
            valuePct: value !== null ? pct(value) : null,
            beyond: value === null ? false : value < min ? "low" : value > max ? "high" : false,
            verdict: verdictOf(check, value),
            lowerLabel: openLow ? "" : String(lower),
            upperLabel: openHigh ? "" : String(upper),
        };
    }
}

/**
 * Mini run chart of the last values: inline SVG, limits as lines, points coloured.
 */
export class MqcRunChart extends Component {
    static template = "mrp_quality_control.TabletRunChart";
    static props = { check: Object, width: { type: Number, optional: true }, height: { type: Number, optional: true } };
    static defaultProps = { width: 320, height: 90 };

    get chart() {
        const check = this.props.check;
        // Floats (contract) or {value, verdict} (server verdict kept when given).
        const entries = (check.last_values || [])
            .map((v) => (typeof v === "number" ? { value: v, verdict: null } : v))
            .filter((v) => v && typeof v.value === "number");
        const values = entries.map((e) => e.value);
        if (!values.length) {
            return null;
        }
        const { lower, upper } = limitsOf(check);
        const lines = [lower, upper].filter((v) => v !== null);
        const all = values.concat(lines);
        let min = Math.min(...all);
        let max = Math.max(...all);
        if (max === min) {
            max += 1;
            min -= 1;
        }
        const pad = (max - min) * 0.1;
        min -= pad;
        max += pad;
        const { width, height } = this.props;
        const margin = 8;
        const x = (i) => margin + (values.length === 1 ? (width - 2 * margin) / 2 : (i * (width - 2 * margin)) / (values.length - 1));
        const y = (v) => height - margin - ((v - min) / (max - min)) * (height - 2 * margin);
        const points = entries.map((e, i) => ({
            cx: x(i),
            cy: y(e.value),
            verdict: e.verdict || verdictOf(check, e.value) || "ok",
            value: e.value,
        }));
        return {
            width,
            height,
            polyline: points.map((p) => `${p.cx.toFixed(1)},${p.cy.toFixed(1)}`).join(" "),
            points,
            lsl: lower !== null ? y(lower) : null,
            usl: upper !== null ? y(upper) : null,
            title: values.length === 1 ? _t("Last value") : _t("Last %(count)s values", { count: values.length }),
        };
    }
}

/**
 * On-screen keypad: digits, decimal separator ('.' or ','), minus, backspace, OK.
 */
export class MqcKeypad extends Component {
    static template = "mrp_quality_control.TabletKeypad";
    static props = { value: String, onChange: Function, onConfirm: Function, disabled: { type: Boolean, optional: true } };

    press(key) {
        let text = this.props.value || "";
        if (key === "back") {
            text = text.slice(0, -1);
        } else if (key === "minus") {
            text = text.startsWith("-") ? text.slice(1) : "-" + text;
        } else if (key === "sep") {
            if (!/[.,]/.test(text)) {
                text = (text === "" || text === "-" ? text + "0" : text) + ",";
            }
        } else if (key === "clear") {
            text = "";
        } else {
            if (text.replace(/[-.,]/g, "").length >= 12) {
                return;
            }
            text += key;
        }
        this.props.onChange(text);
    }
}
