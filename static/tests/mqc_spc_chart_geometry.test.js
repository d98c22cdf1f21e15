import { describe, expect, test } from "@odoo/hoot";
import {
    bandPath,
    chartGeometry,
    decimalsOf,
    formatNumber,
    labelIndices,
    niceTicks,
    resolutionOf,
    scaleLinear,
    steppedPath,
    valueDomain,
} from "@mrp_quality_control/spc_chart/chart_geometry";

describe.current.tags("desktop");

test("scaleLinear maps the domain onto the range (y axis downwards)", () => {
    const y = scaleLinear([9, 11], [300, 100]);
    expect(y(9)).toBe(300);
    expect(y(11)).toBe(100);
    expect(y(10)).toBe(200);
    expect(y(10.5)).toBe(150);
});

test("niceTicks: round steps and the decimals they need", () => {
    // 9.45 .. 10.62 in about 5 steps: raw 0.234 -> 0.25.
    const a = niceTicks(9.45, 10.62, 5);
    expect(a.step).toBe(0.25);
    expect(a.ticks).toEqual([9.5, 9.75, 10, 10.25, 10.5]);
    expect(a.decimals).toBe(2);
    // 0 .. 0.38 (p chart): raw 0.076 -> 0.1.
    const p = niceTicks(0, 0.38, 5);
    expect(p.ticks).toEqual([0, 0.1, 0.2, 0.3]);
    expect(p.decimals).toBe(1);
    // 19.979 .. 20.000 (h7): raw 0.0042 -> 0.005.
    const h7 = niceTicks(19.979, 20.0, 5);
    expect(h7.step).toBe(0.005);
    expect(h7.ticks).toEqual([19.98, 19.985, 19.99, 19.995, 20]);
    expect(h7.decimals).toBe(3);
    // A flat series still gets an axis.
    expect(niceTicks(5, 5, 4).ticks.length > 1).toBe(true);
});

test("decimals, resolution and number formatting", () => {
    expect(decimalsOf(5)).toBe(0);
    expect(decimalsOf(0.25)).toBe(2);
    expect(decimalsOf(0.002)).toBe(3);
    expect(resolutionOf([10, 10.2, 9.95])).toBe(2);
    expect(resolutionOf([19.991, 20])).toBe(3);
    expect(resolutionOf([1 / 3])).toBe(6);
    expect(formatNumber(10.603908, 3)).toBe("10.604");
    expect(formatNumber(-0.0001, 2)).toBe("0.00");
    expect(formatNumber(null, 2)).toBe("-");
});

test("steppedPath: one straight line for a constant limit, steps where it changes", () => {
    const x = (i) => 10 + 20 * i; // slots of 20 px
    const y = (v) => 100 - v * 10;
    expect(steppedPath([3, 3, 3], x, y, 10)).toBe("M0,70H20H40H60");
    // p chart with sizes 10, 20: UCL 0.38 then 0.30.
    expect(steppedPath([4, 2], x, y, 10)).toBe("M0,60H20V80H40");
    // A missing limit breaks the line.
    expect(steppedPath([4, null, 4], x, y, 10)).toBe("M0,60H20M40,60H60");
});

test("bandPath closes the zone between two limits", () => {
    const x = (i) => 10 + 20 * i;
    const y = (v) => 100 - v * 10;
    expect(bandPath([2, 2], [1, 1], x, y, 10)).toBe("M0,80L20,80L20,80L40,80L40,90L20,90L20,90L0,90Z");
    expect(bandPath([], [], x, y, 10)).toBe("");
});

test("valueDomain keeps the spec limits only when they stay readable", () => {
    // Process 9.9 .. 10.1, limits 9.8 .. 10.2: a tolerance 9.7 .. 10.3 fits.
    const near = valueDomain([[9.9, 10.1]], [[10], [9.8], [10.2]], [9.7, 10.3]);
    expect(near.offScale).toEqual([]);
    expect(near.min < 9.7 && near.max > 10.3).toBe(true);
    // Tolerance 9 .. 11 is five times the control span: left off the scale.
    const far = valueDomain([[9.9, 10.1]], [[10], [9.8], [10.2]], [9, 11]);
    expect(far.offScale).toEqual([9, 11]);
    expect(far.max < 10.3).toBe(true);
});

test("labelIndices spreads the horizontal labels and keeps the last point", () => {
    expect(labelIndices(0, 5)).toEqual([]);
    expect(labelIndices(4, 6)).toEqual([0, 1, 2, 3]);
    expect(labelIndices(20, 5)).toEqual([0, 5, 10, 15, 19]);
});

test("chartGeometry: red points with their rules, excluded points, companion below", () => {
    const data = {
        kind: "imr",
        unit: "mm",
        lsl: 9,
        usl: 11,
        points: { value: [10, 10.2, 9.9, 10.9], excluded: [false, true, false, false], time: [0, 1, 2, 3] },
        center: [10, 10, 10, 10],
        ucl: [10.6, 10.6, 10.6, 10.6],
        lcl: [9.4, 9.4, 9.4, 9.4],
        zones: {
            minus2: [9.6, 9.6, 9.6, 9.6],
            minus1: [9.8, 9.8, 9.8, 9.8],
            plus1: [10.2, 10.2, 10.2, 10.2],
            plus2: [10.4, 10.4, 10.4, 10.4],
        },
        violations: [{ index: 3, rules: ["1"] }],
        rules: { 1: "Nelson 1: one point beyond 3 sigma" },
        companion: { kind: "mr", index: [1, 2, 3], value: [0.2, 0.3, 1.0], center: [0.5, 0.5, 0.5], lcl: [0, 0, 0], ucl: [0.9, 0.9, 0.9] },
    };
    const geo = chartGeometry(data, { width: 600 });
    const main = geo.main;
    expect(main.points.length).toBe(4);
    expect(main.points.map((p) => p.flagged)).toEqual([false, false, false, true]);
    expect(main.points.map((p) => p.excluded)).toEqual([false, true, false, false]);
    expect(main.rules(3)).toEqual(["1"]);
    // Higher values higher on the screen; the centre line between the limits.
    expect(main.points[3].cy < main.points[0].cy).toBe(true);
    expect(main.ucl.labelY < main.center.labelY && main.center.labelY < main.lcl.labelY).toBe(true);
    expect(main.ucl.stepped).toBe(false);
    // Six zones A B C C B A; the tolerance (9 .. 11) fits in 2.5 control spans.
    expect(main.zones.map((z) => z.zone)).toEqual(["a", "b", "c", "c", "b", "a"]);
    expect(main.specs.map((s) => s.kind)).toEqual(["lsl", "usl"]);
    // Companion: below the main chart, its first point above the second slot.
    const comp = geo.companion;
    expect(comp.top > main.top + main.height).toBe(true);
    expect(comp.points[0].cx).toBe(main.points[1].cx);
    expect(comp.points.map((p) => p.flagged)).toEqual([false, false, true]);
    expect(geo.height > comp.top + comp.height).toBe(true);
    // The compact (tablet) chart has no companion and no spec off its scale.
    expect(chartGeometry(data, { width: 600, compact: true }).companion).toBe(null);
});

test("chartGeometry: CUSUM plots the two sums against the decision interval", () => {
    const data = {
        kind: "cusum",
        points: { value: [10, 10.5, 10.6], excluded: [false, false, false] },
        center: [10, 10, 10],
        ucl: [1, 1, 1],
        lcl: [-1, -1, -1],
        cusum: { upper: [0, 0.4, 1.2], lower: [0, 0, -0.1], h: 1 },
        violations: [{ index: 2, rules: ["limit"] }],
        rules: { limit: "Beyond the decision limit" },
    };
    const main = chartGeometry(data, { width: 500 }).main;
    expect(main.lines.length).toBe(2);
    expect(main.points.filter((p) => p.flagged).map((p) => [p.series, p.index])).toEqual([[0, 2]]);
    expect(main.center.value).toBe(0);
});

test("chartGeometry leaves room for long value labels", () => {
    const chart = (offset) => ({
        kind: "imr",
        points: { value: [offset + 0.1, offset + 0.3, offset + 0.2], excluded: [false, false, false] },
        center: [offset + 0.2, offset + 0.2, offset + 0.2],
        ucl: [offset + 0.5, offset + 0.5, offset + 0.5],
        lcl: [offset - 0.1, offset - 0.1, offset - 0.1],
    });
    const short = chartGeometry(chart(1), { width: 600 }).main;
    const long = chartGeometry(chart(12000), { width: 600 }).main;
    expect(long.yTicks[0].label).toBe("12000.0");
    expect(long.left > short.left).toBe(true);
    // The value axis keeps its points inside the plot.
    expect(long.points.every((p) => p.cx > long.left && p.cx < long.right)).toBe(true);
});

test("chartGeometry: zones stay between the limits when the LCL is clipped at 0", () => {
    // p chart, p-bar 0.06, n 10: sigma 0.075, -1 and -2 sigma below 0 (LCL 0).
    const data = {
        kind: "p",
        points: { value: [0.1, 0, 0.3], excluded: [false, false, false] },
        center: [0.06, 0.06, 0.06],
        ucl: [0.285, 0.285, 0.285],
        lcl: [0, 0, 0],
        zones: {
            minus2: [-0.09, -0.09, -0.09],
            minus1: [-0.015, -0.015, -0.015],
            plus1: [0.135, 0.135, 0.135],
            plus2: [0.21, 0.21, 0.21],
        },
        violations: [{ index: 2, rules: ["1"] }],
        rules: { 1: "Nelson 1" },
    };
    const main = chartGeometry(data, { width: 600 }).main;
    const yLcl = main.y(0);
    for (const zone of main.zones) {
        const ys = [...zone.path.matchAll(/,(-?[\d.]+)/g)].map((m) => Number(m[1]));
        expect(ys.every((v) => v <= yLcl + 0.1)).toBe(true);
    }
    // The lower zones B and A are empty: no letter written on them.
    expect(main.zones.map((z) => z.labelY === null)).toEqual([false, false, false, false, true, true]);
    // Limit labels keep three decimals on a fraction.
    expect(main.labelDecimals).toBe(3);
});
