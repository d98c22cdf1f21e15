/** @odoo-module **/

/**
 * Pure helpers of the capability dashboard (no OWL, no services): filtering,
 * sorting, grouping by plan, counters and the geometry of the Cpk bullet bar.
 */

const CRITICALITY_ORDER = { critical: 0, major: 1, minor: 2 };

/** The line is below its target (the study's verdict, or the numbers if no verdict). */
export function isBelowTarget(line) {
    if (line.verdict) {
        return line.verdict !== "capable";
    }
    return (line.cpk ?? 0) < (line.target ?? 0);
}

/** Keep the lines matching the filters: plan id, criticality, verdict ("below" | "capable"), band. */
export function filterLines(lines, filters = {}) {
    const { planId, criticality, verdict, band } = filters;
    return lines.filter(
        (line) =>
            (!planId || line.plan_id === planId) &&
            (!criticality || line.criticality === criticality) &&
            (!verdict || (verdict === "below") === isBelowTarget(line)) &&
            (band === undefined || band === null || band === "" || line.band === Number(band))
    );
}

function compareValues(a, b) {
    if (a === b) {
        return 0;
    }
    if (a === null || a === undefined || a === false) {
        return 1;
    }
    if (b === null || b === undefined || b === false) {
        return -1;
    }
    if (typeof a === "string" || typeof b === "string") {
        return String(a).localeCompare(String(b), undefined, { numeric: true });
    }
    return a < b ? -1 : 1;
}

const SORT_KEYS = {
    // Below target first, the furthest below the target first, then the balloon.
    default: (line) => [isBelowTarget(line) ? 0 : 1, (line.cpk ?? 0) - (line.target ?? 0), line.balloon],
    balloon: (line) => [line.balloon],
    name: (line) => [line.name, line.balloon],
    criticality: (line) => [CRITICALITY_ORDER[line.criticality] ?? 9, line.balloon],
    cpk: (line) => [line.cpk, line.balloon],
    target: (line) => [line.target, line.balloon],
    gap: (line) => [(line.cpk ?? 0) - (line.target ?? 0), line.balloon],
    verdict: (line) => [isBelowTarget(line) ? 0 : 1, line.balloon],
    band: (line) => [line.band, line.balloon],
    date: (line) => [line.date, line.balloon],
};

/** A sorted copy of the lines; ``key`` one of SORT_KEYS, ``ascending`` false reverses it. */
export function sortLines(lines, key = "default", ascending = true) {
    const keyOf = SORT_KEYS[key] || SORT_KEYS.default;
    const sign = ascending ? 1 : -1;
    return lines
        .map((line) => ({ line, key: keyOf(line) }))
        .sort((a, b) => {
            for (let i = 0; i < a.key.length; i++) {
                const order = compareValues(a.key[i], b.key[i]);
                if (order) {
                    return sign * order;
                }
            }
            return compareValues(a.line.study_id, b.line.study_id);
        })
        .map((item) => item.line);
}

/**
 * Lines grouped by control plan, each group keeping the order of ``lines``;
 * the groups with a line below target come first, then by plan reference.
 */
export function groupByPlan(lines) {
    const groups = new Map();
    for (const line of lines) {
        if (!groups.has(line.plan_id)) {
            groups.set(line.plan_id, {
                planId: line.plan_id,
                plan: line.plan,
                revision: line.revision,
                product: line.product,
                lines: [],
                below: 0,
            });
        }
        const group = groups.get(line.plan_id);
        group.lines.push(line);
        if (isBelowTarget(line)) {
            group.below++;
        }
    }
    return [...groups.values()].sort(
        (a, b) =>
            (a.below ? 0 : 1) - (b.below ? 0 : 1) ||
            compareValues(a.plan, b.plan) ||
            compareValues(a.planId, b.planId)
    );
}

/** {studied, below, bands: [count per band]} of the lines. */
export function countLines(lines, bandCount = 5) {
    const bands = new Array(bandCount).fill(0);
    let below = 0;
    for (const line of lines) {
        if (line.band >= 0 && line.band < bandCount) {
            bands[line.band]++;
        }
        if (isBelowTarget(line)) {
            below++;
        }
    }
    return { studied: lines.length, below, bands };
}

/**
 * Bullet bar of a line, in % of the bar width: the Cpk bar and the target
 * marker, on a scale from 0 to ``scaleMax`` (values beyond it are clipped and
 * flagged).
 */
export function bulletGeometry(cpk, target, scaleMax = 2.5) {
    const pct = (value) => Math.max(0, Math.min(100, (100 * (value || 0)) / scaleMax));
    return {
        value: pct(cpk),
        target: pct(target),
        clipped: (cpk || 0) > scaleMax,
    };
}
