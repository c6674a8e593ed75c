/**
 * The evaluate worker's entry (`dist/robust-worker.js <runDir>`): takes stop signals before TF.js loads,
 * as the training worker's entry does.
 */
import { installStopHandlers } from '../stop-signal';

installStopHandlers();
void import('./worker');
