#!/usr/bin/env bash
# Real Postfix with Dovecot SASL on loopback, for the SMTP engine's integration tests.
#
#   sudo bash scripts/test-servers/postfix-dovecot.sh          # configure and (re)start
#   sudo bash scripts/test-servers/postfix-dovecot.sh --stop   # stop both servers
#   sudo bash scripts/test-servers/postfix-dovecot.sh --status # exit 0 when both run
#
# Needs root and the Debian packages `postfix` and `dovecot-core` (plus `openssl`).
# Idempotent: every run rewrites the configuration and restarts the servers; the CA,
# the certificates and the test passwords are kept between runs.
#
# It runs a private Postfix instance and a private Dovecot instance (own configuration,
# queue, sockets and logs under $POSTBOTE_TEST_ROOT, default /var/lib/postbote-test), so
# the system's /etc/postfix and /etc/dovecot are neither read nor changed. No systemd,
# syslog, DNS or real host name is needed. Everything listens on 127.0.0.1 only:
#
#   10025  smtp         plain SMTP, STARTTLS offered, no AUTH (probing, port-25 style)
#   10587  submission   STARTTLS required, AUTH required before MAIL
#   10465  submissions  implicit TLS, AUTH required before MAIL
#
# Dovecot is Postfix's SASL backend (passwd-file; PLAIN, LOGIN, CRAM-MD5). Mail for the
# test domain is delivered into Maildirs; unknown recipients are refused at RCPT; relaying
# to any other domain is refused for everyone, authenticated or not (nothing ever leaves
# the machine). The facts the tests need are written as JSON to $POSTBOTE_POSTFIX_INFO
# (default $POSTBOTE_TEST_ROOT/postfix.json).
#
# Environment:
#   POSTBOTE_TEST_ROOT       state directory            (default /var/lib/postbote-test)
#   POSTBOTE_POSTFIX_INFO    where the JSON goes        (default $POSTBOTE_TEST_ROOT/postfix.json)
#   POSTBOTE_MAIL_OWNER      user owning the Maildirs   (default: owner of this checkout,
#                            or nobody when that is root) so tests can read and clear them
#   POSTBOTE_SMTP_PORT, POSTBOTE_SUBMISSION_PORT, POSTBOTE_SUBMISSIONS_PORT   ports
set -euo pipefail

ROOT=${POSTBOTE_TEST_ROOT:-/var/lib/postbote-test}
INFO=${POSTBOTE_POSTFIX_INFO:-$ROOT/postfix.json}
HOST=127.0.0.1
SMTP_PORT=${POSTBOTE_SMTP_PORT:-10025}
SUBMISSION_PORT=${POSTBOTE_SUBMISSION_PORT:-10587}
SUBMISSIONS_PORT=${POSTBOTE_SUBMISSIONS_PORT:-10465}
DOMAIN=postbote.test
MYHOSTNAME=mail.$DOMAIN
SIZE_LIMIT=2097152 # 2 MiB

PF=$ROOT/postfix       # config_directory of our instance (main.cf, master.cf, maps)
PF_QUEUE=$ROOT/postfix-queue
PF_DATA=$ROOT/postfix-data
DC=$ROOT/dovecot       # dovecot.conf, passwd file, sockets, logs
TLS_DIR=$ROOT/tls
MAIL_DIR=$ROOT/mail
LOG_DIR=$ROOT/log    # readable by everyone: the first place to look when a test fails

say() { printf 'postfix-dovecot: %s\n' "$*"; }
die() { printf 'postfix-dovecot: ERROR: %s\n' "$*" >&2; exit 1; }

# The logs are the first thing anyone needs when a start fails.
show_logs() {
  for f in "$LOG_DIR/postfix.log" "$LOG_DIR/dovecot.log"; do
    [ -s "$f" ] && { printf -- '--- last lines of %s ---\n' "$f" >&2; tail -n 20 "$f" >&2; }
  done
  return 0
}

stop_servers() {
  if [ -f "$PF/main.cf" ] && postfix -c "$PF" status >/dev/null 2>&1; then
    postfix -c "$PF" stop >/dev/null 2>&1 || true
  fi
  if [ -f "$DC/run/master.pid" ]; then
    local pid
    pid=$(cat "$DC/run/master.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      doveadm -c "$DC/dovecot.conf" stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    fi
  fi
  # Wait until the ports are free, so a restart does not race the old processes.
  for _ in $(seq 1 50); do
    port_open "$SMTP_PORT" || port_open "$SUBMISSION_PORT" || port_open "$SUBMISSIONS_PORT" || return 0
    sleep 0.1
  done
  die "the old servers did not release ports $SMTP_PORT/$SUBMISSION_PORT/$SUBMISSIONS_PORT"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

status() {
  local ok=0
  if postfix -c "$PF" status >/dev/null 2>&1; then say "postfix: running"; else say "postfix: not running"; ok=1; fi
  if [ -f "$DC/run/master.pid" ] && kill -0 "$(cat "$DC/run/master.pid")" 2>/dev/null; then say "dovecot: running"; else say "dovecot: not running"; ok=1; fi
  return $ok
}

case "${1:-}" in
  --stop)   [ "$(id -u)" = 0 ] || die "run as root (sudo)"; stop_servers; say "stopped"; exit 0 ;;
  --status) status; exit $? ;;
  ""|--start) ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown option '$1' (use --start, --stop or --status)" ;;
esac

[ "$(id -u)" = 0 ] || die "run as root (sudo): Postfix and Dovecot are started as root and drop privileges"
for cmd in postfix postconf dovecot doveadm openssl; do
  command -v "$cmd" >/dev/null || die "'$cmd' not found: apt-get install -y postfix dovecot-core openssl"
done
id postfix >/dev/null 2>&1 || die "system user 'postfix' missing (is the postfix package installed?)"
id dovecot >/dev/null 2>&1 && id dovenull >/dev/null 2>&1 || die "system users 'dovecot'/'dovenull' missing (is dovecot-core installed?)"

# Who owns the Maildirs: the person who runs the tests must read and clear them, and
# Postfix's virtual(8) agent refuses to deliver as root.
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -n "${POSTBOTE_MAIL_OWNER:-}" ]; then
  MAIL_UID=$(id -u "$POSTBOTE_MAIL_OWNER") || die "POSTBOTE_MAIL_OWNER: no such user '$POSTBOTE_MAIL_OWNER'"
elif [ -n "${SUDO_UID:-}" ] && [ "$SUDO_UID" != 0 ]; then
  MAIL_UID=$SUDO_UID
else
  MAIL_UID=$(stat -c %u "$script_dir")
fi
[ "$MAIL_UID" -ge 100 ] 2>/dev/null || MAIL_UID=$(id -u nobody)
MAIL_GID=$(id -g "$MAIL_UID" 2>/dev/null || stat -c %g "$script_dir")

stop_servers

umask 022
mkdir -p "$ROOT" "$LOG_DIR" "$PF" "$PF_QUEUE" "$PF_DATA" "$DC/run" "$TLS_DIR" "$MAIL_DIR"
chmod 755 "$ROOT" "$DC"

# ---------------------------------------------------------------- certificates
# A private CA (kept, so clients that trust it keep working) and a server certificate for
# localhost / 127.0.0.1, renewed when it is missing, expiring or not from this CA.
ca_key=$TLS_DIR/ca.key ca_crt=$TLS_DIR/ca.crt srv_key=$TLS_DIR/server.key srv_crt=$TLS_DIR/server.crt
ossl() { openssl "$@" 2>"$TLS_DIR/openssl.err" || { cat "$TLS_DIR/openssl.err" >&2; die "openssl $1 failed"; }; }
if [ ! -s "$ca_key" ] || [ ! -s "$ca_crt" ] || ! openssl x509 -in "$ca_crt" -noout -checkend 604800 >/dev/null 2>&1; then
  say "creating test CA in $TLS_DIR"
  ossl req -x509 -newkey rsa:2048 -nodes -keyout "$ca_key" -out "$ca_crt" -days 825 \
    -subj "/CN=Postbote Postfix Test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  rm -f "$srv_crt"
fi
if [ ! -s "$srv_key" ] || [ ! -s "$srv_crt" ] || ! openssl x509 -in "$srv_crt" -noout -checkend 604800 >/dev/null 2>&1 \
   || ! openssl verify -CAfile "$ca_crt" "$srv_crt" >/dev/null 2>&1; then
  say "issuing server certificate for localhost, 127.0.0.1, $MYHOSTNAME"
  cat >"$TLS_DIR/server.ext" <<EOF
subjectAltName=DNS:localhost,DNS:$MYHOSTNAME,IP:127.0.0.1
basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
EOF
  ossl req -newkey rsa:2048 -nodes -keyout "$srv_key" -out "$TLS_DIR/server.csr" -subj "/CN=localhost"
  ossl x509 -req -in "$TLS_DIR/server.csr" -CA "$ca_crt" -CAkey "$ca_key" -set_serial "$(date +%s)" \
    -days 365 -extfile "$TLS_DIR/server.ext" -out "$srv_crt"
fi
chmod 600 "$ca_key" "$srv_key"
chmod 644 "$ca_crt" "$srv_crt"

# ---------------------------------------------------------------- users
# Passwords are random per machine and kept; the tests read them from the JSON.
passwd_file=$DC/users
pw_of() { [ -f "$passwd_file" ] && sed -n "s/^$1@$DOMAIN:{PLAIN}\([^:]*\):.*/\1/p" "$passwd_file" | head -n1; }
PW1=$(pw_of test || true); [ -n "$PW1" ] || PW1=$(openssl rand -hex 12)
PW2=$(pw_of second || true); [ -n "$PW2" ] || PW2=$(openssl rand -hex 12)
# {PLAIN} so that Dovecot can answer CRAM-MD5, which needs the clear password.
cat >"$passwd_file" <<EOF
test@$DOMAIN:{PLAIN}$PW1::::::
second@$DOMAIN:{PLAIN}$PW2::::::
EOF
chown root:dovecot "$passwd_file"
chmod 640 "$passwd_file"

for box in test second; do
  for sub in new cur tmp; do mkdir -p "$MAIL_DIR/$box/$sub"; done
done
chown -R "$MAIL_UID:$MAIL_GID" "$MAIL_DIR"
chmod 755 "$MAIL_DIR"

# ---------------------------------------------------------------- dovecot (SASL only)
cat >"$DC/dovecot.conf" <<EOF
# Written by scripts/test-servers/postfix-dovecot.sh: authentication service for Postfix only.
protocols = none
base_dir = $DC/run
instance_name = postbote-test
state_dir = $DC/state
log_path = $LOG_DIR/dovecot.log
info_log_path = $LOG_DIR/dovecot.log
listen = 127.0.0.1
ssl = no
# TLS is Postfix's job (smtpd_tls_auth_only): Dovecot never sees a plaintext client.
disable_plaintext_auth = no
auth_mechanisms = plain login cram-md5
auth_verbose = yes
auth_failure_delay = 0
shutdown_clients = yes
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $passwd_file
}
userdb {
  driver = static
  args = uid=$MAIL_UID gid=$MAIL_GID home=$MAIL_DIR/%n
}
# No growing penalty for failed logins: every test connects from 127.0.0.1, and the tests
# fail on purpose (wrong password), which would otherwise slow each later AUTH by seconds.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service auth {
  unix_listener auth-postfix {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF
mkdir -p "$DC/state"
: >"$LOG_DIR/dovecot.log"
dovecot -c "$DC/dovecot.conf" -n >/dev/null 2>"$ROOT/dovecot-config.err" || { cat "$ROOT/dovecot-config.err" >&2; die "dovecot rejected its configuration"; }
# Daemons must not inherit our stdout/stderr: a caller reading them through a pipe
# (CI, `… | tee`) would otherwise wait for the servers to exit.
dovecot -c "$DC/dovecot.conf" </dev/null >"$ROOT/dovecot-start.err" 2>&1 \
  || { cat "$ROOT/dovecot-start.err" >&2; show_logs; die "dovecot failed to start"; }

# ---------------------------------------------------------------- postfix
cat >"$PF/vmailbox" <<EOF
test@$DOMAIN    test/
second@$DOMAIN  second/
EOF

cat >"$PF/main.cf" <<EOF
# Written by scripts/test-servers/postfix-dovecot.sh: a private loopback-only instance.
compatibility_level = 3.6
config_directory = $PF
queue_directory = $PF_QUEUE
data_directory = $PF_DATA
mail_owner = postfix
setgid_group = postdrop
myhostname = $MYHOSTNAME
mydomain = $DOMAIN
myorigin = \$mydomain
inet_interfaces = $HOST
inet_protocols = ipv4
# No host is trusted by address: every relay decision goes through the rules below.
mynetworks = 127.0.0.2/32
mydestination =
relay_domains =
local_transport = error:local delivery is disabled
alias_maps =
alias_database =
local_recipient_maps =
# Nothing may leave the machine, and nothing may wait for DNS that a container lacks.
default_transport = error:outbound mail is disabled in the Postbote test server
relay_transport = error:outbound mail is disabled in the Postbote test server
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
lmtp_host_lookup = native
smtp_host_lookup = native
biff = no
maillog_file = $LOG_DIR/postfix.log
# Postfix refuses log files outside these prefixes (default /var, /dev/stdout).
maillog_file_prefixes = $LOG_DIR, /var, /dev/stdout
# Deliver exactly what the client sent: no header rewriting or added headers for loopback.
local_header_rewrite_clients =
always_add_missing_headers = no
# Virtual mailboxes in Maildir format (a trailing slash in vmailbox means Maildir).
virtual_mailbox_domains = $DOMAIN
virtual_mailbox_base = $MAIL_DIR
virtual_mailbox_maps = texthash:$PF/vmailbox
virtual_uid_maps = static:$MAIL_UID
virtual_gid_maps = static:$MAIL_GID
virtual_minimum_uid = 100
message_size_limit = $SIZE_LIMIT
virtual_mailbox_limit = 0
mailbox_size_limit = 0
smtpd_reject_unlisted_recipient = yes
# Nobody relays, not even authenticated users: the tests must never send mail outside.
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions =
smtpd_banner = \$myhostname ESMTP Postfix (Postbote test)
smtpd_helo_required = yes
# As strict as Postfix 3.9+ is by default: a client that breaks RFC 2920/5321 pipelining
# rules (EHLO not last in a group, talking before the greeting …) is disconnected. The
# engine's pipelined AUTH PLAIN (RFC 4954 §4) must pass this.
smtpd_forbid_unauth_pipelining = yes
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 200
smtpd_client_connection_rate_limit = 0
smtpd_client_connection_count_limit = 0
anvil_rate_time_unit = 60s
# TLS
smtpd_tls_cert_file = $srv_crt
smtpd_tls_key_file = $srv_key
smtpd_tls_security_level = may
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_loglevel = 0
smtpd_tls_received_header = no
smtpd_tls_session_cache_database =
# SASL through Dovecot; enabled per port in master.cf
smtpd_sasl_type = dovecot
smtpd_sasl_path = $DC/run/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_sasl_security_options = noanonymous
smtpd_sasl_tls_security_options = noanonymous
smtpd_sasl_authenticated_header = no
broken_sasl_auth_clients = no
# Submission ports: the MAIL command is refused until the client has authenticated.
postbote_submission_sender_restrictions = permit_sasl_authenticated, check_sender_access static:{530 5.7.0 Authentication required}
EOF

cat >"$PF/master.cf" <<EOF
# Written by scripts/test-servers/postfix-dovecot.sh. No chroot: simpler without systemd.
# service      type  private unpriv chroot wakeup maxproc command
$HOST:$SMTP_PORT inet n - n - - smtpd
$HOST:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_delay_reject=no
  -o smtpd_sender_restrictions=\$postbote_submission_sender_restrictions
$HOST:$SUBMISSIONS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_delay_reject=no
  -o smtpd_sender_restrictions=\$postbote_submission_sender_restrictions
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF

rm -f "$PF_DATA"/*.err
: >"$LOG_DIR/postfix.log"
chown postfix "$PF_DATA"
postfix -c "$PF" check 2>"$ROOT/postfix-check.err" || { cat "$ROOT/postfix-check.err" >&2; show_logs; die "postfix rejected its configuration ($PF/main.cf; a fatal error before its log is open is not shown: try postconf -c $PF -n)"; }
postfix -c "$PF" start </dev/null >/dev/null 2>"$ROOT/postfix-start.err" || { cat "$ROOT/postfix-start.err" >&2; show_logs; die "postfix failed to start"; }

# ---------------------------------------------------------------- wait until they answer
for _ in $(seq 1 100); do
  port_open "$SMTP_PORT" && port_open "$SUBMISSION_PORT" && port_open "$SUBMISSIONS_PORT" && [ -S "$DC/run/auth-postfix" ] && break
  sleep 0.1
done
port_open "$SMTP_PORT" && port_open "$SUBMISSION_PORT" && port_open "$SUBMISSIONS_PORT" \
  || { show_logs; die "postfix does not answer on $HOST:$SMTP_PORT/$SUBMISSION_PORT/$SUBMISSIONS_PORT"; }
[ -S "$DC/run/auth-postfix" ] || { show_logs; die "dovecot's auth socket $DC/run/auth-postfix did not appear"; }

# ---------------------------------------------------------------- the description
json_str() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
mkdir -p "$(dirname "$INFO")"
tmp_info=$(mktemp "$(dirname "$INFO")/.postfix.json.XXXXXX")
cat >"$tmp_info" <<EOF
{
  "version": 1,
  "host": $(json_str "$HOST"),
  "tlsServername": "localhost",
  "ports": { "smtp": $SMTP_PORT, "submission": $SUBMISSION_PORT, "submissions": $SUBMISSIONS_PORT },
  "domain": $(json_str "$DOMAIN"),
  "serverName": $(json_str "$MYHOSTNAME"),
  "user": $(json_str "test@$DOMAIN"),
  "password": $(json_str "$PW1"),
  "address": $(json_str "test@$DOMAIN"),
  "maildir": $(json_str "$MAIL_DIR/test"),
  "users": [
    { "username": $(json_str "test@$DOMAIN"), "password": $(json_str "$PW1"), "address": $(json_str "test@$DOMAIN"), "maildir": $(json_str "$MAIL_DIR/test") },
    { "username": $(json_str "second@$DOMAIN"), "password": $(json_str "$PW2"), "address": $(json_str "second@$DOMAIN"), "maildir": $(json_str "$MAIL_DIR/second") }
  ],
  "unknownRecipient": $(json_str "nobody@$DOMAIN"),
  "relayRecipient": "someone@example.com",
  "authMechanisms": ["PLAIN", "LOGIN", "CRAM-MD5"],
  "sizeLimit": $SIZE_LIMIT,
  "caCertPath": $(json_str "$ca_crt"),
  "logFiles": { "postfix": $(json_str "$LOG_DIR/postfix.log"), "dovecot": $(json_str "$LOG_DIR/dovecot.log") },
  "postfixVersion": $(json_str "$(postconf -d -h mail_version)"),
  "dovecotVersion": $(json_str "$(dovecot --version | cut -d' ' -f1)")
}
EOF
chmod 644 "$tmp_info"
mv -f "$tmp_info" "$INFO"
say "Postfix $(postconf -d -h mail_version) on $HOST:$SMTP_PORT (smtp) $SUBMISSION_PORT (submission, STARTTLS) $SUBMISSIONS_PORT (submissions, TLS); Dovecot SASL"
say "description written to $INFO"
