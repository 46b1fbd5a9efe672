export * from './definitions';
export { vendorTicket } from './ticket-workflow';
