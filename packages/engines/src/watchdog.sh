#!/usr/bin/env bash
# Runs an engine and stops it when the process that asked for it is gone. Node cannot make a child
# die with its parent, so without this a test run killed with SIGKILL would leave servers behind.
# usage: watchdog.sh PARENT_PID COMMAND [ARG...]
parent=$1
shift
"$@" &
child=$!
stop() {
  kill -TERM "$child" 2>/dev/null
  wait "$child"
  exit $?
}
trap stop TERM INT HUP
while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do
  sleep 0.5 &
  wait $!
done
if kill -0 "$child" 2>/dev/null; then stop; fi
wait "$child"
exit $?
