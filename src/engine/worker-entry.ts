/**
 * The worker process's entry (`dist/worker.js <runDir>`): takes stop signals first, then loads the
 * worker with TF.js (a few hundred ms), which would otherwise leave the default SIGTERM action (death)
 * in place for that long.
 */
import { installStopHandlers } from './stop-signal';

installStopHandlers();
void import('./worker');
