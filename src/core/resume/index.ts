/** Checkpoints on disk and `hone resume` (see files.ts and resume.ts). No vscode, no TF.js. */
export { applyResume, offersResume, prepareResume, resumePoint, resumeRun, type PreparedResume } from './resume';
export { CHECKPOINTS_DIR, readCheckpoint, writeCheckpoint, type CheckpointSlot, type StoredArray, type StoredCheckpoint } from './files';
