/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * Control-chart screen, quality technician: opened from the "Control Charts"
 * list, a point beyond the limit shown red with its rule, excluded with an
 * assignable cause (kept, greyed), then the limits frozen with a reason.
 * Only CSS classes and figures: the tour runs in any language.
 */
registry.category("web_tour.tours").add("mqc_spc_chart_tour", {
    steps: () => [
        {
            content: "Open the chart of the diameter from the Control Charts list",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('Diameter')",
            run: "click",
        },
        {
            content: "The chart screen: an individuals chart in phase I",
            trigger: ".o_mqc_spc_chart .o_mqc_cc_main .o_mqc_cc_point",
        },
        {
            content: "The last point (21st) is red, marked with Nelson rule 1",
            trigger: ".o_mqc_cc_main .o_mqc_cc_point.o_mqc_cc_flagged[data-index='20']",
        },
        {
            content: "The rule number is written next to the red point",
            trigger: ".o_mqc_cc_main text.o_mqc_cc_rule_mark:contains('1')",
        },
        {
            content: "The legend lists the broken rule with its label",
            trigger: ".o_mqc_cc_rules .o_mqc_cc_rule[data-rule='1'] .o_mqc_cc_rule_label:contains('1')",
        },
        {
            content: "Click the red point",
            trigger: ".o_mqc_cc_main .o_mqc_cc_point.o_mqc_cc_flagged[data-index='20']",
            run: "click",
        },
        {
            content: "The side panel tells the point and its rule",
            trigger: ".o_mqc_sc_side .o_mqc_sc_side_rule",
        },
        {
            content: "Give the assignable cause",
            trigger: ".o_mqc_sc_side textarea.o_mqc_sc_cause",
            run: "edit Chip under the anvil",
        },
        {
            content: "Exclude the point from the limits",
            trigger: ".o_mqc_sc_side .o_mqc_sc_exclude:enabled",
            run: "click",
        },
        {
            content: "The point stays on the chart, greyed and hollow",
            trigger: ".o_mqc_cc_main .o_mqc_cc_point.o_mqc_cc_excluded[data-index='20']",
        },
        {
            content: "The side panel says it is excluded",
            trigger: ".o_mqc_sc_side .o_mqc_sc_excluded_info",
        },
        {
            content: "Freeze the limits",
            trigger: ".o_mqc_sc_freeze",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal textarea.o_mqc_reason_text",
            run: "edit Stable process after the chip was removed",
        },
        {
            content: "Confirm",
            trigger: ".modal .o_mqc_reason_confirm:enabled",
            run: "click",
        },
        {
            content: "Phase II: the limits can now be recomputed",
            trigger: ".o_mqc_spc_chart:not(:has(.modal)) .o_mqc_sc_recompute",
        },
    ],
});

/** The same screen for an operator: the chart, no button to change it. */
registry.category("web_tour.tours").add("mqc_spc_chart_readonly_tour", {
    steps: () => [
        {
            content: "The chart is drawn",
            trigger: ".o_mqc_spc_chart .o_mqc_cc_main .o_mqc_cc_point.o_mqc_cc_flagged[data-index='20']",
            run: "click",
        },
        {
            content: "The point's details, without the exclusion form",
            trigger: ".o_mqc_sc_side:not(:has(.o_mqc_sc_exclude))",
        },
        {
            content: "No button to freeze or recompute the limits",
            trigger: ".o_mqc_spc_chart:not(:has(.o_mqc_sc_freeze)):not(:has(.o_mqc_sc_recompute))",
        },
        {
            content: "But the chart can be printed",
            trigger: ".o_control_panel .o_mqc_sc_print",
        },
    ],
});

/** Shop-floor tablet: the chart of a measured check, compact, then closed. */
registry.category("web_tour.tours").add("mqc_spc_chart_tablet_tour", {
    steps: () => [
        {
            content: "Show the checks done",
            trigger: ".o_mqc_tablet .o_mqc_toggle_done",
            run: "click",
        },
        {
            content: "Select a diameter check",
            trigger: ".o_mqc_check_tile[data-balloon='1']:first",
            run: "click",
        },
        {
            content: "Open its control chart",
            trigger: ".o_mqc_detail .o_mqc_open_chart",
            run: "click",
        },
        {
            content: "The compact chart: the point beyond the limit is red, no filter",
            trigger: ".o_mqc_chart_panel .o_mqc_cc_compact .o_mqc_cc_point.o_mqc_cc_flagged[data-index='20']",
        },
        {
            content: "Its rule is listed",
            trigger: ".o_mqc_chart_panel .o_mqc_cc_rule[data-rule='1']",
        },
        {
            content: "Close the chart",
            trigger: ".o_mqc_chart_panel .o_mqc_chart_close",
            run: "click",
        },
        {
            content: "Back on the checks",
            trigger: ".o_mqc_tablet:not(:has(.o_mqc_chart_panel)) .o_mqc_detail .o_mqc_open_chart",
        },
    ],
});
