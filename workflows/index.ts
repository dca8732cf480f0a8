/** Workflows registered by the worker (the bundle's entry point). */
export { bookingWorkflow } from './booking.workflow';
