/** @odoo-module **/

/**
 * Pure helpers of the control chart: scales, "nice" axis ticks, decimals,
 * stepped limit lines, zone bands and the layout of the main and companion
 * panels. No Odoo nor DOM here: the component only renders what this returns
 * (tested by static/tests/mqc_spc_chart_geometry.test.js).
 */

const isNum = (v) => typeof v === "number" && Number.isFinite(v);

/** Linear scale from a [d0, d1] domain to an [r0, r1] range (pixels). */
/** The report AbstractModel that serves the chart screen's data (and prints it). */
export const CHART_REPORT = "report.mrp_quality_control.report_spc_control_chart";

export function scaleLinear([d0, d1], [r0, r1]) {
    const span = d1 - d0 || 1;
    return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/**
 * About `count` round tick values covering [min, max] (steps 1, 2, 2.5 or 5
 * times a power of ten), with the decimals that step needs.
 */
export function niceTicks(min, max, count = 5) {
    if (!isNum(min) || !isNum(max)) {
        return { ticks: [], step: 0, decimals: 0, min, max };
    }
    if (max < min) {
        [min, max] = [max, min];
    }
    if (max === min) {
        const pad = Math.abs(min) * 0.1 || 1;
        min -= pad;
        max += pad;
    }
    const raw = (max - min) / Math.max(1, count);
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const fraction = raw / power;
    const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
    const step = nice * power;
    const first = Math.ceil(min / step - 1e-9) * step;
    const ticks = [];
    for (let t = first; t <= max + step * 1e-9; t += step) {
        ticks.push(Number(t.toFixed(12)));
    }
    return { ticks, step, decimals: decimalsOf(step), min, max };
}

/** Decimals needed to write a step exactly (0.25 -> 2, 5 -> 0, 0.002 -> 3). */
export function decimalsOf(step) {
    if (!isNum(step) || step <= 0) {
        return 0;
    }
    for (let d = 0; d <= 10; d++) {
        if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6 * 10 ** d * step) {
            return d;
        }
    }
    return 10;
}

/**
 * Decimals the values are written with (their resolution: 10.25 -> 2), from
 * the first 200 of them, at most 6 (means and ratios are cut there).
 */
export function resolutionOf(values) {
    let best = 0;
    for (const v of values.slice(0, 200)) {
        if (!isNum(v)) {
            continue;
        }
        let d = 0;
        while (d < 6 && Math.abs(Math.round(v * 10 ** d) - v * 10 ** d) > 1e-7 * Math.max(1, Math.abs(v) * 10 ** d)) {
            d++;
        }
        best = Math.max(best, d);
    }
    return best;
}

/** A value with a fixed number of decimals, "-" for a missing one. */
export function formatNumber(value, decimals) {
    if (!isNum(value)) {
        return "-";
    }
    const d = Math.max(0, Math.min(10, decimals));
    const text = value.toFixed(d);
    // No "-0.00" for a tiny negative value.
    return text.startsWith("-") && Number(text) === 0 ? text.slice(1) : text;
}

/**
 * SVG path of a limit that may change from point to point (p, u, EWMA):
 * a horizontal step over each point's slot; gaps where the limit is missing.
 * `x(i)` is the centre of point i, `half` half the slot width.
 */
export function steppedPath(values, x, y, half) {
    let path = "";
    let open = false;
    let last = null;
    for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!isNum(v)) {
            open = false;
            continue;
        }
        const x0 = x(i) - half;
        const x1 = x(i) + half;
        const yv = y(v);
        if (!open) {
            path += `M${r(x0)},${r(yv)}`;
            open = true;
        } else if (yv !== last) {
            path += `V${r(yv)}`;
        }
        path += `H${r(x1)}`;
        last = yv;
    }
    return path;
}

/** Closed SVG path of the band between two stepped series (a zone). */
export function bandPath(upper, lower, x, y, half) {
    const n = Math.min(upper.length, lower.length);
    const top = [];
    const bottom = [];
    for (let i = 0; i < n; i++) {
        if (!isNum(upper[i]) || !isNum(lower[i])) {
            continue;
        }
        top.push([x(i) - half, y(upper[i])], [x(i) + half, y(upper[i])]);
        bottom.push([x(i) - half, y(lower[i])], [x(i) + half, y(lower[i])]);
    }
    if (!top.length) {
        return "";
    }
    const points = top.concat(bottom.reverse());
    return "M" + points.map(([px, py]) => `${r(px)},${r(py)}`).join("L") + "Z";
}

/** Polyline of a series (gaps at missing values): "M..L..M..". */
export function linePath(values, x, y) {
    let path = "";
    let open = false;
    for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!isNum(v)) {
            open = false;
            continue;
        }
        path += `${open ? "L" : "M"}${r(x(i))},${r(y(v))}`;
        open = true;
    }
    return path;
}

function r(v) {
    return Math.round(v * 10) / 10;
}

function finite(list) {
    return (list || []).filter(isNum);
}

/** The last value of a series (the right-hand label of a limit line). */
function lastOf(list) {
    const values = finite(list);
    return values.length ? values[values.length - 1] : null;
}

function allEqual(list) {
    const values = finite(list);
    return values.every((v) => Math.abs(v - values[0]) <= 1e-12 * Math.max(1, Math.abs(v)));
}

/**
 * Vertical domain of a panel: the points and control limits; the spec limits
 * too when that keeps the process readable (else they are reported off scale).
 */
export function valueDomain(series, limits, specs = []) {
    const base = [].concat(...series.map(finite), ...limits.map(finite));
    if (!base.length) {
        return { min: 0, max: 1, offScale: specs.filter(isNum) };
    }
    let min = Math.min(...base);
    let max = Math.max(...base);
    const span = max - min || Math.abs(max) * 0.1 || 1;
    const offScale = [];
    for (const spec of specs.filter(isNum)) {
        const lo = Math.min(min, spec);
        const hi = Math.max(max, spec);
        if (hi - lo <= 2.5 * span) {
            min = lo;
            max = hi;
        } else {
            offScale.push(spec);
        }
    }
    const pad = (max - min || span) * 0.06;
    return { min: min - pad, max: max + pad, offScale };
}

/** Indices of about `count` evenly spread points for the horizontal labels. */
export function labelIndices(n, count) {
    if (n <= 0) {
        return [];
    }
    if (n <= count) {
        return [...Array(n).keys()];
    }
    const step = Math.ceil((n - 1) / (count - 1));
    const out = [];
    for (let i = 0; i < n; i += step) {
        out.push(i);
    }
    if (n - 1 - out[out.length - 1] >= step / 2) {
        out.push(n - 1);
    }
    return out;
}

/**
 * One panel (main chart or its companion).
 *
 * spec: {series: [[...]], center, lcl, ucl, zones?, specs?: {lsl, usl},
 * flagged: Set of point indices drawn red, excluded: [bool], top, height,
 * n (number of point slots), positions?: [slot of each value]}.
 */
export function panelGeometry(spec, frame) {
    const { left, right, width } = frame;
    const top = spec.top;
    const height = spec.height;
    const n = Math.max(1, spec.n);
    const plotWidth = width - left - right;
    const slot = plotWidth / n;
    const half = slot / 2;
    const positions = spec.positions || null;
    const slotOf = (i) => (positions ? positions[i] : i);
    const xSlot = (s) => left + (s + 0.5) * slot;
    const x = (i) => xSlot(slotOf(i));
    const specLines = [spec.specs?.lsl, spec.specs?.usl];
    const domain = valueDomain(spec.series, [spec.center, spec.lcl, spec.ucl], specLines);
    const axis = niceTicks(domain.min, domain.max, spec.tickCount || 5);
    const y = scaleLinear([domain.min, domain.max], [top + height, top]);
    const labelDecimals = Math.min(6, Math.max(3, axis.decimals + 1));
    const inView = (v) => isNum(v) && v >= domain.min && v <= domain.max;
    const limitLine = (values, kind) => {
        const last = lastOf(values);
        return last === null
            ? null
            : {
                  kind,
                  path: steppedPath(values, x, y, half),
                  stepped: !allEqual(values),
                  labelY: y(last),
                  value: last,
              };
    };
    const zones = [];
    if (spec.zones && spec.zones.plus1) {
        // Zones stay between the control limits (an LCL clipped at 0 on a
        // p or c chart cuts the lower ones).
        const clamp = (series) =>
            series.map((v, i) =>
                isNum(v) ? Math.min(Math.max(v, spec.lcl[i] ?? v), spec.ucl[i] ?? v) : v
            );
        const z = {
            plus2: clamp(spec.zones.plus2),
            plus1: clamp(spec.zones.plus1),
            minus1: clamp(spec.zones.minus1),
            minus2: clamp(spec.zones.minus2),
        };
        const bands = [
            ["a", spec.ucl, z.plus2],
            ["b", z.plus2, z.plus1],
            ["c", z.plus1, spec.center],
            ["c", spec.center, z.minus1],
            ["b", z.minus1, z.minus2],
            ["a", z.minus2, spec.lcl],
        ];
        for (const [zone, upper, lower] of bands) {
            const lastUpper = lastOf(upper);
            const lastLower = lastOf(lower);
            const labelY =
                lastUpper !== null && lastLower !== null && y(lastLower) - y(lastUpper) > 8
                    ? (y(lastUpper) + y(lastLower)) / 2
                    : null;
            zones.push({ zone, path: bandPath(upper, lower, x, y, half), labelY });
        }
    }
    const points = [];
    spec.series.forEach((values, s) => {
        values.forEach((v, i) => {
            if (!isNum(v)) {
                return;
            }
            points.push({
                key: `${s}-${i}`,
                series: s,
                index: i,
                slot: slotOf(i),
                value: v,
                cx: x(i),
                cy: y(v),
                flagged: spec.flagged ? spec.flagged(i, v, s) : false,
                excluded: Boolean(spec.excluded && spec.excluded[slotOf(i)]),
            });
        });
    });
    return {
        top,
        height,
        left,
        right: width - right,
        slot,
        yTicks: axis.ticks
            .filter((t) => t >= domain.min && t <= domain.max)
            .map((t) => ({ value: t, y: y(t), label: formatNumber(t, axis.decimals) })),
        decimals: axis.decimals,
        labelDecimals,
        lines: spec.series.map((values) => linePath(values, x, y)),
        center: limitLine(spec.center, "center"),
        ucl: limitLine(spec.ucl, "ucl"),
        lcl: limitLine(spec.lcl, "lcl"),
        zones,
        specs: ["lsl", "usl"]
            .filter((k) => inView(spec.specs?.[k]))
            .map((k) => ({ kind: k, value: spec.specs[k], y: y(spec.specs[k]) })),
        offScale: ["lsl", "usl"]
            .filter((k) => isNum(spec.specs?.[k]) && !inView(spec.specs[k]))
            .map((k) => ({ kind: k, value: spec.specs[k], above: spec.specs[k] > domain.max })),
        points,
        x,
        xSlot,
        y,
    };
}

/**
 * Whole chart from the server's data (get_chart_data of the control chart report): main panel, companion
 * panel (MR / R / S) below it, horizontal labels.
 * options: {width, compact}.
 */
export function chartGeometry(data, options = {}) {
    const first = layoutChart(data, options, null);
    // Room for the longest value label left of the axis, beside the axis title.
    const longest = Math.max(
        ...[first.main, first.companion].filter(Boolean).flatMap((p) => p.yTicks.map((t) => t.label.length)),
        1
    );
    const left = Math.ceil(first.font * 1.6 + longest * first.font * 0.6 + 10);
    return left > first.main.left ? layoutChart(data, options, left) : first;
}

function layoutChart(data, { width = 900, compact = false } = {}, left = null) {
    const points = data.points || {};
    const values = points.value || [];
    const n = values.length;
    const font = compact ? 15 : 12;
    const frame = { width, left: left || (compact ? 64 : 72), right: compact ? 104 : 118 };
    const mainHeight = compact ? 330 : 300;
    const compHeight = compact ? 0 : 130;
    const gap = 44;
    const top = 14;
    const violations = new Map((data.violations || []).map((v) => [v.index, v.rules]));
    const cusum = data.kind === "cusum" && data.cusum;
    const series = cusum ? [data.cusum.upper, data.cusum.lower] : [values];
    const main = panelGeometry(
        {
            series,
            center: cusum ? values.map(() => 0) : data.center || [],
            ucl: data.ucl || [],
            lcl: data.lcl || [],
            zones: data.zones,
            specs: data.kind === "imr" ? { lsl: data.lsl, usl: data.usl } : null,
            excluded: points.excluded || [],
            n,
            top,
            height: mainHeight,
            tickCount: compact ? 5 : 6,
            flagged: cusum
                ? (i, v) => v > data.ucl[i] || v < data.lcl[i]
                : (i) => violations.has(i),
        },
        frame
    );
    main.rules = (i) => violations.get(i) || [];
    let companion = null;
    const comp = data.companion;
    if (comp && !compact && comp.value && comp.value.length) {
        companion = panelGeometry(
            {
                series: [comp.value],
                center: comp.center,
                ucl: comp.ucl,
                lcl: comp.lcl,
                excluded: points.excluded || [],
                positions: comp.index,
                n,
                top: top + mainHeight + gap,
                height: compHeight,
                tickCount: 3,
                flagged: (i, v) => v > comp.ucl[i] + 1e-12 || v < comp.lcl[i] - 1e-12,
            },
            frame
        );
        companion.kind = comp.kind;
    }
    const bottom = (companion ? companion.top + companion.height : top + mainHeight) + (compact ? 30 : 40);
    const xLabels = labelIndices(n, Math.max(2, Math.floor((width - frame.left - frame.right) / (compact ? 120 : 110)))).map(
        (i) => ({ index: i, x: main.x(i) })
    );
    return {
        width,
        height: bottom,
        font,
        main,
        companion,
        xLabels,
        axisY: (companion || main).top + (companion || main).height,
        radius: n > 200 ? 2 : n > 80 ? 3 : compact ? 5 : 4,
        hitRadius: n > 200 ? 5 : 9,
        showRuleNumbers: n <= 250,
    };
}
