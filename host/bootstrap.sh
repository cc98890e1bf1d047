#!/bin/bash
# Studio Control Plane: turns a fresh EC2 instance into a user's private Docker host.
#
# Runs as EC2 user data (as root, once per boot when cloud-init re-runs it). The Launch step
# renders the values block below; the sandbox runs the very same script with local stand-ins
# chosen by the SDOCKER_LOCAL_* variables. Steps: metadata, mount, certificates, pre-bootstrap
# hook, dockerd, network, post-bootstrap hook, then one callback to Step Functions:
# SendTaskSuccess with {hostId, instanceId, privateDnsName, dockerPort}, or SendTaskFailure
# naming the step that broke with the tail of the log. No secret is ever printed or logged.
#
# Pool mode (SDOCKER_POOL_QUEUE_URL set, no claim stored yet): a warm pool host reads its metadata
# and waits on its pool's SQS queue, nothing listening, no certificates, nothing mounted. A claim
# is the values block a fresh host's user data carries (base64): only SDOCKER_...='...' lines of
# known names are taken (nothing is evaluated), its task token must still be alive (a heartbeat),
# then it is stored (claim.env, 0600) and the bootstrap goes on as a fresh host's. On later boots
# the stored claim is the identity, and a start's task token in the user data the one to report to.
set -uo pipefail
umask 022

# @STUDIOCP_RENDERED_VALUES@

# Local stand-ins. Unset on EC2; the sandbox sets them.
: "${SDOCKER_LOCAL_ROOT:=}"
: "${SDOCKER_LOCAL_IMDS:=http://169.254.169.254}"
: "${SDOCKER_LOCAL_SERVICE_MODE:=systemd}"
: "${SDOCKER_LOCAL_MOUNT_MODE:=nfs}"
: "${SDOCKER_LOCAL_LISTEN:=0.0.0.0}"
: "${SDOCKER_LOCAL_DOCKERD_ARGS:=}"
: "${SDOCKER_SFN_ENDPOINT:=https://states.${SDOCKER_REGION:-us-east-1}.amazonaws.com}"
: "${SDOCKER_EC2_ENDPOINT:=https://ec2.${SDOCKER_REGION:-us-east-1}.amazonaws.com}"
# Housekeeping: how often it looks (s), how often at most it writes the activity tag (s), the CPU
# share that counts as use (%, 0 = not a signal), when the volume is too full (%), the build cache kept.
: "${SDOCKER_ACTIVITY_SECONDS:=60}"
: "${SDOCKER_ACTIVITY_WRITE_SECONDS:=300}"
: "${SDOCKER_ACTIVE_CPU_PERCENT:=10}"
: "${SDOCKER_PRUNE_AT_PERCENT:=85}"
: "${SDOCKER_BUILD_CACHE_KEEP:=10GB}"
# The sandbox's clock (it can move forward); unset on EC2, where the host's own clock is right.
: "${SDOCKER_LOCAL_CLOCK_URL:=}"
# Pool mode: the queue a pool host waits on, SQS's endpoint, the long poll (s), and how many polls
# before it gives up (0: never; tests bound it).
: "${SDOCKER_POOL_QUEUE_URL:=}"
: "${SDOCKER_SQS_ENDPOINT:=https://sqs.${SDOCKER_REGION:-us-east-1}.amazonaws.com}"
: "${SDOCKER_POOL_WAIT_SECONDS:=20}"
: "${SDOCKER_POOL_WAIT_ROUNDS:=0}"
CLAIM_KEYS=" SDOCKER_HOST_ID SDOCKER_REGION SDOCKER_DOCKER_PORT SDOCKER_UID SDOCKER_GID SDOCKER_HOME SDOCKER_CERT_DIR \
SDOCKER_MOUNTS SDOCKER_GPU SDOCKER_SFN_ENDPOINT SDOCKER_TASK_TOKEN "

require_values() {
  for required in SDOCKER_HOST_ID SDOCKER_REGION SDOCKER_DOCKER_PORT SDOCKER_UID SDOCKER_GID \
    SDOCKER_HOME SDOCKER_CERT_DIR SDOCKER_MOUNTS SDOCKER_GPU SDOCKER_TASK_TOKEN; do
    if [ -z "${!required:-}" ]; then
      echo "bootstrap: $required is not set" >&2
      exit 2
    fi
  done
}
if [ -z "$SDOCKER_POOL_QUEUE_URL" ]; then
  require_values
elif [ -z "${SDOCKER_REGION:-}" ]; then
  echo "bootstrap: SDOCKER_REGION is not set" >&2
  exit 2
fi

ROOT="$SDOCKER_LOCAL_ROOT"
STATE_DIR="$ROOT/var/lib/studiocp"
TLS_DIR="$ROOT/etc/docker/studiocp"
LOCAL_LOG="$STATE_DIR/bootstrap.log"
USER_LOG=""
STEP_OUTPUT="$STATE_DIR/step.out"
IMDS_TOKEN=""
INSTANCE_ID=""
PRIVATE_IP=""
PRIVATE_DNS=""
DOCKERD_PID=""
DOCKERD_CHILD=false
DOCKERD_GPU=false
PRE_HOOK_RAN=false
POST_HOOK_RAN=false
NETWORK_MADE=false
if [ "$SDOCKER_LOCAL_SERVICE_MODE" = "systemd" ]; then DOCKER_SOCKET=/var/run/docker.sock; else DOCKER_SOCKET="$ROOT/run/docker.sock"; fi

mkdir -p "$STATE_DIR" && chmod 0700 "$STATE_DIR"
touch "$LOCAL_LOG"
BOOT_LOG_START=$(wc -l <"$LOCAL_LOG")
CLAIM_FILE="$STATE_DIR/claim.env"
CLAIMED_NOW=false
TOKEN_SUM=""
REBOOT=false
RESTART=false
# A boot after the first: a plain reboot, or a start of the control plane's, which gave the boot
# script a new task token to report to (the same readiness contract as the first launch).
boot_kind() {
  TOKEN_SUM=$(printf '%s' "${SDOCKER_TASK_TOKEN:-}" | sha256sum | cut -c1-16)
  if [ -f "$STATE_DIR/reported" ]; then
    REBOOT=true
    [ "$(cat "$STATE_DIR/reported")" != "$TOKEN_SUM" ] && RESTART=true
  fi
}

# Each line with its UTC time to the millisecond, from bash's own clock (no process per line).
log() {
  local line now=${EPOCHREALTIME:-}
  if [ -n "$now" ]; then
    TZ=UTC printf -v line '%(%Y-%m-%dT%H:%M:%S)T.%sZ %s' "${now%[.,]*}" "${now: -6:3}" "$*"
  else
    line="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ) $*"
  fi
  printf '%s\n' "$line" >>"$LOCAL_LOG"
  if [ -n "$USER_LOG" ]; then
    printf '%s\n' "$line" >>"$USER_LOG"
  fi
}

json_escape() {
  local text
  text=$(printf '%s' "$1" | tr -d '\000-\010\013\014\016-\037\r')
  text=${text//\\/\\\\}
  text=${text//\"/\\\"}
  text=${text//$'\t'/\\t}
  text=${text//$'\n'/\\n}
  printf '%s' "$text"
}

imds() {
  curl -sf --max-time 5 --retry 5 --retry-connrefused --retry-delay 1 \
    -H "X-aws-ec2-metadata-token: $IMDS_TOKEN" "$SDOCKER_LOCAL_IMDS/latest/$1"
}

# The instance role's credentials, as "key secret token".
role_credentials() {
  local role creds
  role=$(imds meta-data/iam/security-credentials/ | head -n 1) || return 1
  creds=$(imds "meta-data/iam/security-credentials/$role") || return 1
  for field in AccessKeyId SecretAccessKey Token; do
    printf '%s ' "$(printf '%s' "$creds" | sed -n "s/.*\"$field\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p")"
  done
  echo
}

# The role's credentials, read once and again after 5 minutes (they last hours): a claim pays no
# metadata call. Call it outside a command substitution, so that what it read stays.
CREDENTIALS=""
CREDENTIALS_AT=0
load_credentials() {
  local now
  printf -v now '%(%s)T' -1
  if [ -n "$CREDENTIALS" ] && [ $((now - CREDENTIALS_AT)) -lt 300 ]; then
    return 0
  fi
  CREDENTIALS=$(role_credentials) && [ -n "${CREDENTIALS// /}" ] || return 1
  CREDENTIALS_AT=$now
}

# A signed AWS call: service, endpoint, then curl's own arguments. The credentials reach curl on a
# file descriptor, never on a command line others could read.
aws_call() {
  local service=$1 endpoint=$2 key secret token
  shift 2
  load_credentials || return 1
  read -r key secret token <<<"$CREDENTIALS"
  curl -sf --max-time 15 --retry 3 --retry-connrefused -K /dev/fd/3 \
    --aws-sigv4 "aws:amz:$SDOCKER_REGION:$service" "$@" "$endpoint/" >/dev/null \
    3< <(printf 'user = "%s:%s"\nheader = "x-amz-security-token: %s"\n' "$key" "$secret" "$token")
}

# Calls a Step Functions action with a JSON body, signed with the instance role's credentials.
sfn_call() {
  local target
  case "$1" in
    send-task-success) target=SendTaskSuccess ;;
    send-task-failure) target=SendTaskFailure ;;
    *) target=SendTaskHeartbeat ;;
  esac
  aws_call states "$SDOCKER_SFN_ENDPOINT" -H "Content-Type: application/x-amz-json-1.0" \
    -H "X-Amz-Target: AWSStepFunctions.$target" --data-binary "$2"
}

# A heartbeat at most every 10 s: enough to show life within HeartbeatSeconds, without a call per step.
LAST_HEARTBEAT=0
heartbeat() {
  local now
  now=${EPOCHSECONDS:-$(date +%s)}
  if { [ "$REBOOT" = true ] && [ "$RESTART" = false ]; } || [ $((now - LAST_HEARTBEAT)) -lt 10 ]; then
    return 0
  fi
  LAST_HEARTBEAT=$now
  # Beside the steps: a heartbeat must not hold the bootstrap up.
  { sfn_call send-task-heartbeat "{\"taskToken\":\"$SDOCKER_TASK_TOKEN\"}" || log "heartbeat not delivered"; } &
}

fail() {
  local step=$1 detail=${2:-} summary cause
  summary=$(sed 's/^[[:space:]]*//' "$STEP_OUTPUT" 2>/dev/null | grep -v '^$' | tail -n 8 | paste -sd '|' - | sed 's/|/ | /g')
  cause="step '$step' failed${detail:+ ($detail)}: ${summary:-it printed nothing}; full log: $SDOCKER_CERT_DIR/bootstrap.log"
  cause=${cause:0:4000}
  log "FAILED at step $step"
  if ! sfn_call send-task-failure "{\"taskToken\":\"$SDOCKER_TASK_TOKEN\",\"error\":\"BootstrapFailed\",\"cause\":\"$(json_escape "$cause")\"}"; then
    log "could not report the failure to Step Functions; the workflow will time out"
  fi
  # Nothing of a failed bootstrap listens, or waits to (the sandbox's hosts run on; EC2's end).
  if [ "$SDOCKER_LOCAL_SERVICE_MODE" != "systemd" ] && [ -s "$ROOT/run/docker-tls.pid" ]; then
    kill "$(cat "$ROOT/run/docker-tls.pid")" 2>/dev/null
  fi
  if [ "$CLAIMED_NOW" = true ] && [ "$SDOCKER_LOCAL_SERVICE_MODE" = "systemd" ]; then
    # A pool host whose claim failed is never offered again: it powers off, and EC2 terminates it.
    log "the claim failed: powering off (this pool host terminates)"
    systemctl poweroff
  fi
  exit 1
}

# Runs one step: its output goes to the log, its failure ends the bootstrap with a report.
step() {
  local name=$1
  shift
  log "step $name: start"
  "$@" >"$STEP_OUTPUT" 2>&1
  local rc=$? line
  while IFS= read -r line || [ -n "$line" ]; do log "    $line"; done <"$STEP_OUTPUT"
  if [ $rc -ne 0 ]; then
    log "step $name: exit code $rc"
    fail "$name" "exit $rc"
  fi
  log "step $name: done"
  heartbeat
}

read_metadata() {
  IMDS_TOKEN=$(curl -sf --max-time 5 --retry 5 --retry-connrefused --retry-delay 1 -X PUT \
    -H "X-aws-ec2-metadata-token-ttl-seconds: 21600" "$SDOCKER_LOCAL_IMDS/latest/api/token") || return 1
  INSTANCE_ID=$(imds meta-data/instance-id) || return 1
  PRIVATE_IP=$(imds meta-data/local-ipv4) || return 1
  PRIVATE_DNS=$(imds meta-data/local-hostname) || return 1
  echo "instance $INSTANCE_ID at $PRIVATE_DNS ($PRIVATE_IP)"
}

mount_file_systems() {
  local spec source target
  for spec in $SDOCKER_MOUNTS; do
    source=${spec%%=*}
    target=${spec#*=}
    if [ "$SDOCKER_LOCAL_MOUNT_MODE" = "none" ]; then
      [ -d "$target" ] || { echo "$target does not exist"; return 1; }
      echo "using $target as it is (no NFS here)"
      continue
    fi
    mkdir -p "$target"
    if mountpoint -q "$target"; then
      echo "$target already mounted"
      continue
    fi
    if ! grep -qs " $target nfs4 " /etc/fstab; then
      echo "$source $target nfs4 nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport,_netdev 0 0" >>/etc/fstab
    fi
    mount "$target" || return 1
    echo "mounted $source on $target"
  done
}

open_user_log() {
  install -d -m 0700 -o "$SDOCKER_UID" -g "$SDOCKER_GID" "$SDOCKER_HOME/.sdocker" \
    "$SDOCKER_HOME/.sdocker/hosts" "$SDOCKER_CERT_DIR" || return 1
  touch "$SDOCKER_CERT_DIR/bootstrap.log" && chown "$SDOCKER_UID:$SDOCKER_GID" "$SDOCKER_CERT_DIR/bootstrap.log"
  tail -n "+$((BOOT_LOG_START + 1))" "$LOCAL_LOG" >>"$SDOCKER_CERT_DIR/bootstrap.log"
  USER_LOG="$SDOCKER_CERT_DIR/bootstrap.log"
}

# The host's own CA (EC P-256, its key never leaves the host), a server certificate for its DNS name
# and address and a client certificate for the user, each key made with its certificate: three
# openssl runs (OpenSSL 3 signs with -CA in one), the two leaves side by side. Each certificate has
# exactly the extensions below (a leaf is no CA; the server's and the client's purposes differ).
make_certificates() {
  local ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 825 -config certs.cnf" leaves=()
  mkdir -p "$TLS_DIR" && chmod 0700 "$TLS_DIR"
  cd "$TLS_DIR" || return 1
  printf '%s\n' "[req]" "distinguished_name = dn" "[dn]" "[ca]" "basicConstraints = critical,CA:TRUE" \
    "keyUsage = critical,keyCertSign,cRLSign" "subjectKeyIdentifier = hash" "[server]" \
    "basicConstraints = critical,CA:FALSE" "keyUsage = critical,digitalSignature" "extendedKeyUsage = serverAuth" \
    "subjectAltName = DNS:$PRIVATE_DNS,IP:$PRIVATE_IP,DNS:localhost,IP:127.0.0.1" "[client]" \
    "basicConstraints = critical,CA:FALSE" "keyUsage = critical,digitalSignature" "extendedKeyUsage = clientAuth" >certs.cnf
  if [ ! -s ca.pem ]; then
    # shellcheck disable=SC2086 # $ec is a list of arguments
    openssl req -x509 -new $ec -extensions ca -keyout ca-key.pem -out ca.pem \
      -subj "/CN=studiocp-ca-$SDOCKER_HOST_ID" 2>/dev/null || return 1
  fi
  # The CA is this host's alone and signs these two certificates only: serials 2 and 3 are unique.
  if [ ! -s server-cert.pem ]; then
    # shellcheck disable=SC2086
    openssl req -x509 -new $ec -extensions server -CA ca.pem -CAkey ca-key.pem -set_serial 2 \
      -keyout server-key.pem -out server-cert.pem -subj "/CN=$PRIVATE_DNS" 2>/dev/null &
    leaves+=($!)
  fi
  if [ ! -s client-cert.pem ]; then
    # shellcheck disable=SC2086
    openssl req -x509 -new $ec -extensions client -CA ca.pem -CAkey ca-key.pem -set_serial 3 \
      -keyout client-key.pem -out client-cert.pem -subj "/CN=studiocp-client-$SDOCKER_HOST_ID" 2>/dev/null &
    leaves+=($!)
  fi
  local pid
  for pid in "${leaves[@]}"; do wait "$pid" || return 1; done
  chmod 0600 ca-key.pem server-key.pem client-key.pem
  install -m 0644 -o "$SDOCKER_UID" -g "$SDOCKER_GID" ca.pem "$SDOCKER_CERT_DIR/ca.pem" || return 1
  install -m 0644 -o "$SDOCKER_UID" -g "$SDOCKER_GID" client-cert.pem "$SDOCKER_CERT_DIR/cert.pem" || return 1
  install -m 0600 -o "$SDOCKER_UID" -g "$SDOCKER_GID" client-key.pem "$SDOCKER_CERT_DIR/key.pem" || return 1
  echo "certificates for $PRIVATE_DNS and $PRIVATE_IP in $SDOCKER_CERT_DIR (CA key stays on the host)"
}

run_hook() {
  local hook="$SDOCKER_HOME/.sdocker/$1.sh"
  if [ ! -f "$hook" ]; then
    echo "no $hook"
    return 0
  fi
  echo "running $hook"
  if [ "$1" = pre-bootstrap ]; then PRE_HOOK_RAN=true; else POST_HOOK_RAN=true; fi
  (cd "$SDOCKER_HOME" && SDOCKER_HOST_ID="$SDOCKER_HOST_ID" bash "$hook")
}

# Every call is bounded: an address held by something that accepts and never answers must fail a
# step, not stall the bootstrap.
# dockerd's own socket: root's alone, never on the network (the TLS front below is the only way in).
docker_local() {
  timeout "${DOCKER_CALL_SECONDS:-60}" docker -H "unix://$DOCKER_SOCKET" "$@"
}

# Docker API calls the waits make, with curl (it starts in a fraction of the docker CLI's time):
# a GET on dockerd's socket, or through the TLS front with the client certificate.
api_local() {
  curl -sf --max-time 5 --unix-socket "$DOCKER_SOCKET" "http://docker$1"
}
api_tls() {
  curl -sf --max-time "${2:-5}" --cacert "$TLS_DIR/ca.pem" --cert "$TLS_DIR/client-cert.pem" \
    --key "$TLS_DIR/client-key.pem" "https://$PRIVATE_IP:$SDOCKER_DOCKER_PORT$1"
}

# Starts dockerd on its private unix socket only, without waiting for it (wait_for_dockerd does).
# It holds nothing of a user: a pool host starts it before any claim, a fresh host beside the mount
# and the certificates. Bind mounts resolve when a container is created, so the home mounted later is seen.
launch_dockerd() {
  mkdir -p "$ROOT/etc/docker"
  DOCKERD_GPU=${SDOCKER_GPU:-false}
  if [ "$DOCKERD_GPU" = "true" ]; then
    printf '{"default-runtime": "nvidia", "runtimes": {"nvidia": {"path": "nvidia-container-runtime", "runtimeArgs": []}}}\n' >"$ROOT/etc/docker/daemon.json"
  fi
  if [ "$SDOCKER_LOCAL_SERVICE_MODE" = "systemd" ]; then
    mkdir -p "$ROOT/etc/systemd/system/docker.service.d"
    printf '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n' \
      >"$ROOT/etc/systemd/system/docker.service.d/studiocp.conf"
    systemctl disable --now ecs >/dev/null 2>&1 || true
    if ! { systemctl daemon-reload && systemctl enable docker >/dev/null 2>&1 && systemctl restart docker; }; then
      dockerd_log_tail
      echo "dockerd did not start (systemctl restart docker failed)"
      return 1
    fi
    DOCKERD_PID=$(systemctl show --property MainPID --value docker)
    return 0
  fi
  local pidfile="$ROOT/run/docker.pid"
  if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    DOCKERD_PID=$(cat "$pidfile")
    echo "dockerd already running (pid $DOCKERD_PID)"
    return 0
  fi
  mkdir -p "$ROOT/run" "$ROOT/var/lib/docker"
  # shellcheck disable=SC2086 # the argument list is meant to split into words
  setsid "${SDOCKER_LOCAL_DOCKERD:-dockerd}" -H "unix://$DOCKER_SOCKET" \
    --data-root "$ROOT/var/lib/docker" --exec-root "$ROOT/run/docker" --pidfile "$pidfile" \
    $SDOCKER_LOCAL_DOCKERD_ARGS >>"$STATE_DIR/dockerd.log" 2>&1 </dev/null &
  # Its own pid, not the pid file's: dockerd removes that file when it fails (a bad flag, a bad disk).
  DOCKERD_PID=$!
  DOCKERD_CHILD=true
}

# Stops the dockerd this boot started (a GPU claim or a pre-bootstrap hook needs it started again).
stop_dockerd() {
  if [ "$SDOCKER_LOCAL_SERVICE_MODE" = "systemd" ]; then
    return 0
  fi
  kill "$DOCKERD_PID" 2>/dev/null
  local i
  for i in $(seq 1 100); do
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    [ "$DOCKERD_CHILD" = true ] && [ "$(cut -d ' ' -f 3 "/proc/$DOCKERD_PID/stat" 2>/dev/null)" = Z ] && break
    sleep 0.05
  done
  [ "$DOCKERD_CHILD" = true ] && wait "$DOCKERD_PID" 2>/dev/null
  DOCKERD_PID=""
  DOCKERD_CHILD=false
}

# Starts dockerd if this boot has not, and waits until it answers on its socket.
start_dockerd() {
  if [ -z "$DOCKERD_PID" ]; then
    launch_dockerd || return 1
  fi
  local i
  for i in $(seq 1 600); do
    if api_local /_ping >/dev/null 2>&1; then
      echo "dockerd answers on its private socket after ${i} tries"
      return 0
    fi
    if dockerd_died; then
      dockerd_log_tail
      local status=""
      if [ "$DOCKERD_CHILD" = true ]; then
        wait "$DOCKERD_PID" 2>/dev/null
        status=" (exit code $?)"
      fi
      echo "dockerd exited before it answered$status"
      return 1
    fi
    sleep 0.1
  done
  dockerd_log_tail
  echo "dockerd did not answer on $DOCKER_SOCKET within 60 s"
  return 1
}

# The one network listener: mutual TLS on the Docker port (this host's CA, the server certificate,
# TLS 1.2 or later, a client certificate of the CA for client use required), each connection
# forwarded to dockerd's socket. dockerd cannot add a TLS listener while it runs, so this is what
# lets dockerd start before the user's certificates exist. A pool host starts the front's process
# ahead (prestart_tls_front: Python and its modules loaded, nothing listening, no certificate read),
# and the claim only tells it the port. Waits until a call through it answers.
start_tls_front() {
  local args=("$SDOCKER_LOCAL_LISTEN" "$SDOCKER_DOCKER_PORT" "$TLS_DIR/server-cert.pem" "$TLS_DIR/server-key.pem"
    "$TLS_DIR/ca.pem" "$DOCKER_SOCKET")
  local control="$STATE_DIR/docker-tls-front.port" port_fd="" i outcome=""
  if [ -p "$control" ] && tls_front_alive; then
    # Opened for reading and writing, a pipe never blocks its opener (no process started for it: a
    # claim waits). The pipe stays, held open, until the front answers, so that a front still on
    # its way to it finds the port there; if the front has died, the wait below says so.
    exec {port_fd}<>"$control" || { echo "the waiting TLS front's pipe could not be opened"; return 1; }
    printf '%s\n' "$SDOCKER_DOCKER_PORT" >&"$port_fd"
    echo "the waiting TLS front listens on $SDOCKER_LOCAL_LISTEN:$SDOCKER_DOCKER_PORT"
    # Later boots start it with its port at once.
    [ "$SDOCKER_LOCAL_SERVICE_MODE" != "systemd" ] || write_tls_front_unit "${args[*]}"
  else
    run_tls_front "${args[@]}" || return 1
  fi
  for i in $(seq 1 300); do
    if api_tls /_ping >/dev/null 2>&1; then
      outcome="dockerd answers over TLS on $PRIVATE_IP:$SDOCKER_DOCKER_PORT after ${i} tries"
      break
    fi
    if ! tls_front_alive; then
      tail -n 5 "$STATE_DIR/docker-tls.log" 2>/dev/null
      echo "the TLS front exited before it answered"
      break
    fi
    sleep 0.05
  done
  if [ -n "$port_fd" ]; then
    rm -f "$control"
    exec {port_fd}>&-
  fi
  if [ -n "$outcome" ]; then
    echo "$outcome"
    return 0
  fi
  [ "$i" -lt 300 ] || echo "dockerd did not answer over TLS on $PRIVATE_IP:$SDOCKER_DOCKER_PORT within 15 s"
  return 1
}

# A pool host's front, started before any claim: it loads, then waits for its port on a pipe only
# root can open; it reads no certificate (there is none) and listens nowhere until then.
prestart_tls_front() {
  local control="$STATE_DIR/docker-tls-front.port"
  rm -f "$control" && mkfifo -m 0600 "$control" || return 1
  run_tls_front "$SDOCKER_LOCAL_LISTEN" - "$TLS_DIR/server-cert.pem" "$TLS_DIR/server-key.pem" "$TLS_DIR/ca.pem" \
    "$DOCKER_SOCKET" "$control"
}

# Starts the front's process with these arguments (a systemd unit on EC2, a process of its own
# session in the sandbox), in place of one running already.
run_tls_front() {
  write_tls_front >"$STATE_DIR/docker-tls-front.py" || return 1
  if [ "$SDOCKER_LOCAL_SERVICE_MODE" = "systemd" ]; then
    write_tls_front_unit "$*"
    if ! systemctl restart studiocp-docker-tls; then
      echo "the TLS front did not start (systemctl restart studiocp-docker-tls failed)"
      return 1
    fi
  else
    local pidfile="$ROOT/run/docker-tls.pid"
    if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null; fi
    setsid python3 "$STATE_DIR/docker-tls-front.py" "$@" >>"$STATE_DIR/docker-tls.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
  fi
}

tls_front_alive() {
  if [ "$SDOCKER_LOCAL_SERVICE_MODE" = "systemd" ]; then
    systemctl is-active --quiet studiocp-docker-tls
  else
    kill -0 "$(cat "$ROOT/run/docker-tls.pid" 2>/dev/null)" 2>/dev/null
  fi
}

write_tls_front_unit() {
  printf '[Unit]\nAfter=docker.service\n[Service]\nExecStart=/usr/bin/python3 %s %s\nRestart=always\n[Install]\nWantedBy=multi-user.target\n' \
    "$STATE_DIR/docker-tls-front.py" "$1" >"$ROOT/etc/systemd/system/studiocp-docker-tls.service"
  systemctl daemon-reload && systemctl enable studiocp-docker-tls >/dev/null 2>&1
}

# The front, in Python's standard library (every AL2023 image has python3): one thread, asyncio, TLS
# done on memory buffers, so that a client's half close (docker's stdin at its end) reaches dockerd
# as one while dockerd's answer still goes back, as with dockerd's own TLS listener.
write_tls_front() {
  cat <<'PYTHON'
import asyncio, ssl, sys
listen, port, cert, key, ca, target = sys.argv[1:7]
if port == "-":
    with open(sys.argv[7]) as control:
        port = control.readline().strip()
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.minimum_version = ssl.TLSVersion.TLSv1_2
context.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20")
context.options |= getattr(ssl, "OP_NO_RENEGOTIATION", 0)
context.verify_mode = ssl.CERT_REQUIRED
context.load_cert_chain(cert, key)
context.load_verify_locations(ca)
class Upstream(asyncio.Protocol):
    def __init__(self, front):
        self.front = front
    def connection_made(self, transport):
        self.transport = transport
    def data_received(self, data):
        self.front.send(data)
    def eof_received(self):
        self.front.close()
    def connection_lost(self, exc):
        self.front.close()
    def pause_writing(self):
        self.front.transport.pause_reading()
    def resume_writing(self):
        self.front.transport.resume_reading()
class Front(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_side=True)
        self.shaken = self.done = self.ended = False
        self.upstream, self.buffered = None, []
        self.deadline = asyncio.get_running_loop().call_later(10, self.too_slow)
    def too_slow(self):
        if not self.shaken:
            self.close()
    def flush(self):
        data = self.outgoing.read()
        if data and not self.transport.is_closing():
            self.transport.write(data)
    def data_received(self, data):
        self.incoming.write(data)
        try:
            if not self.shaken:
                self.tls.do_handshake()
                self.shaken = True
                self.deadline.cancel()
                asyncio.get_running_loop().create_task(self.connect())
            while True:
                plain = self.tls.read(262144)
                if not plain:
                    self.client_ended()
                    break
                self.forward(plain)
        except ssl.SSLWantReadError:
            pass
        except ssl.SSLZeroReturnError:
            self.client_ended()
        except ssl.SSLError:
            self.flush()
            self.close()
            return
        self.flush()
    def eof_received(self):
        self.client_ended()
        return True
    def client_ended(self):
        self.ended = True
        if self.upstream is not None and self.upstream.transport.can_write_eof():
            self.upstream.transport.write_eof()
    def forward(self, plain):
        if self.upstream is None:
            self.buffered.append(plain)
        else:
            self.upstream.transport.write(plain)
    async def connect(self):
        try:
            _, upstream = await asyncio.get_running_loop().create_unix_connection(lambda: Upstream(self), target)
        except OSError:
            self.close()
            return
        if self.done:
            upstream.transport.close()
            return
        self.upstream = upstream
        for plain in self.buffered:
            upstream.transport.write(plain)
        self.buffered = []
        if self.ended:
            self.client_ended()
    def send(self, data):
        try:
            self.tls.write(data)
        except ssl.SSLError:
            self.close()
            return
        self.flush()
    def close(self):
        if self.done:
            return
        self.done = True
        if self.shaken:
            try:
                self.tls.unwrap()
            except ssl.SSLError:
                pass
            self.flush()
        self.transport.close()
        if self.upstream is not None:
            self.upstream.transport.close()
    def connection_lost(self, exc):
        self.close()
    def pause_writing(self):
        if self.upstream is not None:
            self.upstream.transport.pause_reading()
    def resume_writing(self):
        if self.upstream is not None:
            self.upstream.transport.resume_reading()
async def main():
    server = await asyncio.get_running_loop().create_server(Front, listen, int(port), backlog=128)
    await server.serve_forever()
asyncio.run(main())
PYTHON
}

# Whether the dockerd this boot started (or found) is gone: checked at every try, so that a
# dockerd that cannot start fails its step in seconds, not after the whole wait.
dockerd_died() {
  if [ -z "$DOCKERD_PID" ] || [ "$DOCKERD_PID" = 0 ] || ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
    return 0
  fi
  if [ "$SDOCKER_LOCAL_SERVICE_MODE" = "systemd" ]; then
    # systemd restarts a failed dockerd under a new pid: the one we waited for is gone all the same.
    [ "$(systemctl show --property MainPID --value docker 2>/dev/null)" != "$DOCKERD_PID" ]
  else
    [ "$(cut -d ' ' -f 3 "/proc/$DOCKERD_PID/stat" 2>/dev/null)" = Z ]
  fi
}

dockerd_log_tail() {
  if [ "$SDOCKER_LOCAL_SERVICE_MODE" = "systemd" ]; then
    journalctl --unit docker --lines 20 --no-pager --output cat 2>/dev/null
  else
    tail -n 20 "$STATE_DIR/dockerd.log" 2>/dev/null
  fi
}

create_network() {
  if [ "$NETWORK_MADE" = true ] && [ "$PRE_HOOK_RAN" != true ]; then
    echo "network sagemaker made before the claim"
  elif api_local /networks/sagemaker >/dev/null 2>&1; then
    echo "network sagemaker exists"
  else
    docker_local network create sagemaker >/dev/null && echo "created network sagemaker"
  fi
}

report_ready() {
  local output
  # Report only what is true now: dockerd may have died while the post-bootstrap hook ran (without
  # one, the TLS step's call through the front was a moment ago).
  if [ "$POST_HOOK_RAN" = true ] && ! api_tls /_ping 10 >/dev/null 2>&1; then
    echo "dockerd no longer answers over TLS on $PRIVATE_IP:$SDOCKER_DOCKER_PORT"
    return 1
  fi
  output="{\"hostId\":\"$SDOCKER_HOST_ID\",\"instanceId\":\"$INSTANCE_ID\",\"privateDnsName\":\"$PRIVATE_DNS\",\"dockerPort\":$SDOCKER_DOCKER_PORT}"
  sfn_call send-task-success "{\"taskToken\":\"$SDOCKER_TASK_TOKEN\",\"output\":\"$(json_escape "$output")\"}" || return 1
  printf '%s' "$TOKEN_SUM" >"$STATE_DIR/reported"
  echo "reported ready: $output"
}

now_iso() {
  if [ -z "$SDOCKER_LOCAL_CLOCK_URL" ]; then date -u +%Y-%m-%dT%H:%M:%SZ; return; fi
  curl -sf --max-time 5 "$SDOCKER_LOCAL_CLOCK_URL" | sed -n 's/.*"now" *: *"\([^"]*\)".*/\1/p' | grep .
}

# What the owner did with the host since the last look, or nothing: running containers; Docker
# starts, execs, builds, pulls and pushes (not read-only polling such as ps, info or version);
# bytes on the Docker port's client connections; CPU.
activity_signal() {
  local since=$1 until=$2 n event traffic busy
  n=$(docker_local ps -q | wc -l)
  [ "$n" -gt 0 ] && { echo "$n running container(s)"; return; }
  event=$(docker_local events --since "$since" --until "$until" --filter type=container --filter type=image \
    --filter event=start --filter event=exec_start --filter event=pull --filter event=push --filter event=tag \
    --filter event=commit --format '{{.Type}} {{.Action}}' 2>/dev/null | tail -n 1)
  [ -n "$event" ] && { echo "docker $event"; return; }
  traffic=$(ss -Htin state established "( sport = :$SDOCKER_DOCKER_PORT )" 2>/dev/null |
    grep -o 'bytes_received:[0-9]*' | awk -F: '{s += $2} END {print s + 0}')
  if [ $((${traffic:-0} - LAST_TRAFFIC)) -gt 65536 ]; then LAST_TRAFFIC=${traffic:-0}; echo "client traffic on the Docker port"; return; fi
  LAST_TRAFFIC=${traffic:-0}
  if [ "$SDOCKER_ACTIVE_CPU_PERCENT" -gt 0 ]; then
    busy=$(cpu_busy_percent)
    [ "$busy" -ge "$SDOCKER_ACTIVE_CPU_PERCENT" ] && echo "CPU at ${busy} %"
  fi
}

LAST_CPU=""
cpu_busy_percent() {
  local now total idle
  now=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8, $5+$6}' /proc/stat)
  if [ -z "$LAST_CPU" ]; then LAST_CPU=$now; echo 0; return; fi
  total=$(( ${now% *} - ${LAST_CPU% *} )); idle=$(( ${now#* } - ${LAST_CPU#* } )); LAST_CPU=$now
  [ "$total" -gt 0 ] && echo $(( 100 * (total - idle) / total )) || echo 0
}

prune() {
  log "prune ($1): $(docker_local system prune -f --filter until=24h 2>&1 | tail -n 1); build cache: $(docker_local builder prune -f --keep-storage "$SDOCKER_BUILD_CACHE_KEEP" 2>&1 | tail -n 1)"
}

# The host's own loop while it runs: its last activity as the studiocp:last-active tag on its own
# instance (what the cleanup's idle stop reads), a prune a day, and one early when the disk fills.
housekeeping() {
  local last_write=0 last_prune last_look now iso epoch signal used
  read_metadata >/dev/null || exit 1
  LAST_TRAFFIC=0; last_prune=$(date +%s); last_look=$(date +%s)
  while sleep "$SDOCKER_ACTIVITY_SECONDS"; do
    now=$(date +%s)
    signal=$(activity_signal "$last_look" "$now"); last_look=$now
    iso=$(now_iso) || { log "housekeeping: no time from the clock"; continue; }
    epoch=$(date -d "$iso" +%s) || continue
    if [ -n "$signal" ] && [ $((epoch - last_write)) -ge "$SDOCKER_ACTIVITY_WRITE_SECONDS" ]; then
      if aws_call ec2 "$SDOCKER_EC2_ENDPOINT" --data-urlencode Action=CreateTags --data-urlencode Version=2016-11-15 \
        --data-urlencode "ResourceId.1=$INSTANCE_ID" --data-urlencode "Tag.1.Key=studiocp:last-active" \
        --data-urlencode "Tag.1.Value=$iso $signal"; then
        last_write=$epoch; log "active: $signal"
      else
        log "could not record the host's activity ($signal) on its instance"
      fi
    fi
    used=$(df --output=pcent "$ROOT/var/lib/docker" 2>/dev/null | tail -n 1 | tr -dc 0-9)
    if [ $((now - last_prune)) -ge 86400 ] || [ "${used:-0}" -ge "$SDOCKER_PRUNE_AT_PERCENT" ]; then
      prune "$( [ "${used:-0}" -ge "$SDOCKER_PRUNE_AT_PERCENT" ] && echo "volume ${used} % full" || echo daily)"
      last_prune=$now
    fi
  done
}

# Runs the housekeeping beside the boot, as its own service (EC2) or process (the sandbox); on EC2
# it also makes every later boot run the boot script again (user data runs only at the first).
start_housekeeping() {
  install -m 0700 "$0" "$STATE_DIR/bootstrap.sh"
  if [ "$SDOCKER_LOCAL_SERVICE_MODE" = "systemd" ]; then
    printf '[Service]\nType=oneshot\nExecStart=/bin/bash %s/bootstrap.sh boot\n[Install]\nWantedBy=multi-user.target\n' \
      "$STATE_DIR" >/etc/systemd/system/studiocp-boot.service
    systemctl enable studiocp-boot.service >/dev/null 2>&1
    systemd-run --unit studiocp-housekeeping --collect /bin/bash "$STATE_DIR/bootstrap.sh" housekeeping >/dev/null 2>&1
  else
    setsid /bin/bash "$STATE_DIR/bootstrap.sh" housekeeping >/dev/null 2>&1 </dev/null &
  fi
  echo "housekeeping runs: activity every $SDOCKER_ACTIVITY_SECONDS s, prune daily and at $SDOCKER_PRUNE_AT_PERCENT %"
}

# A signed SQS call (JSON protocol): the action, then its JSON body; prints the answer.
sqs_call() {
  local key secret token
  load_credentials || return 1
  read -r key secret token <<<"$CREDENTIALS"
  curl -sf --max-time $((SDOCKER_POOL_WAIT_SECONDS + 10)) -K /dev/fd/3 \
    --aws-sigv4 "aws:amz:$SDOCKER_REGION:sqs" -H "Content-Type: application/x-amz-json-1.0" \
    -H "X-Amz-Target: AmazonSQS.$1" --data-binary "$2" "$SDOCKER_SQS_ENDPOINT/" \
    3< <(printf 'user = "%s:%s"\nheader = "x-amz-security-token: %s"\n' "$key" "$secret" "$token")
}

# A path as the control plane renders it: absolute, plain segments (no empty, '.' or '..' one).
plain_path() {
  [[ $1 =~ ^/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$ ]] && [[ $1 != *//* ]] && [[ $1/ != */./* ]] && [[ $1/ != */../* ]]
}

# A decimal number from $2 to $3, as Java renders it (no sign, no leading zero).
number_in() {
  [[ $1 =~ ^(0|[1-9][0-9]{0,9})$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# A claim's values block, checked line by line: only SDOCKER_NAME='value' lines of known names,
# every name at most once, and each value of the shape ClaimPoolHost renders (a host id, numbers in
# range, absolute plain paths, the certificate directory under the home, NFS mounts of plain paths,
# endpoints and a task token of URL and base64 characters). Fails on anything else, why in CLAIM_WHY
# (no subshell: the claim waits on it).
check_claim() {
  CLAIM_WHY=""
  local block=$1 line name seen=" " spec specs remote
  local -A value=()
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    if ! [[ $line =~ ^(SDOCKER_[A-Z_]+)=\'([^\']*)\'$ ]]; then
      CLAIM_WHY="a line that is not SDOCKER_NAME='value'"
      return 1
    fi
    name=${BASH_REMATCH[1]}
    if [[ $CLAIM_KEYS != *" $name "* ]] || [[ $seen == *" $name "* ]]; then
      CLAIM_WHY="unknown or repeated name $name"
      return 1
    fi
    seen="$seen$name "
    value[$name]=${BASH_REMATCH[2]}
  done <<<"$block"
  for name in SDOCKER_HOST_ID SDOCKER_DOCKER_PORT SDOCKER_UID SDOCKER_GID SDOCKER_HOME SDOCKER_CERT_DIR \
    SDOCKER_MOUNTS SDOCKER_GPU SDOCKER_TASK_TOKEN; do
    [[ $seen == *" $name "* ]] || { CLAIM_WHY="no $name"; return 1; }
  done
  [[ ${value[SDOCKER_HOST_ID]} =~ ^h-[0-9a-f]{16}$ ]] || { CLAIM_WHY="SDOCKER_HOST_ID is not a host id"; return 1; }
  number_in "${value[SDOCKER_DOCKER_PORT]}" 1 65535 || { CLAIM_WHY="SDOCKER_DOCKER_PORT is not a port"; return 1; }
  for name in SDOCKER_UID SDOCKER_GID; do
    number_in "${value[$name]}" 0 4294967294 || { CLAIM_WHY="$name is not a number in range"; return 1; }
  done
  plain_path "${value[SDOCKER_HOME]}" || { CLAIM_WHY="SDOCKER_HOME is not an absolute plain path"; return 1; }
  [ "${value[SDOCKER_CERT_DIR]}" = "${value[SDOCKER_HOME]}/.sdocker/hosts/${value[SDOCKER_HOST_ID]}" ] ||
    { CLAIM_WHY="SDOCKER_CERT_DIR is not the host's directory under SDOCKER_HOME"; return 1; }
  read -r -a specs <<<"${value[SDOCKER_MOUNTS]}"
  [ "${#specs[@]}" -gt 0 ] || { CLAIM_WHY="SDOCKER_MOUNTS is empty"; return 1; }
  for spec in "${specs[@]}"; do
    remote=${spec#*:} && remote=${remote%%=*}
    if ! [[ $spec =~ ^[A-Za-z0-9.-]+:/[^=]*=.*$ ]] || { [ "$remote" != / ] && ! plain_path "$remote"; } ||
      ! plain_path "${spec#*=}"; then
      CLAIM_WHY="SDOCKER_MOUNTS has a mount that is not server:/path=/mount/point"
      return 1
    fi
  done
  [[ ${value[SDOCKER_GPU]} =~ ^(true|false)$ ]] || { CLAIM_WHY="SDOCKER_GPU is neither true nor false"; return 1; }
  # (Lengths apart: a bounded repetition is slow to compile in bash's regular expressions.)
  if ! [[ ${value[SDOCKER_TASK_TOKEN]} =~ ^[A-Za-z0-9+/=_-]+$ ]] || [ "${#value[SDOCKER_TASK_TOKEN]}" -gt 8192 ]; then
    CLAIM_WHY="SDOCKER_TASK_TOKEN is not a task token"
    return 1
  fi
  if [[ $seen == *" SDOCKER_REGION "* ]] && ! [[ ${value[SDOCKER_REGION]} =~ ^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$ ]]; then
    CLAIM_WHY="SDOCKER_REGION is not a region"
    return 1
  fi
  if [[ $seen == *" SDOCKER_SFN_ENDPOINT "* ]] &&
    ! [[ ${value[SDOCKER_SFN_ENDPOINT]} =~ ^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$ ]]; then
    CLAIM_WHY="SDOCKER_SFN_ENDPOINT is not an endpoint"
    return 1
  fi
}

# Sets the variables of a checked claim (no evaluation: each value is taken as it is).
load_claim() {
  local line name value
  while IFS= read -r line; do
    [[ $line =~ ^(SDOCKER_[A-Z_]+)=\'([^\']*)\'$ ]] || continue
    name=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
    printf -v "$name" '%s' "$value"
  done <"$1"
}

# Waits on the pool's queue until a live claim comes; stores it. Nothing user-specific exists before.
wait_for_claim() {
  local rounds=0 response body receipt block token deleting alive
  local receipt_pattern='"ReceiptHandle" *: *"([^"]*)"' body_pattern='"Body" *: *"([A-Za-z0-9+/=]*)"'
  local token_pattern=$'(^|\n)SDOCKER_TASK_TOKEN=\'([^\']*)\''
  log "pool host: waiting for a claim on $SDOCKER_POOL_QUEUE_URL"
  while :; do
    rounds=$((rounds + 1))
    if [ "$SDOCKER_POOL_WAIT_ROUNDS" -gt 0 ] && [ "$rounds" -gt "$SDOCKER_POOL_WAIT_ROUNDS" ]; then
      log "pool host: no claim after $SDOCKER_POOL_WAIT_ROUNDS polls"
      return 1
    fi
    load_credentials
    # A claim taken is deleted at once, so it is invisible only briefly (10 s): one that a poll
    # swallowed (a pool host ended while it long-polled: the queue may still hand that poll a
    # message) comes back to a live host before the claim's heartbeat timeout (20 s).
    response=$(sqs_call ReceiveMessage "{\"QueueUrl\":\"$SDOCKER_POOL_QUEUE_URL\",\"MaxNumberOfMessages\":1,\"VisibilityTimeout\":10,\"WaitTimeSeconds\":$SDOCKER_POOL_WAIT_SECONDS}") || {
      log "pool host: the queue did not answer"
      sleep 2
      continue
    }
    # The answer read with bash's own matching: a claim's few milliseconds are the user's.
    [[ $response =~ $receipt_pattern ]] || continue
    receipt=${BASH_REMATCH[1]}
    log "pool host: a claim arrived"
    body=""
    [[ $response =~ $body_pattern ]] && body=${BASH_REMATCH[1]}
    block=$(printf '%s' "$body" | base64 -d 2>/dev/null)
    block=${block//$'\r'/}
    if ! check_claim "$block"; then
      log "pool host: a malformed claim was dropped ($CLAIM_WHY)"
      sqs_call DeleteMessage "{\"QueueUrl\":\"$SDOCKER_POOL_QUEUE_URL\",\"ReceiptHandle\":\"$receipt\"}" >/dev/null
      continue
    fi
    # Taken off the queue (so that no other pool host can have it once it is visible again) while
    # its token is checked alive, side by side: the claim is this host's only if both hold.
    token=""
    [[ $block =~ $token_pattern ]] && token=${BASH_REMATCH[2]}
    sqs_call DeleteMessage "{\"QueueUrl\":\"$SDOCKER_POOL_QUEUE_URL\",\"ReceiptHandle\":\"$receipt\"}" >/dev/null &
    deleting=$!
    sfn_call send-task-heartbeat "{\"taskToken\":\"$(json_escape "$token")\"}"
    alive=$?
    if ! wait "$deleting"; then
      log "pool host: a claim could not be taken off the queue; left for another"
      continue
    fi
    if [ "$alive" -ne 0 ]; then
      log "pool host: a stale claim (its workflow no longer waits) was dropped"
      continue
    fi
    (umask 077 && printf '%s\n' "$block" >"$CLAIM_FILE")
    CLAIMED_NOW=true
    log "pool host: claimed"
    return 0
  done
}

# A pool host: the stored claim is its identity; the first time, it starts what holds nothing of
# anyone (dockerd on its private socket, the sagemaker network) and waits for one. A start's task
# token in the user data (anything but the pool's placeholder) is the one to report to.
if [ -n "$SDOCKER_POOL_QUEUE_URL" ]; then
  USER_DATA_TOKEN=${SDOCKER_TASK_TOKEN:-pool}
  if [ ! -f "$CLAIM_FILE" ]; then
    [ -z "${1:-}" ] || exit 1
    read_metadata >/dev/null || { log "pool host: no instance metadata"; exit 1; }
    if ! { start_dockerd && create_network && NETWORK_MADE=true && prestart_tls_front; } >"$STEP_OUTPUT" 2>&1; then
      log "pool host: dockerd did not start, so it takes no claim: $(tail -n 5 "$STEP_OUTPUT" | paste -sd '|' -)"
      [ "$SDOCKER_LOCAL_SERVICE_MODE" = "systemd" ] && systemctl poweroff
      exit 1
    fi
    log "pool host: dockerd runs on its private socket, nothing listens on the network (the TLS front waits for a claim)"
    wait_for_claim || exit 1
    LAST_HEARTBEAT=${EPOCHSECONDS:-$(date +%s)}
  fi
  load_claim "$CLAIM_FILE"
  [ "$USER_DATA_TOKEN" = "pool" ] || SDOCKER_TASK_TOKEN=$USER_DATA_TOKEN
  require_values
fi
boot_kind

case "${1:-}" in
  housekeeping) housekeeping; exit 0 ;;
  # A later boot on EC2: the boot script as it is now (a start gave it a new task token).
  boot) read_metadata >/dev/null && imds user-data >"$STATE_DIR/boot.sh" && exec /bin/bash "$STATE_DIR/boot.sh"; exit 1 ;;
esac

log "bootstrap of $SDOCKER_HOST_ID starts"
[ -n "$INSTANCE_ID" ] || step metadata read_metadata
# dockerd holds nothing of the user's: it starts now, beside the mount and the certificates (a pool
# host's runs already). Under systemd its step starts it (systemctl waits for it anyway).
if [ -z "$DOCKERD_PID" ] && [ "$SDOCKER_LOCAL_SERVICE_MODE" != "systemd" ]; then
  launch_dockerd >/dev/null
  # The TLS front's process loads meanwhile too (it waits for its port, as a pool host's does).
  [ "$REBOOT" = true ] || prestart_tls_front >/dev/null 2>&1
fi
step mount mount_file_systems
step log open_user_log
step certificates make_certificates
if [ "$REBOOT" = true ] && [ "$RESTART" = false ]; then
  step dockerd start_dockerd
  step tls start_tls_front
  log "already reported ready before; dockerd is back with the same certificates"
  log "$(start_housekeeping)"
  exit 0
fi
if [ "$RESTART" = true ]; then
  log "started again: dockerd comes back with the same certificates, volume and images, then reports ready"
else
  step pre-bootstrap run_hook pre-bootstrap
fi
# What changes dockerd's configuration after it started (a GPU claim on a pool host, the user's
# pre-bootstrap hook) needs it started again, before anything can reach it.
if [ -n "$DOCKERD_PID" ] && { [ "$PRE_HOOK_RAN" = true ] || [ "$SDOCKER_GPU" != "$DOCKERD_GPU" ]; }; then
  log "dockerd starts again: $([ "$PRE_HOOK_RAN" = true ] && echo "the pre-bootstrap hook ran" || echo "the GPU runtime")"
  stop_dockerd
fi
step dockerd start_dockerd
step network create_network
step tls start_tls_front
[ "$RESTART" = true ] || step post-bootstrap run_hook post-bootstrap
report_ready >"$STEP_OUTPUT" 2>&1 || { sed 's/^/    /' "$STEP_OUTPUT" | while IFS= read -r line; do log "$line"; done; fail report; }
log "$(cat "$STEP_OUTPUT")"
log "$(start_housekeeping)"
log "bootstrap of $SDOCKER_HOST_ID done"
