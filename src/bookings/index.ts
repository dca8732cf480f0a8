/** The booking service the API calls: talks to Temporal, reads Prisma, knows nothing of HTTP. */
export type { BookingServiceDeps } from './deps';
export { prepareSubmission, startSubmission, submitBooking, type PreparedSubmission, type SubmitBookingCommand } from './submit';
export { ADDONS_UNDECIDED, cancelBooking, confirmBooking, decideAddOn, orderAddOns, recordCallback, rejectBooking, submitAddOns, type ActionKey } from './actions';
export {
  getBookingForActor,
  LIST_PAGE_SIZE,
  listOperatorTasks,
  listResidentBookings,
  operatorTasksCursor,
  residentBookingsCursor,
  type BookingSummary, type ListPage, type OperatorTask, type OperatorTaskKind, type OperatorTaskPage } from './readers';
export { adminStats, type DistrictStats } from './admin-stats';
export { loadBookingView, type BookingAddOnView, type BookingView, type TimelineEventView } from './view';
export { bookingIdFor, bookingCodeFor, workflowIdFor, requestHashOf } from './ids';
export { toDomainError } from './errors';
