import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BookingActivities } from '../activities';
import { dbActivity, emailActivity, holdLocalActivity } from './activity-options';

/** Activities as the workflow sees them: types only, options from the named profiles. */
export const { holdSlot } = proxyLocalActivities<BookingActivities>(holdLocalActivity);
export const { projectBooking, releaseHold, findHeldBooking } = proxyActivities<BookingActivities>(dbActivity);
export const { sendBookingEmail } = proxyActivities<BookingActivities>(emailActivity);
