export { type GenaiOutcome, GenaiWorker, type GenaiWorkerOptions } from './genai-worker';
