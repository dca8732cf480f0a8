import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BookingActivities } from '../activities';
import { dbActivity, emailActivity, holdLocalActivity } from './activity-options';

/** Activities as the workflow sees them: types only, options from the named profiles. */
export const { holdSlot } = proxyLocalActivities<BookingActivities>(holdLocalActivity);
/** The hold with all its attempts inside the booking's hold window (revision 3). */
export const holdSlotWithin = (windowMs: number) => proxyLocalActivities<BookingActivities>({ ...holdLocalActivity, scheduleToCloseTimeout: windowMs }).holdSlot;
export const { projectBooking, releaseHold, findHeldBooking } = proxyActivities<BookingActivities>(dbActivity);
export const { sendBookingEmail } = proxyActivities<BookingActivities>(emailActivity);
