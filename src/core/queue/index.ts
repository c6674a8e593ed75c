/**
 * Runs on other machines: a Redis server with the BullMQ job queue carries runs (a sweep's trials, plain
 * runs) to agents (`hone agent`), which train them and send back metrics while they train and the model and
 * log when they end; the coordinator writes it all into the local store as it arrives. No vscode.
 */
export { parseQueueUrl, queueAddress, redactUrl, type QueueAddress, type QueueConnection } from './url';
export { validateJob, JobRefused, JOB_VERSION, type TrainJob, type AgentIdentity, type AgentProgress, type JobResult, type Artifact } from './job';
export { packArtifacts, unpackArtifacts, coordinatorArtifactLimit, jobArtifactLimit, ARTIFACT_LIMIT_BYTES } from './artifacts';
export { openRedis, explainRedisError, redisOptions, agentKey, stopKey, PREFIX, QUEUE_NAME } from './connect';
export { startAgent, type Agent, type AgentInfo, type AgentOptions, type QueueHandler } from './agent';
export { putBlob, getBlob, bytesOf, isBlobRef, BLOB_TTL_MS, type BlobRef } from './blobs';
export { RemoteQueue, type RemoteRun } from './remote';
export { listAgents } from './agents';
export { queueTrials } from './trials';
export { EXEC_QUEUE, validateExecJob, type ExecJob } from './exec-job';
export { allowedDataDirs } from './data-dirs';
