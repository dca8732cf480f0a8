import { halfway } from './duration';
import type { SlaState } from './status';
import { officeTimeMidpoint, type WorkCalendar } from './work-calendar';

export interface SlaStage {
  at: Date;
  state: SlaState;
}

/**
 * The SLA of one human task that started at `start` and is due at `due`:
 * REMINDED at half time (operators get a reminder; with the booking's calendar, half the office
 * hours in between, when there are any), ESCALATED at the due time (admins get an escalation),
 * OVERDUE once as long again has passed with nothing done.
 */
export function slaStages(start: Date, due: Date, calendar?: WorkCalendar): SlaStage[] {
  return [
    { at: officeTimeMidpoint(start, due, calendar) ?? halfway(start, due), state: 'REMINDED' },
    { at: due, state: 'ESCALATED' },
    { at: new Date(due.getTime() + (due.getTime() - start.getTime())), state: 'OVERDUE' },
  ];
}

/** The SLA state at `now` for a task (used by readers when the stored state may lag). */
export function slaStateAt(start: Date, due: Date, now: Date, calendar?: WorkCalendar): SlaState {
  let state: SlaState = 'ON_TIME';
  for (const stage of slaStages(start, due, calendar)) if (now.getTime() >= stage.at.getTime()) state = stage.state;
  return state;
}
