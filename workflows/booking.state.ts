import type { AddOnLine } from '../src/domain/addons';
import type { BookingStatus, SlaState } from '../src/domain/status';
import type { BookingSnapshot, HumanTaskKind } from './booking.messages';

/** The human task the workflow waits on; times are epoch milliseconds (workflow clock). */
export interface HumanTask {
  /** Stable within the run, e.g. "CALLBACK-2"; part of e-mail dedupe keys. */
  id: string;
  kind: HumanTaskKind;
  startedAt: number;
  dueAt: number;
  slaState: SlaState;
  /** Whether SLA reminders and escalations apply (the resident's add-ons window has none). */
  escalates: boolean;
}

export interface BookingState {
  status: BookingStatus | 'SUBMITTING' | 'NOT_HELD';
  submitReceived: boolean;
  /** Epoch ms after which no attempt of this booking's hold can commit (HoldSlotInput.holdBefore). */
  holdBefore: number | null;
  /**
   * The hold failed without an answer from the database (not SLOT_TAKEN): an attempt given up
   * on may still commit until holdBefore, so the booking is not known to be unheld until then.
   */
  holdUnsettled: boolean;
  /** The submission's request hash, carried to a run continued after a failed hold. */
  requestHash: string | null;
  /** Bumped on every change the timer loop must react to. */
  version: number;
  hardDeadline: number | null;
  task: HumanTask | null;
  callbackAttempts: number;
  addOns: AddOnLine[];
  reminderSent: boolean;
  wasConfirmed: boolean;
  eventSeq: number;
}

export function initialState(): BookingState {
  return {
    status: 'SUBMITTING',
    submitReceived: false,
    holdBefore: null,
    holdUnsettled: false,
    requestHash: null,
    version: 0,
    hardDeadline: null,
    task: null,
    callbackAttempts: 0,
    addOns: [],
    reminderSent: false,
    wasConfirmed: false,
    eventSeq: 0,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

export function snapshot(state: BookingState): BookingSnapshot {
  return {
    status: state.status,
    task: state.task ? { kind: state.task.kind, startedAt: iso(state.task.startedAt), dueAt: iso(state.task.dueAt), slaState: state.task.slaState } : null,
    hardDeadline: state.hardDeadline === null ? null : iso(state.hardDeadline),
    callbackAttempts: state.callbackAttempts,
    addOns: state.addOns.map((line) => ({ ...line })),
  };
}
