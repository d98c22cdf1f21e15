import { describe, expect, test } from "@odoo/hoot";
import {
    bulletGeometry,
    countLines,
    filterLines,
    groupByPlan,
    isBelowTarget,
    sortLines,
} from "@mrp_quality_control/capability_dashboard/capability_utils";

describe.current.tags("desktop");

function line(values) {
    return {
        plan_id: 1,
        plan: "PC00101",
        revision: "B",
        product: "Shaft",
        criticality: "major",
        kind: "process",
        date: "2026-11-01 08:00:00",
        ...values,
    };
}

// Two plans; below target: 3 (1.10 < 1.33, gap -0.23), 2 (1.45 < 1.67, gap -0.22), 11 (0.90 < 1.33).
const LINES = [
    line({ study_id: 1, balloon: "1", cpk: 1.9, target: 1.67, verdict: "capable", band: 2, criticality: "critical" }),
    line({ study_id: 2, balloon: "2", cpk: 1.45, target: 1.67, verdict: "not_capable", band: 1, criticality: "critical" }),
    line({ study_id: 3, balloon: "3", cpk: 1.1, target: 1.33, verdict: "not_capable", band: 1 }),
    line({ study_id: 10, plan_id: 2, plan: "PC00102", balloon: "10", cpk: 2.1, target: 1.33, verdict: "capable", band: 4 }),
    line({ study_id: 11, plan_id: 2, plan: "PC00102", balloon: "11", cpk: 0.9, target: 1.33, verdict: "not_capable", band: 0, criticality: "minor" }),
    line({ study_id: 12, plan_id: 3, plan: "PC00099", balloon: "1", cpk: 1.5, target: 1.33, verdict: "capable", band: 2 }),
];

const ids = (lines) => lines.map((l) => l.study_id);

test("isBelowTarget follows the verdict, else the numbers", () => {
    expect(isBelowTarget(LINES[1])).toBe(true);
    expect(isBelowTarget(LINES[0])).toBe(false);
    expect(isBelowTarget({ cpk: 1.2, target: 1.33 })).toBe(true);
    expect(isBelowTarget({ cpk: 1.33, target: 1.33 })).toBe(false);
});

test("default order: below target first, furthest below first", () => {
    // gaps: 11 -0.43, 3 -0.23, 2 -0.22 | 1 +0.23, 12 +0.17, 10 +0.77 (capable by gap ascending)
    expect(ids(sortLines(LINES))).toEqual([11, 3, 2, 12, 1, 10]);
});

test("sorting by a column, both ways; balloons sort as numbers", () => {
    expect(ids(sortLines(LINES, "cpk"))).toEqual([11, 3, 2, 12, 1, 10]);
    expect(ids(sortLines(LINES, "cpk", false))).toEqual([10, 1, 12, 2, 3, 11]);
    // "1" twice: the study id breaks the tie; "10" after "3"
    expect(ids(sortLines(LINES, "balloon"))).toEqual([1, 12, 2, 3, 10, 11]);
    expect(ids(sortLines(LINES, "criticality"))).toEqual([1, 2, 12, 3, 10, 11]);
    // the input is not changed
    expect(ids(LINES)).toEqual([1, 2, 3, 10, 11, 12]);
});

test("filters: plan, class, verdict, band", () => {
    expect(ids(filterLines(LINES, { planId: 2 }))).toEqual([10, 11]);
    expect(ids(filterLines(LINES, { criticality: "critical" }))).toEqual([1, 2]);
    expect(ids(filterLines(LINES, { verdict: "below" }))).toEqual([2, 3, 11]);
    expect(ids(filterLines(LINES, { verdict: "capable" }))).toEqual([1, 10, 12]);
    expect(ids(filterLines(LINES, { band: 0 }))).toEqual([11]);
    expect(ids(filterLines(LINES, { band: "" }))).toEqual(ids(LINES));
    expect(ids(filterLines(LINES, { planId: 1, verdict: "below", criticality: "major" }))).toEqual([3]);
});

test("groups by plan: plans with a line below target first, lines kept in order", () => {
    const groups = groupByPlan(sortLines(LINES));
    expect(groups.map((g) => [g.plan, g.below, ids(g.lines)])).toEqual([
        ["PC00101", 2, [3, 2, 1]],
        ["PC00102", 1, [11, 10]],
        ["PC00099", 0, [12]],
    ]);
});

test("counters: studied, below target, per band", () => {
    expect(countLines(LINES)).toEqual({ studied: 6, below: 3, bands: [1, 2, 2, 0, 1] });
    expect(countLines([])).toEqual({ studied: 0, below: 0, bands: [0, 0, 0, 0, 0] });
});

test("bullet geometry: value and target in % of the scale, clipped beyond it", () => {
    expect(bulletGeometry(1.25, 1.67, 2.5)).toEqual({ value: 50, target: 66.8, clipped: false });
    expect(bulletGeometry(3.0, 1.33, 2.5)).toEqual({ value: 100, target: 53.2, clipped: true });
    expect(bulletGeometry(-0.5, 1.33, 2.5).value).toBe(0);
});
