/** Federated learning's pure core: how data is dealt to clients, and what privacy a run has spent. */
export { partition, summarize, apportion, PARTITION_FILE, type Partition, type PartitionSpec, type PartitionSummary } from './partition';
export { readPartitionSummary, partitionStats, type PartitionStats } from './summary';
export { RdpAccountant, RDP_ORDERS, computeRdp, rdpSubsampledGaussian, rdpToEpsilon } from './accountant';
export { dirichlet, gamma } from './dirichlet';
