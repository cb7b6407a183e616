#!/usr/bin/env bash
# Builds (incrementally) and runs a Verdict service in the foreground. Needs only a JDK 17+.
#
#   ./run.sh coordinator                         coordinator on :8080
#   ./run.sh bank NAME PORT [PEER=URL ...]       a sample bank registered as NAME
#   ./run.sh soak [DURATION] [SEED]              chaos soak, e.g. 10m (default 2m)
#   ./run.sh bench [OPTIONS]                     benchmark (about 17 min; --help lists options)
#   ./run.sh cli COMMAND ...                     the verdict operator CLI, e.g. status, tx ls --in-doubt
#                                                (docs/cli.md; ./run.sh cli --help)
#   ./run.sh conformance --participant NAME --work 'METHOD URL [BODY]' [OPTIONS]
#                                                checks a participant in any language against docs/protocol.md
#                                                (docs/participants.md; ./run.sh conformance --help)
#
# With no QUARKUS_DATASOURCE_JDBC_URL set, each service starts its own embedded PostgreSQL under
# ~/.verdict/<service>/pgdata (printed at start). Set VERDICT_SKIP_BUILD=1 to skip the build.
# The coordinator's first start creates its key file and an admin key (~/.verdict/coordinator/admin.key);
# a bank's first start enrols it there with a key of its own (docs/security.md).
set -euo pipefail
cd "$(dirname "$0")"

usage() {
  sed -n '2,/^set /{/^set /d;p}' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

build() {
  if [ "${VERDICT_SKIP_BUILD:-0}" != "1" ]; then
    # Several services started at once share modules: build one at a time.
    if command -v flock >/dev/null; then
      flock target.build.lock ./mvnw -q -B -pl "$1" -am package -DskipTests
    else
      ./mvnw -q -B -pl "$1" -am package -DskipTests
    fi
  fi
}

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

random_secret() {
  head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

# Gives participant NAME, once, a secret for its callbacks (~/.verdict/NAME/callback.secret) and an
# API key at the local coordinator: the key goes to ~/.verdict/NAME/coordinator.key, its hash to the
# coordinator's key file, which the coordinator re-reads within a second. Both files owner-only.
# Waits for the coordinator's first start to create its key file.
enrol() {
  local name=$1 keys="$HOME/.verdict/coordinator/api-keys" own="$HOME/.verdict/$1/coordinator.key"
  mkdir -p "$(dirname "$own")"
  [ -s "$HOME/.verdict/$name/callback.secret" ] || (umask 077; random_secret > "$HOME/.verdict/$name/callback.secret")
  if [ ! -f "$keys" ]; then
    echo "Waiting for the coordinator's first start to create $keys ..." >&2
    while [ ! -f "$keys" ]; do sleep 1; done
  fi
  local key hash
  [ -s "$own" ] || (umask 077; printf 'vdk_%s\n' "$(random_secret)" > "$own")
  key=$(cat "$own")
  hash=$(printf %s "$key" | sha256)
  # Listed already, unless the coordinator's key file was made afresh since (its data reset).
  grep -q "sha256:$hash" "$keys" && return
  printf '%s sha256:%s participant,client %s\n' "$name" "$hash" "$name" >> "$keys"
  echo "Enrolled $name at the coordinator: its key is in $own" >&2
}

# The sample banks' own API keys: one key file for all of them (~/.verdict/banks/api-keys), made at
# the first bank's start with an admin key for you (~/.verdict/banks/admin.key), plus one key per
# bank (role participant), with which it asks its peers for credits (~/.verdict/NAME/bank.key).
enrol_bank() {
  local name=$1 dir="$HOME/.verdict/banks" own="$HOME/.verdict/$1/bank.key"
  mkdir -p "$dir"
  (
    flock 9 2>/dev/null || true
    umask 077
    if [ ! -f "$dir/api-keys" ]; then
      local admin
      admin="vdk_$(random_secret)"
      printf '%s\n' "$admin" > "$dir/admin.key"
      printf 'admin sha256:%s admin\n' "$(printf %s "$admin" | sha256)" > "$dir/api-keys"
    fi
    if [ ! -s "$own" ]; then
      local key
      key="vdk_$(random_secret)"
      printf '%s\n' "$key" > "$own"
      printf '%s sha256:%s participant %s\n' "$name" "$(printf %s "$key" | sha256)" "$name" >> "$dir/api-keys"
    fi
  ) 9>"$dir/.lock"
}

case "${1:-}" in
  coordinator)
    build coordinator
    exec java ${JAVA_OPTS:-} -Duser.home="$HOME" -jar coordinator/target/quarkus-app/quarkus-run.jar
    ;;
  bank)
    [ $# -ge 3 ] || usage
    name=$2 port=$3
    shift 3
    peers=$(IFS=,; echo "$*")
    build participant-sample
    enrol "$name"
    enrol_bank "$name"
    VERDICT_PARTICIPANT_COORDINATOR_KEY=$(cat "$HOME/.verdict/$name/coordinator.key") \
    VERDICT_PARTICIPANT_CALLBACK_SECRETS=$(cat "$HOME/.verdict/$name/callback.secret") \
    BANK_PEER_KEY=$(cat "$HOME/.verdict/$name/bank.key") \
    exec java ${JAVA_OPTS:-} -Duser.home="$HOME" \
      -Dverdict.participant.name="$name" \
      -Dverdict.auth.api-key-file="$HOME/.verdict/banks/api-keys" \
      -Dquarkus.http.port="$port" \
      ${peers:+-Dbank.peers="$peers"} \
      -jar participant-sample/target/quarkus-app/quarkus-run.jar
    ;;
  soak)
    duration=${2:-2m}
    seed=${3:-$(date +%s)}
    ./mvnw -q -B install -DskipTests
    exec ./mvnw -B -pl e2e test -Dtest=ChaosSoakTest -Dsurefire.failIfNoSpecifiedTests=false \
      -Dverdict.soak.duration="$duration" -Dverdict.soak.seed="$seed"
    ;;
  bench)
    shift
    build bench
    exec java ${JAVA_OPTS:-} -Dverdict.root="$PWD" -jar bench/target/verdict-bench.jar "$@"
    ;;
  cli)
    shift
    # Rebuilt only when its sources changed: an operator runs it again and again.
    if [ ! -f cli/target/verdict.jar ] || [ -n "$(find cli/src cli/pom.xml -newer cli/target/verdict.jar -print -quit)" ]; then
      build cli
    fi
    exec java ${JAVA_OPTS:-} -Duser.home="$HOME" -jar cli/target/verdict.jar "$@"
    ;;
  conformance)
    shift
    # Rebuilt only when its sources changed, like the CLI: a team runs it again after every fix.
    if [ ! -f conformance/target/verdict-conformance.jar ] || [ -n "$(find conformance/src conformance/pom.xml -newer conformance/target/verdict-conformance.jar -print -quit)" ]; then
      build conformance
    fi
    exec java ${JAVA_OPTS:-} -jar conformance/target/verdict-conformance.jar "$@"
    ;;
  *)
    usage
    ;;
esac
