import { describe, expect, test } from "@odoo/hoot";
import {
    LAST_VALUES,
    PendingQueue,
    limitsOf,
    newClientUid,
    parseEntry,
    patchRecorded,
    verdictOf,
} from "@mrp_quality_control/tablet/tablet_utils";

describe.current.tags("desktop");

// Ø20 h7: 19.979 - 20.000, pre-control band 19.98425 - 19.99475
const seat = {
    tolerance_type: "bilateral",
    lower_limit: 19.979,
    upper_limit: 20.0,
    warn_lower: 19.98425,
    warn_upper: 19.99475,
};

test("parseEntry accepts both decimal separators and a minus sign", () => {
    expect(parseEntry("19,99")).toBe(19.99);
    expect(parseEntry("19.99")).toBe(19.99);
    expect(parseEntry("-0,5")).toBe(-0.5);
    expect(parseEntry(",5")).toBe(0.5);
    expect(parseEntry("20,")).toBe(20);
    expect(parseEntry("")).toBe(null);
    expect(parseEntry("-")).toBe(null);
    expect(parseEntry("1,2,3")).toBe(null);
    expect(parseEntry("abc")).toBe(null);
});

test("verdictOf: green inside, amber in the warning band, red outside", () => {
    expect(verdictOf(seat, 19.99)).toBe("ok");
    expect(verdictOf(seat, 19.98)).toBe("warning");
    expect(verdictOf(seat, 19.998)).toBe("warning");
    expect(verdictOf(seat, 19.979)).toBe("warning");
    expect(verdictOf(seat, 20.0)).toBe("warning");
    expect(verdictOf(seat, 20.001)).toBe("nok");
    expect(verdictOf(seat, 19.97)).toBe("nok");
    expect(verdictOf(seat, null)).toBe(null);
});

test("one-sided tolerances ignore the missing limit", () => {
    const roughness = { tolerance_type: "upper", lower_limit: 0, upper_limit: 0.8, warn_lower: false, warn_upper: 0.6 };
    expect(limitsOf(roughness)).toEqual({ lower: null, upper: 0.8 });
    expect(verdictOf(roughness, -1)).toBe("ok");
    expect(verdictOf(roughness, 0.7)).toBe("warning");
    expect(verdictOf(roughness, 0.9)).toBe("nok");
    const hardness = { tolerance_type: "lower", lower_limit: 56, upper_limit: false };
    expect(verdictOf(hardness, 70)).toBe("ok");
    expect(verdictOf(hardness, 55)).toBe("nok");
});

test("client ids are RFC 4122 version 4 and distinct", () => {
    const a = newClientUid();
    const b = newClientUid();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
});

test("the pending queue survives a reload, dedups by client id and backs off", () => {
    const store = {};
    const storage = {
        getItem: (k) => (k in store ? store[k] : null),
        setItem: (k, v) => (store[k] = v),
    };
    const queue = new PendingQueue(storage);
    const entry = { checkId: 7, workorderId: 3, payload: { client_uid: "u1", value: 20.01 } };
    queue.add(entry);
    queue.add(entry);
    expect(queue.length).toBe(1);
    expect(queue.due().length).toBe(1);
    queue.bump("u1");
    expect(queue.due().length).toBe(0);
    expect(queue.due(Date.now() + 2500).length).toBe(1);
    // a new page reads the same storage
    const reloaded = new PendingQueue(storage);
    expect(reloaded.forWorkorder(3).map((i) => i.payload.value)).toEqual([20.01]);
    reloaded.remove("u1");
    expect(new PendingQueue(storage).length).toBe(0);
});

test("patchRecorded updates the check and its characteristic's run chart from a value within tolerance", () => {
    const history = Array.from({ length: 20 }, (_, i) => ({ value: 20 - i / 1000, verdict: "ok" }));
    const data = {
        checks: [
            { id: 1, characteristic_id: 7, state: "todo", verdict: false, last_values: [...history] },
            { id: 2, characteristic_id: 7, state: "todo", verdict: false, last_values: [...history] },
            { id: 3, characteristic_id: 8, state: "todo", verdict: false, last_values: [] },
        ],
    };
    const answer = {
        status: "warning",
        check_state: "pass",
        needs_disposition: false,
        rounded_value: 19.996,
        drift_event_id: false,
    };
    expect(patchRecorded(data, 1, answer)).toBe(true);
    expect(data.checks[0].state).toBe("pass");
    expect(data.checks[0].verdict).toBe("warning");
    expect(data.checks[1].state).toBe("todo");
    // the oldest of the 20 values leaves the chart, the new one ends it
    for (const check of data.checks.slice(0, 2)) {
        expect(check.last_values.length).toBe(LAST_VALUES);
        expect(check.last_values[0].value).toBe(19.999);
        expect(check.last_values[19]).toEqual({ value: 19.996, verdict: "warning" });
    }
    expect(data.checks[2].last_values).toEqual([]);
});

test("patchRecorded leaves the data alone when the answer needs more", () => {
    const fresh = () => ({ checks: [{ id: 1, characteristic_id: 7, state: "todo", last_values: [] }] });
    const ok = { status: "ok", check_state: "pass", rounded_value: 20, drift_event_id: false };
    for (const answer of [
        { ...ok, status: "nok", check_state: "fail" },
        { ...ok, drift_event_id: 12 },
        { ...ok, refresh: true },
        { ...ok, tablet: { checks: [] } },
        { status: "conflict", check_state: "pass" },
        { status: "error", check_state: "todo" },
    ]) {
        const data = fresh();
        expect(patchRecorded(data, 1, answer)).toBe(false);
        expect(data).toEqual(fresh());
    }
    expect(patchRecorded(fresh(), 99, ok)).toBe(false);
    expect(patchRecorded(null, 1, ok)).toBe(false);
});
