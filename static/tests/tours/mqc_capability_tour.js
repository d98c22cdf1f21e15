/** @odoo-module **/

import { registry } from "@web/core/registry";

const SHAFT = ".o_mqc_cap_row[data-plan='PC00101']";

/**
 * Capability dashboard, as an auditor: the demo shaft's bearing seats with their
 * Cpk, the "below target" counter as a filter, a line opening its study.
 * Relies on data attributes and figures only: it runs in any language.
 */
registry.category("web_tour.tours").add("mqc_capability_dashboard_tour", {
    steps: () => [
        {
            content: "The left bearing seat of the demo shaft shows its Cpk, capable",
            trigger: `${SHAFT}[data-balloon='1'].o_mqc_cap_ok .o_mqc_cap_value[data-value='1.90']:contains(/^1[.,]90$/)`,
        },
        {
            content: "The right bearing seat is below its target",
            trigger: `${SHAFT}[data-balloon='2'].o_mqc_cap_below .o_mqc_verdict_below`,
        },
        {
            content: "Lines below target come first in their plan",
            trigger: `tbody:has(${SHAFT}) ${SHAFT}.o_mqc_cap_below + ${SHAFT}.o_mqc_cap_below + ${SHAFT}.o_mqc_cap_ok[data-balloon='1']`,
        },
        {
            content: "Show only the characteristics below target",
            trigger: ".o_mqc_cap_counter_below",
            run: "click",
        },
        {
            content: "The capable seat is hidden, the right one still shown",
            trigger: `.o_mqc_cap_table:not(:has(${SHAFT}[data-balloon='1'])) ${SHAFT}[data-balloon='2']`,
        },
        {
            content: "Open the study of the right bearing seat",
            trigger: `${SHAFT}[data-balloon='2'] .o_mqc_cap_name`,
            run: "click",
        },
        {
            content: "The validated study opens in its form",
            trigger: ".o_form_view .o_field_widget[name='cpk']:contains(/^1[.,]45/)",
        },
    ],
});
