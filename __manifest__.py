{
    "name": "MRP Quality Control",
    "summary": "Control plans (gammes de contrôle), shop-floor checks, SPC, "
    "capability and gauge calibration for machining and assembly shops",
    "version": "18.0.1.0.0",
    "category": "Manufacturing/Quality",
    "author": "mrp_quality_control contributors",
    "website": "https://github.com/mrp-quality-control/mrp_quality_control",
    "license": "LGPL-3",
    "depends": ["mrp", "maintenance", "hr_skills", "mail"],
    "external_dependencies": {"python": ["numpy", "scipy", "xlsxwriter"]},
    "data": [
        "security/mqc_security.xml",
        "security/ir.model.access.csv",
        "data/mqc_gauge_family_data.xml",
        "data/mqc_sequence_data.xml",
        "report/mqc_control_plan_report.xml",
        "report/mqc_control_plan_templates.xml",
        "wizards/mqc_control_plan_revise_views.xml",
        "views/mqc_control_plan_views.xml",
        "views/mqc_characteristic_views.xml",
        "views/mqc_gauge_family_views.xml",
        "views/product_template_views.xml",
        "views/mrp_routing_workcenter_views.xml",
        "views/mqc_menus.xml",
        "views/mqc_tablet_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "mrp_quality_control/static/src/**/*",
        ],
        "web.assets_tests": [
            "mrp_quality_control/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/mqc_users_demo.xml",
        "demo/mqc_products_demo.xml",
        "demo/mqc_control_plan_demo.xml",
    ],
    "application": True,
    "installable": True,
}
