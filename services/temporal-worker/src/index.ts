export { TemporalWorker, type TemporalWorkerOptions } from './temporal-worker';
