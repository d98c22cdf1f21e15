#!/usr/bin/env bash
# Installs what is missing, creates (or reuses) the demo database with the add-on
# and its demo data, and serves the web client on 127.0.0.1:8069.
source "$(dirname "$0")/common.sh"

find_odoo
if [ -z "$ODOO_HOME" ]; then
    echo "Odoo 18.0 was not found. Clone it (see README, 'Install Odoo 18') and set ODOO_HOME." >&2
    exit 1
fi
ensure_venv
ensure_postgres
prepare_addons_path
DB=${MQC_DB:-mqc_demo}
PORT=${MQC_PORT:-8069}

if db_exists "$DB"; then
    say "Updating the add-on in the existing database $DB"
    odoo_bin -d "$DB" -u "$MODULE" --stop-after-init --http-port "$(free_port)" --log-level warn
else
    deps_template demo
    say "Creating database $DB with the add-on and its demo data"
    new_db_from_template "$DB"
    odoo_bin -d "$DB" -i "$MODULE" --stop-after-init --http-port "$(free_port)" --log-level warn
fi

cat <<MSG

  Production quality control is ready:  http://127.0.0.1:$PORT/odoo
  Database: $DB

  Demo logins (login / password):
    admin       / admin         administrator, quality manager
    manager     / manager       Quality Manager (approves control plans)
    technician  / technician    Quality Technician (writes control plans)
    metrologist / metrologist   Metrologist (gauges and calibration)
    operator    / operator      Operator (shop-floor checks)
    auditor     / auditor       Auditor (read-only)

  Stop with Ctrl+C.
MSG
exec "$PY" "$ODOO_HOME/odoo-bin" --db_host "$DB_HOST" --db_port "$DB_PORT" --db_user "$DB_USER" \
    --addons-path "$ADDONS_PATH" --data-dir "$MQC_DATA/filestore" -d "$DB" --db-filter "^$DB\$" \
    --http-interface 127.0.0.1 --http-port "$PORT" --log-level "${MQC_LOG_LEVEL:-warn}"
