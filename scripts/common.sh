# Shared by scripts/run.sh and scripts/test.sh: find Odoo 18, prepare the Python
# environment and PostgreSQL. Sourced, not run.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODULE=mrp_quality_control
MQC_VENV=${MQC_VENV:-$HOME/.venvs/mqc}
MQC_DATA=${MQC_DATA:-$HOME/.local/share/$MODULE}
DB_HOST=${MQC_DB_HOST:-127.0.0.1}
DB_PORT=${MQC_DB_PORT:-5432}
DB_USER=${MQC_DB_USER:-odoo}
PG_ADMIN=${MQC_PG_ADMIN:-postgres}
DEPENDS="mrp,maintenance,hr_skills"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

is_odoo18() { [ -f "$1/odoo-bin" ] && grep -q "^version_info = (18, 0" "$1/odoo/release.py" 2>/dev/null; }

find_odoo() {
    ODOO_HOME=${ODOO_HOME:-}
    if [ -n "$ODOO_HOME" ]; then
        is_odoo18 "$ODOO_HOME" || { echo "ODOO_HOME=$ODOO_HOME is not an Odoo 18.0 source tree" >&2; ODOO_HOME=; }
        return 0
    fi
    local candidate
    for candidate in /opt/odoo18 /opt/odoo "$HOME/odoo18" "$HOME/odoo" "$HOME/src/odoo" "$REPO/../odoo" "$REPO/../odoo18"; do
        if is_odoo18 "$candidate"; then ODOO_HOME=$(cd "$candidate" && pwd); return 0; fi
    done
    ODOO_HOME=
}

ensure_venv() {
    local python=${MQC_PYTHON:-python3}
    if [ ! -x "$MQC_VENV/bin/python" ]; then
        say "Creating the Python environment $MQC_VENV"
        "$python" -m venv "$MQC_VENV"
        "$MQC_VENV/bin/pip" install -q --upgrade pip wheel setuptools
    fi
    PY=$MQC_VENV/bin/python
    local wanted=("$REPO/requirements.txt") stamp_src
    if [ -n "$ODOO_HOME" ]; then
        # Odoo pins cbor2==5.4.2, which no longer builds with current setuptools;
        # any later 5.x works.
        mkdir -p "$MQC_DATA"
        sed -e 's/^cbor2==5\.4\.2.*/cbor2>=5.4.6,<6/' "$ODOO_HOME/requirements.txt" > "$MQC_DATA/odoo-requirements.txt"
        wanted+=("$MQC_DATA/odoo-requirements.txt")
    fi
    stamp_src=$(cat "${wanted[@]}" | sha1sum | cut -c1-16)
    if [ "$(cat "$MQC_VENV/.mqc-stamp" 2>/dev/null)" != "$stamp_src" ]; then
        say "Installing Python packages (first run only)"
        local args=()
        for f in "${wanted[@]}"; do args+=(-r "$f"); done
        "$MQC_VENV/bin/pip" install -q "${args[@]}"
        echo "$stamp_src" > "$MQC_VENV/.mqc-stamp"
    fi
    if [ -n "$ODOO_HOME" ]; then
        # Odoo is a source tree, not a package: a .pth file makes `import odoo`
        # work from this environment anywhere (tests, shell, benchmarks).
        local site
        site=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
        echo "$ODOO_HOME" > "$site/odoo18.pth"
    fi
}

ensure_postgres() {
    if ! pg_isready -q -h "$DB_HOST" -p "$DB_PORT" 2>/dev/null; then
        say "Starting PostgreSQL"
        if command -v pg_ctlcluster >/dev/null; then
            local version
            version=$(ls /etc/postgresql | sort -V | tail -1)
            pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        fi
        for _ in $(seq 1 30); do pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && break; sleep 1; done
        pg_isready -q -h "$DB_HOST" -p "$DB_PORT" || { echo "PostgreSQL is not reachable on $DB_HOST:$DB_PORT" >&2; exit 1; }
    fi
    # Odoo refuses to run as the postgres superuser: use a role that may create databases.
    if ! psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atc "select 1" >/dev/null 2>&1; then
        say "Creating the PostgreSQL role $DB_USER"
        psql -h "$DB_HOST" -p "$DB_PORT" -U "$PG_ADMIN" -d postgres -qc "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB"
    fi
}

# The add-on must be found under its technical name: link this checkout into an addons folder.
prepare_addons_path() {
    ADDONS_DIR=$MQC_DATA/addons-$(printf '%s' "$REPO" | sha1sum | cut -c1-8)
    mkdir -p "$ADDONS_DIR"
    ln -sfn "$REPO" "$ADDONS_DIR/$MODULE"
    ADDONS_PATH=$ODOO_HOME/addons,$ADDONS_DIR
}

odoo_bin() {
    "$PY" "$ODOO_HOME/odoo-bin" --db_host "$DB_HOST" --db_port "$DB_PORT" --db_user "$DB_USER" \
        --addons-path "$ADDONS_PATH" --data-dir "$MQC_DATA/filestore" "$@"
}

db_exists() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atc "select 1 from pg_database where datname='$1'" | grep -q 1; }

# "table count" for every table of the add-on's models (mqc_*), one a line, sorted.
count_mqc_rows() {
    psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$1" -AtF ' ' -c "
        SELECT table_name, (xpath('/row/n/text()',
               query_to_xml(format('SELECT count(*) AS n FROM %I', table_name), false, true, '')))[1]::text
          FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name LIKE 'mqc\\_%'
         ORDER BY table_name"
}

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Odoo's own modules take minutes to install; keep them once in a template database
# (named after the Odoo tree and the dependencies) and copy it for each new database.
deps_template() {
    local key
    key=$( (cat "$ODOO_HOME/odoo/release.py"; echo "$ODOO_HOME $DEPENDS demo=$1") | sha1sum | cut -c1-8)
    TEMPLATE=mqc_tpl_${1}_$key
    if ! db_exists "$TEMPLATE"; then
        say "Installing Odoo's $DEPENDS once into template database $TEMPLATE (a few minutes)"
        local demo_flag=()
        [ "$1" = "nodemo" ] && demo_flag=(--without-demo=all)
        # Built under a temporary name and renamed when complete, so that an
        # interrupted build is never taken for a template.
        local building=${TEMPLATE}_building_$$
        odoo_bin -d "$building" -i "$DEPENDS" --load-language fr_FR "${demo_flag[@]}" \
            --stop-after-init --http-port "$(free_port)" --log-level warn
        sleep 2
        psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -qc \
            "ALTER DATABASE \"$building\" RENAME TO \"$TEMPLATE\""
        if [ -d "$MQC_DATA/filestore/filestore/$building" ]; then
            mv "$MQC_DATA/filestore/filestore/$building" "$MQC_DATA/filestore/filestore/$TEMPLATE"
        fi
    fi
}

new_db_from_template() {
    local db=$1
    if db_exists "$db"; then dropdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$db"; fi
    # A server that just stopped may hold its connection to the template a moment longer.
    local try
    for try in 1 2 3 4 5 6 7 8 9 10; do
        createdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -T "$TEMPLATE" "$db" 2>/dev/null && break
        [ "$try" = 10 ] && { createdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -T "$TEMPLATE" "$db"; return 1; }
        sleep 3
    done
    # The filestore of the template goes with it.
    if [ -d "$MQC_DATA/filestore/filestore/$TEMPLATE" ]; then
        rm -rf "$MQC_DATA/filestore/filestore/$db"
        cp -a "$MQC_DATA/filestore/filestore/$TEMPLATE" "$MQC_DATA/filestore/filestore/$db"
    fi
}
