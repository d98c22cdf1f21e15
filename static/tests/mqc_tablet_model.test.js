import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { ConnectionLostError, RPCError } from "@web/core/network/rpc";
import { patchTranslations } from "@web/../tests/web_test_helpers";
import { TabletModel } from "@mrp_quality_control/tablet/tablet_model";
import { buildPayload, emptyEntry } from "@mrp_quality_control/tablet/entry/entry_payload";

describe.current.tags("desktop");

// The messages the operator is told, in English (no translation loaded).
beforeEach(() => patchTranslations());

// Ø20 h7: 19.979 - 20.000, pre-control band 19.98425 - 19.99475
function seat(id, extra = {}) {
    return {
        id,
        characteristic_id: 11,
        name: "Seat",
        balloon: "1",
        state: "todo",
        result_type: "measure",
        method_type: "lab",
        gauge_family: false,
        gauge_refusals: {},
        blocked_reason: false,
        tolerance_type: "bilateral",
        lower_limit: 19.979,
        upper_limit: 20.0,
        warn_lower: 19.98425,
        warn_upper: 19.99475,
        last_values: [],
        ...extra,
    };
}

function screen(checks, extra = {}) {
    return {
        workorder: { id: 7, name: "Grinding", pieces_done: 0, state: "progress" },
        first_piece: { required: false, approved: true, check_ids: [] },
        checks: checks.map((c) => ({ ...c })),
        gauges: [],
        drift: { events: [], answered: [], causes: [], actions: [] },
        notes: [],
        alerts: [],
        ...extra,
    };
}

function recorded(status, extra = {}) {
    return {
        status,
        message: status,
        check_state: status === "nok" ? "fail" : "pass",
        needs_disposition: status === "nok",
        rounded_value: 19.99,
        drift_event_id: false,
        replayed: false,
        ...extra,
    };
}

/**
 * A tablet on a fake server: ``answers`` by method of mqc.tablet; every call
 * is kept; ``server.offline`` cuts the network.
 */
function makeTablet(answers) {
    const store = {};
    const storage = { getItem: (k) => (k in store ? store[k] : null), setItem: (k, v) => (store[k] = v) };
    const server = { calls: [], notes: [], offline: false };
    const orm = {
        async call(model, method, args) {
            server.calls.push({ model, method, args });
            if (server.offline) {
                throw new ConnectionLostError("/web/dataset/call_kw");
            }
            return answers[method](...args);
        },
    };
    const notification = { add: (message, options) => server.notes.push([String(message), options.type]) };
    const model = new TabletModel({ orm, notification }, { storage });
    return { model, server, storage };
}

const methods = (server) => server.calls.map((c) => c.method);

test("opening a work order: one call to the door, the first check to fill selected", async () => {
    const { model, server } = makeTablet({ open: () => screen([seat(1, { state: "pass" }), seat(2), seat(3)]) });
    await model.start(7);
    expect(server.calls).toEqual([{ model: "mqc.tablet", method: "open", args: [7] }]);
    expect(model.loading).toBe(false);
    expect(model.selectedCheckId).toBe(2);
    expect(Object.keys(model.entries)).toEqual(["1", "2", "3"]);
    expect(model.openChecks.map((c) => c.id)).toEqual([2, 3]);
});

test("a value within tolerance updates the screen from the answer, without reloading", async () => {
    const { model, server } = makeTablet({ open: () => screen([seat(1), seat(2)]), record: () => recorded("ok") });
    await model.start(7);
    model.recorder.setText("19,99");
    expect(model.liveVerdict).toBe("ok");
    await model.recorder.submit();
    expect(methods(server)).toEqual(["open", "record"]);
    const [checkId, payload] = server.calls[1].args;
    expect(checkId).toBe(1);
    expect(payload.value).toBe(19.99);
    expect(payload.client_uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(model.checks[0].state).toBe("pass");
    // the run chart of every check of the characteristic takes the value
    expect(model.checks[1].last_values).toEqual([{ value: 19.99, verdict: "ok" }]);
    expect(model.results[1].saved).toBe(true);
    expect(model.entries[1].text).toBe("");
});

test("out of tolerance: the screen the answer carries is shown, the disposition asked", async () => {
    const after = screen([seat(1, { state: "fail", needs_disposition: true })], {
        alerts: [{ id: 5, name: "QA/5", state: "new" }],
    });
    const { model, server } = makeTablet({
        open: () => screen([seat(1)]),
        record: () => ({ ...recorded("nok", { rounded_value: 20.004 }), tablet: after }),
    });
    await model.start(7);
    model.recorder.setText("20,004");
    expect(model.liveVerdict).toBe("nok");
    await model.recorder.submit();
    expect(methods(server)).toEqual(["open", "record"]);
    expect(model.data).toBe(after);
    expect(model.openAlerts.length).toBe(1);
    expect(model.panel).toBe("disposition");
    expect(model.disposition.checkId).toBe(1);
});

test("offline: the entries wait in the queue, then go in one call when back online", async () => {
    const batches = [];
    const { model, server, storage } = makeTablet({
        open: () => screen([seat(1), seat(2), seat(3)]),
        record_batch: (entries, workorderId) => {
            batches.push({ entries, workorderId });
            return { results: entries.map(() => recorded("ok")) };
        },
    });
    await model.start(7);
    server.offline = true;
    for (const [checkId, text] of [[1, "19,99"], [2, "19,991"]]) {
        model.acts.selectCheck({ id: checkId });
        model.recorder.setText(text);
        await model.recorder.submit();
    }
    expect(model.pendingForWorkorder.length).toBe(2);
    expect(model.results[1].pending).toBe(true);
    expect(model.isPending(model.checks[1])).toBe(true);
    // a second entry of a check waiting to be saved is refused on the tablet
    model.recorder.setText("19,992");
    await model.recorder.submit();
    expect(server.notes.at(-1)).toEqual(["An entry of this check is waiting to be saved.", "warning"]);
    // the queue survives a reload of the page
    expect(new TabletModel({}, { storage }).queue.length).toBe(2);
    await model.recorder.flush(true); // still offline: kept, retried later
    expect(model.queue.length).toBe(2);
    server.offline = false;
    server.calls.length = 0;
    await model.recorder.flush(true);
    expect(methods(server)).toEqual(["record_batch"]);
    expect(batches.at(-1).workorderId).toBe(7);
    expect(batches.at(-1).entries.map((e) => [e.check_id, e.payload.value])).toEqual([
        [1, 19.99],
        [2, 19.991],
    ]);
    // the same client ids as the first tries: the server records each once
    const uids = batches.at(-1).entries.map((e) => e.payload.client_uid);
    expect(new Set(uids).size).toBe(2);
    expect(model.queue.length).toBe(0);
    expect(model.checks.map((c) => c.state)).toEqual(["pass", "pass", "todo"]);
    expect(server.notes.filter(([, type]) => type === "success").length).toBe(2);
});

test("a batch whose answer needs more: its screen is shown, else the screen is asked again", async () => {
    const after = screen([seat(1, { state: "fail" }), seat(2, { state: "pass" })]);
    let withScreen = true;
    const { model, server } = makeTablet({
        open: () => screen([seat(1), seat(2)]),
        record: () => {
            throw new ConnectionLostError("/web/dataset/call_kw");
        },
        record_batch: (entries) => ({
            results: [recorded("nok"), recorded("ok")].slice(0, entries.length),
            ...(withScreen ? { tablet: after } : {}),
        }),
    });
    await model.start(7);
    for (const [checkId, text] of [[1, "20,1"], [2, "19,99"]]) {
        model.acts.selectCheck({ id: checkId });
        model.recorder.setText(text);
        await model.recorder.submit();
    }
    await model.recorder.flush(true);
    expect(model.data).toBe(after);
    expect(methods(server).filter((m) => m === "open").length).toBe(1);
    // no screen in the answer (committed by another tablet meanwhile): asked again
    withScreen = false;
    model.queue.add({ checkId: 1, workorderId: 7, payload: { client_uid: "u-9", value: 20.1 }, label: "Seat" });
    await model.recorder.flush(true);
    expect(methods(server).at(-1)).toBe("open");
});

test("a batch refused as a whole is sent again entry by entry", async () => {
    const { model, server } = makeTablet({
        open: () => screen([seat(1), seat(2)]),
        record_batch: (entries) => {
            if (entries.length > 1 || entries[0].check_id === 2) {
                const error = new RPCError("Check: this record does not exist (id 2).");
                error.data = { message: "Check: this record does not exist (id 2)." };
                throw error;
            }
            return { results: [recorded("ok")] };
        },
    });
    await model.start(7);
    model.queue.add({ checkId: 1, workorderId: 7, payload: { client_uid: "a", value: 19.99 }, label: "Seat" });
    model.queue.add({ checkId: 2, workorderId: 7, payload: { client_uid: "b", value: 19.99 }, label: "Seat" });
    await model.recorder.flush(true);
    const sizes = server.calls.filter((c) => c.method === "record_batch").map((c) => c.args[0].length);
    expect(sizes).toEqual([2, 1, 1]);
    expect(model.queue.length).toBe(0);
    expect(model.checks[0].state).toBe("pass");
    expect(model.results[2].status).toBe("error");
    // the refused value is put back to be typed again
    expect(model.entries[2].text).toBe("19,99");
    expect(server.notes.some(([text, type]) => type === "danger" && text.includes("id 2"))).toBe(true);
});

test("what is missing is said, and nothing is sent", async () => {
    const gauge = { id: 4, name: "Micrometer", serial_no: "MIC-1", family_id: 3, usable: true };
    const check = seat(1, { method_type: "gauge", gauge_family: { id: 3, name: "Micrometer" } });
    const data = screen([check], { gauges: [gauge, { ...gauge, id: 5, serial_no: "MIC-2" }] });
    const entry = emptyEntry(check, data);
    expect(entry.gaugeId).toBe(false); // two usable gauges: the operator chooses
    expect(String(buildPayload(check, entry, data).warning)).toBe("Type a number first.");
    entry.text = "19,99";
    expect(String(buildPayload(check, entry, data).warning)).toBe("Choose the gauge you measured with.");
    entry.gaugeId = 4;
    const { payload } = buildPayload(check, entry, data);
    expect(payload).toEqual({ client_uid: payload.client_uid, value: 19.99, gauge_id: 4 });
    // a gauge whose latest study fails for the characteristic: greyed, refused
    const refused = { ...check, gauge_refusals: { 4: "Study GRR/1: not suitable" } };
    expect(buildPayload(refused, entry, data).warning).toBe("Study GRR/1: not suitable");
    const ok = seat(2, { result_type: "attribute" });
    expect(buildPayload(ok, emptyEntry(ok, data), data)).toEqual({});

    const { model, server } = makeTablet({ open: () => data });
    await model.start(7);
    await model.recorder.submit();
    expect(methods(server)).toEqual(["open"]);
    expect(server.notes).toEqual([["Type a number first.", "warning"]]);
});

test("a drift: the panel opens, waits when postponed, the answer brings the screen", async () => {
    const event = { id: 9, characteristic_id: 11, characteristic: "1 Seat" };
    const drifting = screen([seat(1, { state: "pass" }), seat(2, { blocked_reason: "Locked" })], {
        drift: { events: [event], answered: [], causes: [{ id: 1 }], actions: [{ id: 2 }] },
    });
    const answered = screen([seat(1, { state: "pass" }), seat(2)], {
        drift: { events: [], answered: [{ ...event, cause: "Tool wear" }], causes: [], actions: [] },
    });
    const { model, server } = makeTablet({
        open: () => screen([seat(1), seat(2)]),
        record: () => ({ ...recorded("ok", { drift_event_id: 9 }), tablet: drifting }),
        answer_drift: () => ({ status: "ok", message: "Drift answered", tablet: answered }),
    });
    await model.start(7);
    model.recorder.setText("19,999");
    await model.recorder.submit();
    expect(model.driftEventId).toBe(9);
    model.acts.postponeDrift(9);
    expect(model.driftEventId).toBe(false);
    model.applyData(drifting); // the screen again: the postponed drift stays a banner
    expect(model.driftEventId).toBe(false);
    model.acts.openDrift(9);
    await model.acts.answerDrift(9, 1, 2, "Offset X -0.02");
    expect(server.calls.at(-1).args).toEqual([9, 1, 2, "Offset X -0.02"]);
    expect(model.driftEventId).toBe(false);
    expect(model.driftTrace(model.checks[1]).length).toBe(1);
    expect(methods(server).filter((m) => m === "open").length).toBe(1);
});

test("the acts on the work order answer with the screen, one at a time", async () => {
    let release;
    const { model, server } = makeTablet({
        open: () => screen([seat(1)]),
        set_pieces_done: (id, pieces) =>
            new Promise((resolve) => {
                release = () => resolve({ status: "ok", tablet: screen([seat(1), seat(2)], {
                    workorder: { id, pieces_done: pieces, state: "progress" },
                }) });
            }),
        finish: () => {
            const error = new RPCError("Finish refused");
            error.data = { message: "Finish refused" };
            throw error;
        },
    });
    await model.start(7);
    model.acts.changePieces(3);
    expect(model.piecesDirty).toBe(true);
    const saving = model.acts.savePieces();
    expect(model.busy).toBe(true);
    await model.acts.finishWorkorder(); // refused on the tablet while a call runs
    release();
    await saving;
    expect(methods(server)).toEqual(["open", "set_pieces_done"]);
    expect(server.calls[1].args).toEqual([7, 3]);
    expect(model.checks.length).toBe(2);
    expect(model.piecesDirty).toBe(false);
    // a refusal is a message, not a dialog
    await model.acts.finishWorkorder();
    expect(server.notes.at(-1)).toEqual(["Finish refused", "danger"]);
    expect(model.busy).toBe(false);
});
