/**
 * Simulated federated learning. Pure server math (aggregate.ts, server-opt.ts, dp.ts, compression.ts,
 * attacks.ts, sampling.ts) is apart from the orchestration that calls it (round.ts, and the run's
 * coordinator.ts with its client worker processes: pool.ts, client-worker.ts; or with its clients on
 * queue agents: queue-runner.ts here, agent-clients.ts on the agent, remote-job.ts between them, loaded
 * only with a queue so BullMQ stays out of other runs).
 */
export { weightedMean, coordinateMedian, trimmedMean, krum, krumSelect, type ClientUpdate } from './aggregate';
export { serverStep, type ServerOptConfig, type ServerOptState, type ServerRule } from './server-opt';
export { dpMean, clipToNorm, l2Norm, type DpConfig } from './dp';
export { compress, decode, payloadBytes, topK, quantize8, type Payload } from './compression';
export { byzantineClients, craftUpdate, flipLabels } from './attacks';
export { sampleClients, roundFates, clientsPerRound, type Fate } from './sampling';
export { localTrain, type LocalConfig, type LocalResult } from './local-train';
export { runRound, freshState, serverConfig, localConfig, type Federation, type FederationState, type RoundOutcome } from './round';
export { createFederation, dealClients, planWorkers } from './setup';
export { InProcessRunner, type ClientRunner } from './runner';
export { getFlat, setFlat, layoutOf, type Layout } from './flat';
export { validateFedJob, checkClientResult, taskOfJob, fedJobId, FED_QUEUE, type FedClientJob, type FedClientReturn } from './remote-job';
