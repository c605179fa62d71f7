import { DEFAULT_FLEET_PORT, DEFAULT_JOIN_TIMEOUT_MS, DEFAULT_LOST_AFTER_MS, TOKEN_ENV } from './protocol.js';

export const FLEET_HELP = `Usage:
  loadts fleet coordinator --instances N [fleet flags] [run flags] script.ts
  loadts fleet instance --join URL [instance flags]

Runs one test on many machines (Kubernetes pods or plain processes) with exact fleet-wide
results: the coordinator bundles the script, resolves the options, runs setup() and teardown()
once, and gives each instance its execution segment; the instances run their segments from one
start time and send their time series each second (encoded HDR histograms, never samples); the
coordinator merges them exactly, shows the fleet's progress, judges thresholds (abortOnFail stops
every instance), feeds every --out output and writes the results. See docs/distributed.md.

Coordinator (the flags of loadts run, and):
  --instances N          how many instances run the test (required)
  --listen HOST:PORT     where instances join (default 127.0.0.1:${DEFAULT_FLEET_PORT}; 0.0.0.0:${DEFAULT_FLEET_PORT}
                         with a token). Without ${TOKEN_ENV} only loopback is allowed
  --join-timeout D       how long every instance may take to join and prepare (default ${DEFAULT_JOIN_TIMEOUT_MS / 1000}s)
  --lost-after D         an instance silent this long is lost; the rest go on without its
                         segment (default ${DEFAULT_LOST_AFTER_MS / 1000}s). Instances stop after hearing nothing as long

Instance:
  --join URL             the coordinator (or LOADTS_FLEET_JOIN)
  --index N              the slot to take, from 0 (or LOADTS_FLEET_INDEX, or an Indexed Job's
                         JOB_COMPLETION_INDEX); default: any free slot
  --name NAME            its name in messages (default: the host name, a pod's name)
  --record FILE          its own run record (default loadts-instance-{index}.json; {index} is
                         its slot): loadts merge recovers a run from these
  --join-timeout D       how long to keep trying to reach the coordinator (default ${DEFAULT_JOIN_TIMEOUT_MS / 1000}s)
  -w, --workers N        worker threads (default: its cores)
  -q, --quiet            no progress
      --no-color         no colours

Both read the shared token from ${TOKEN_ENV}. Exit codes: as loadts run, and 114 (an instance
or the coordinator was lost mid-run), 115 (the fleet did not form: an instance refused, missing
or unable to prepare the test).`;
