/**
 * The worker process's entry (`dist/worker.js <runDir>`): takes stop signals first, then loads the
 * worker with TF.js (a few hundred ms), which would otherwise leave the default SIGTERM action (death)
 * in place for that long. A run of kind `federated` gets the federated coordinator instead, and
 * `dist/worker.js --fed-client <runDir>` is one of its client workers (engine/federated).
 */
import { installStopHandlers } from './stop-signal';
import { FED_CLIENT_FLAG } from './federated/protocol';
import { readRunRecord } from '../core/store/record';

installStopHandlers();
if (process.argv[2] === FED_CLIENT_FLAG) void import('./federated/client-worker');
else if (process.argv[2] && readRunRecord(process.argv[2])?.kind === 'federated') void import('./federated/coordinator');
else void import('./worker');
