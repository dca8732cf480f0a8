/** Booking states and the transitions between them (see DESIGN.md, "Booking lifecycle"). */
export const BOOKING_STATUSES = [
  'AWAITING_CALLBACK',
  'ADDONS',
  'AWAITING_CONFIRMATION',
  'CONFIRMED',
  'COMPLETED',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const FINAL_STATUSES: readonly BookingStatus[] = ['COMPLETED', 'REJECTED', 'CANCELLED', 'EXPIRED'];

const TRANSITIONS: Record<BookingStatus, readonly BookingStatus[]> = {
  AWAITING_CALLBACK: ['ADDONS', 'REJECTED', 'EXPIRED', 'CANCELLED'],
  ADDONS: ['AWAITING_CONFIRMATION', 'CANCELLED', 'EXPIRED'],
  AWAITING_CONFIRMATION: ['CONFIRMED', 'REJECTED', 'CANCELLED', 'EXPIRED'],
  CONFIRMED: ['COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  REJECTED: [],
  CANCELLED: [],
  EXPIRED: [],
};

export function isFinalStatus(status: BookingStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export function canTransition(from: BookingStatus, to: BookingStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: BookingStatus): readonly BookingStatus[] {
  return TRANSITIONS[from];
}

/** Final states release the slot hold, except COMPLETED (the slot was used). */
export function releasesHold(status: BookingStatus): boolean {
  return isFinalStatus(status) && status !== 'COMPLETED';
}

/** The states in which a person (operator or resident) is expected to act. */
export const HUMAN_TASK_STATUSES: readonly BookingStatus[] = ['AWAITING_CALLBACK', 'ADDONS', 'AWAITING_CONFIRMATION'];

/** SLA state of the current human task. */
export const SLA_STATES = ['ON_TIME', 'REMINDED', 'ESCALATED', 'OVERDUE'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export const STATUS_LABEL_RU: Record<BookingStatus, string> = {
  AWAITING_CALLBACK: 'Ожидает звонка оператора',
  ADDONS: 'Выбор дополнительных услуг',
  AWAITING_CONFIRMATION: 'Ожидает подтверждения',
  CONFIRMED: 'Подтверждена',
  COMPLETED: 'Завершена',
  REJECTED: 'Отклонена',
  CANCELLED: 'Отменена',
  EXPIRED: 'Истёк срок',
};
