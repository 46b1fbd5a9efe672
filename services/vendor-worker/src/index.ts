export { VendorWorker, type VendorWorkerOptions } from './vendor-worker';
