#!/usr/bin/env bash
# Runs an engine and stops it when the process that asked for it is gone. Node cannot make a child
# die with its parent, so without this a test run killed with SIGKILL would leave servers behind.
# usage: watchdog.sh PARENT_PID COMMAND [ARG...]; TERM stops the engine gently, USR1 kills it.
parent=$1
shift
"$@" &
child=$!
stop() {
  kill -TERM "$child" 2>/dev/null
  wait "$child"
  exit $?
}
# Past its grace the engine is killed outright: killing only this script would leave it running.
kill_now() {
  kill -KILL "$child" 2>/dev/null
  wait "$child"
  exit 137
}
trap stop TERM INT HUP
trap kill_now USR1
while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do
  sleep 0.5 &
  wait $!
done
if kill -0 "$child" 2>/dev/null; then stop; fi
wait "$child"
exit $?
